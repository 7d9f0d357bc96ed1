rule pythia_shower:
    """Shower, MPI and hadronization of one LHE chunk; final-state particles to ROOT."""
    input:
        lhe="results/{generator}/lhe/{sample}/chunk{chunk}.lhe.gz",
        card=f"{CARDS}/shower.cmnd",
    output:
        "results/{generator}/shower/{sample}/chunk{chunk}.root",
    params:
        seed=shower_seed,
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    log:
        "logs/{generator}/shower/{sample}/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/shower/{sample}/chunk{chunk}.benchmark.tsv"
    script:
        "../scripts/pythia_shower.py"
