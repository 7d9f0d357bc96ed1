rule pythia_shower:
    """Shower, MPI and hadronization of one LHE chunk; final-state particles to ROOT."""
    input:
        lhe="results/{generator}/{sample}/lhe/chunk{chunk}.lhe.gz",
        card=f"{CARDS}/shower.cmnd",
    output:
        "results/{generator}/{sample}/shower/chunk{chunk}.root",
    params:
        seed=shower_seed,
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    container:
        container_for("shower")
    log:
        "logs/{generator}/{sample}/shower/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/{sample}/shower/chunk{chunk}.benchmark.tsv"
    script:
        "../scripts/pythia_shower.py"
