rule pythia_generate:
    """Hard process of one chunk with Pythia 8's built-in processes, written as gzipped LHE."""
    input:
        unpack(from_study(STUDY.generation_inputs)),
    output:
        lhe="results/pythia/{sample}/lhe/chunk{chunk}.lhe.gz",
        record="results/pythia/{sample}/lhe/chunk{chunk}.json",
    log:
        "logs/pythia/{sample}/generate/chunk{chunk}.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("generate")
    params:
        code=CODE["generate"],
        spec=from_study(STUDY.generation_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/pythia_generate.py"


rule madgraph_process:
    """MadGraph process output of one process (signal or background), its libraries compiled once."""
    input:
        ufo=from_study(STUDY.madgraph_model),
        card=LAYOUT.madgraph_card("{process}", "process.mg5"),
    output:
        process="results/madgraph/{process}/process.tar",
    log:
        "logs/madgraph/{process}/process.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("madgraph")
    params:
        code=CODE["generate"],
        mg5=MG5,
        version=PACKAGE_VERSION,
    script:
        "../scripts/madgraph_process.py"


rule madgraph_gridpack:
    """Integration of one (process, mass point) into a gridpack, in a private copy of the process."""
    input:
        unpack(from_study(STUDY.gridpack_inputs)),
    output:
        gridpack="results/madgraph/{sample}/gridpack/gridpack.tar.gz",
        record="results/madgraph/{sample}/gridpack/gridpack.json",
        cards=directory("results/madgraph/{sample}/cards"),
    log:
        "logs/madgraph/{sample}/gridpack.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("madgraph")
    params:
        code=CODE["generate"],
        spec=from_study(STUDY.gridpack_spec),
        mg5=MG5,
        version=PACKAGE_VERSION,
    script:
        "../scripts/madgraph_gridpack.py"


rule madgraph_generate:
    """Events of one chunk from the gridpack with the chunk's seed, in a scratch directory."""
    input:
        gridpack="results/madgraph/{sample}/gridpack/gridpack.tar.gz",
        record="results/madgraph/{sample}/gridpack/gridpack.json",
    output:
        lhe="results/madgraph/{sample}/lhe/chunk{chunk}.lhe.gz",
        record="results/madgraph/{sample}/lhe/chunk{chunk}.json",
    log:
        "logs/madgraph/{sample}/generate/chunk{chunk}.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("madgraph")
    params:
        code=CODE["generate"],
        spec=from_study(STUDY.generation_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/madgraph_generate.py"
