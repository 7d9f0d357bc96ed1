rule analyse_sample:
    """Event selection, cutflow and m_LQ histograms of one sample (all its chunks)."""
    input:
        unpack(analysis_inputs),
    output:
        "results/{generator}/analysis/{sample}.json",
    params:
        run=analysis_params,
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    log:
        "logs/{generator}/analyse/{sample}.log",
    script:
        "../scripts/analyse_sample.py"
