rule model_ufo:
    """The model's UFO directory (builder, ready UFO or FeynRules), validated; MadGraph imports it
    by absolute path."""
    input:
        unpack(model_stage_inputs),
    output:
        ufo=directory(f"{MODEL_DIR}/UFO"),
    log:
        f"logs/model/{config['model']['name']}/ufo.log",
    conda:
        "../environment.yml"
    container:
        container_for("model")
    params:
        model=model_source,
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_ufo.py"


rule model_param_card:
    """Param card of one mass point for both generators: every UFO parameter, the mass, the Yukawa
    block, and the width and branching ratios from the UFO's decays.py."""
    input:
        ufo=f"{MODEL_DIR}/UFO",
    output:
        param_card_path("{mass}"),
    log:
        f"logs/model/{config['model']['name']}/param_card_M{{mass}}.log",
    conda:
        "../environment.yml"
    container:
        container_for("model")
    params:
        mass_gev=mass_point,
        yukawa=config["model"]["yukawa"],
        yukawa_block=config["model"]["yukawa_block"],
        top_mass_gev=float(config["model"]["top_mass_gev"]),
        pdg_id=config["model"]["pdg_id"],
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_param_card.py"


rule model_sm_ufo:
    """The plain SM UFO (PyPI ufo-sm, MadGraph's sm model) that background processes import, so
    that model changes never touch them."""
    output:
        ufo=directory("results/model/SM/UFO"),
    log:
        "logs/model/SM/ufo.log",
    conda:
        "../environment.yml"
    container:
        container_for("model")
    params:
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_sm_ufo.py"
