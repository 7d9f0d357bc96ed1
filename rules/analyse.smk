rule analyse_sample:
    """Event selection, cutflow and m_LQ histograms of one sample (all its chunks)."""
    input:
        unpack(from_study(STUDY.analysis_inputs)),
    output:
        record=f"results/{{generator}}/{{sample}}/{LEVEL_DIR}analysis.json",
        events=f"results/{{generator}}/{{sample}}/{LEVEL_DIR}selected.root",
    log:
        f"logs/{{generator}}/{{sample}}/{LEVEL_DIR}analyse.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("analyse")
    params:
        code=CODE["analyse"],
        spec=from_study(STUDY.analysis_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/analyse_sample.py"


rule sample_manifest:
    """Provenance of one sample: config subset, card hashes, seeds, versions, commit, times."""
    input:
        unpack(from_study(STUDY.manifest_inputs)),
    output:
        f"results/{{generator}}/{{sample}}/{LEVEL_DIR}manifest.json",
    log:
        f"logs/{{generator}}/{{sample}}/{LEVEL_DIR}manifest.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("analyse")
    params:
        sample=from_study(STUDY.manifest_params),
        version=PACKAGE_VERSION,
    script:
        "../scripts/sample_manifest.py"
