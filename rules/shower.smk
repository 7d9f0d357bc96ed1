rule pythia_shower:
    """Shower, MPI and hadronization of one LHE chunk; final-state particles to ROOT."""
    input:
        unpack(shower_inputs),
    output:
        **hepmc_output(),
        root="results/{generator}/{sample}/shower/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/shower/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/{sample}/shower/chunk{chunk}.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        container_for("shower")
    params:
        seed=shower_seed,
        shower_variations=config["variations"]["shower"],
        sampling=lambda wildcards: SAMPLES[wildcards.sample].shower_sampling,
        version=PACKAGE_VERSION,
    script:
        "../scripts/pythia_shower.py"
