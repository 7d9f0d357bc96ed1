rule pythia_generate:
    """Hard process of one chunk with Pythia 8's built-in processes, written as gzipped LHE."""
    input:
        unpack(generation_inputs),
    output:
        lhe="results/pythia/{sample}/lhe/chunk{chunk}.lhe.gz",
        record="results/pythia/{sample}/lhe/chunk{chunk}.json",
    params:
        run=generation_params,
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    container:
        container_for("generate")
    log:
        "logs/pythia/{sample}/generate/chunk{chunk}.log",
    benchmark:
        "logs/pythia/{sample}/generate/chunk{chunk}.benchmark.tsv"
    script:
        "../scripts/pythia_generate.py"
