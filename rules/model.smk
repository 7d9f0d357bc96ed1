rule model_param_card:
    """Param card of one mass point: mass, width and branching ratios from the Yukawa matrix."""
    output:
        f"{MODEL_DIR}/param_card_M{{mass}}.dat",
    params:
        mass_gev=mass_point,
        yukawa=config["model"]["yukawa"],
        top_mass_gev=float(config["model"]["top_mass_gev"]),
        pdg_id=config["model"]["pdg_id"],
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    container:
        container_for("model")
    log:
        f"logs/model/{config['model']['name']}/param_card_M{{mass}}.log",
    script:
        "../scripts/model_param_card.py"
