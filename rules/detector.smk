rule detector_response:
    """The detector card's efficiencies, resolutions and jet energy scale applied to one chunk's
    particle-level leptons and jets (config detector; bsmflow.detector)."""
    input:
        objects="results/{generator}/{sample}/objects/chunk{chunk}.root",
        card=LAYOUT.detector_card("{detector}"),
    output:
        "results/{generator}/{sample}/detector/{detector}/objects/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/detector/{detector}/chunk{chunk}.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("detector")
    params:
        code=CODE["detector"],
        spec=from_study(STUDY.detector_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/detector_response.py"
