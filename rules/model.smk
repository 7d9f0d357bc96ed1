rule model_ufo:
    """The model's UFO directory (builder, ready UFO or FeynRules), validated; MadGraph imports it
    by absolute path."""
    input:
        unpack(from_study(STUDY.ufo_inputs)),
    output:
        ufo=directory(f"{LAYOUT.model_dir}/UFO"),
    log:
        f"logs/model/{LAYOUT.model_name}/ufo.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("model")
    params:
        spec=STUDY.ufo_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_ufo.py"


rule model_param_card:
    """Param card of one mass point for both generators: every UFO parameter, the mass, the Yukawa
    block, and the width and branching ratios from the UFO's decays.py."""
    input:
        ufo=f"{LAYOUT.model_dir}/UFO",
    output:
        LAYOUT.param_card("{mass}"),
    log:
        f"logs/model/{LAYOUT.model_name}/param_card_M{{mass}}.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("model")
    params:
        spec=from_study(STUDY.param_card_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_param_card.py"


rule model_sm_ufo:
    """The plain SM UFO (PyPI ufo-sm, MadGraph's sm model) that background processes import, so
    that model changes never touch them."""
    output:
        ufo=directory(LAYOUT.sm_ufo),
    log:
        "logs/model/SM/ufo.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("model")
    params:
        code=CODE["model"],
        version=PACKAGE_VERSION,
    script:
        "../scripts/model_sm_ufo.py"
