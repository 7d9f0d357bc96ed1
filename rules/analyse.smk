rule analyse_sample:
    """Event selection, cutflow and m_LQ histograms of one sample (all its chunks)."""
    input:
        unpack(analysis_inputs),
    output:
        record="results/{generator}/{sample}/analysis.json",
        events="results/{generator}/{sample}/selected.root",
    log:
        "logs/{generator}/{sample}/analyse.log",
    conda:
        "../environment.yml"
    container:
        container_for("analyse")
    params:
        run=analysis_params,
        version=PACKAGE_VERSION,
    script:
        "../scripts/analyse_sample.py"


rule sample_manifest:
    """Provenance of one sample: config subset, card hashes, seeds, versions, commit, times."""
    input:
        unpack(manifest_inputs),
    output:
        "results/{generator}/{sample}/manifest.json",
    log:
        "logs/{generator}/{sample}/manifest.log",
    conda:
        "../environment.yml"
    container:
        container_for("analyse")
    params:
        sample=manifest_params,
        version=PACKAGE_VERSION,
    script:
        "../scripts/sample_manifest.py"
