rule pythia_shower:
    """Shower, MPI and hadronization of one LHE chunk; final-state particles to ROOT."""
    input:
        unpack(from_study(STUDY.shower_inputs)),
    output:
        **STUDY.hepmc_output(),
        root="results/{generator}/{sample}/shower/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/shower/chunk{chunk}.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("shower")
    params:
        code=CODE["shower"],
        spec=from_study(STUDY.shower_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/pythia_shower.py"
