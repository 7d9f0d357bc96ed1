rule model_ufo:
    """The model's UFO directory (builder, ready UFO or FeynRules), validated; MadGraph imports it
    by absolute path."""
    input:
        unpack(model_stage_inputs),
    output:
        ufo=directory(f"{MODEL_DIR}/UFO"),
    params:
        model=lambda wildcards: {
            "source": config["model"]["source"],
            "model_file": config["model"].get("file"),
            "ufo": config["model"].get("ufo"),
            "feynrules": config["model"].get("feynrules"),
            "yukawa": config["model"]["yukawa"],
            "yukawa_block": config["model"]["yukawa_block"],
            "version": PACKAGE_VERSION,
        },
    conda:
        "../environment.yml"
    container:
        container_for("model")
    log:
        f"logs/model/{config['model']['name']}/ufo.log",
    script:
        "../scripts/model_ufo.py"


rule model_param_card:
    """Param card of one mass point for both generators: every UFO parameter, the mass, the Yukawa
    block, and the width and branching ratios from the UFO's decays.py."""
    input:
        ufo=f"{MODEL_DIR}/UFO",
    output:
        f"{MODEL_DIR}/param_card_M{{mass}}.dat",
    params:
        mass_gev=mass_point,
        yukawa=config["model"]["yukawa"],
        yukawa_block=config["model"]["yukawa_block"],
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


rule model_sm_ufo:
    """The plain SM UFO (PyPI ufo-sm, MadGraph's sm model) that background processes import, so
    that model changes never touch them."""
    output:
        ufo=directory("results/model/SM/UFO"),
    params:
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    container:
        container_for("model")
    log:
        "logs/model/SM/ufo.log",
    script:
        "../scripts/model_sm_ufo.py"
