rule detector_response:
    """The detector card's efficiencies, resolutions and jet energy scale applied to one chunk's
    particle-level leptons and jets (config detector; bsmflow.detector)."""
    input:
        objects="results/{generator}/{sample}/objects/chunk{chunk}.root",
        card=f"{DETECTORS_DIR}/{{detector}}.yaml",
    output:
        "results/{generator}/{sample}/detector/{detector}/objects/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/detector/{detector}/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/{sample}/detector/{detector}/chunk{chunk}.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        container_for("detector")
    params:
        seed=detector_seed,
        objects={key: dict(config["objects"][key]) for key in ("leptons", "jets")},
        version=PACKAGE_VERSION,
    script:
        "../scripts/detector_response.py"
