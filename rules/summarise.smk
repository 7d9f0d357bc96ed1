rule summary_tables:
    """Cross sections, cutflow, yields and the histogram file of every sample."""
    input:
        STUDY.analysis_records(),
    output:
        cross_sections=report(
            f"{LAYOUT.summary_dir}/cross_sections.csv",
            caption="../workflow/report/cross_sections.rst",
            category="Tables",
        ),
        cutflow=report(
            f"{LAYOUT.summary_dir}/cutflow.csv", caption="../workflow/report/cutflow.rst", category="Tables"
        ),
        yields=report(
            f"{LAYOUT.summary_dir}/yields.csv", caption="../workflow/report/yields.rst", category="Tables"
        ),
        histograms_csv=f"{LAYOUT.summary_dir}/histograms.csv",
        histograms_root=f"{LAYOUT.summary_dir}/histograms.root",
    log:
        f"logs/{LEVEL_DIR}summary/tables.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("summarise")
    params:
        spec=STUDY.summary_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/summary_tables.py"


rule summary_plots:
    """m_LQ^min stacks per mass point, signal shapes and sigma vs M with reference points."""
    input:
        records=STUDY.analysis_records(),
        reference=LAYOUT.plot_reference_table,
    output:
        report(STUDY.summary_plots(), caption="../workflow/report/plots.rst", category="Plots"),
    log:
        f"logs/{LEVEL_DIR}summary/plots.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("summarise")
    params:
        spec=STUDY.summary_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/summary_plots.py"


rule djr_check:
    """Differential jet rates of an MLM-matched MadGraph sample: plots and the smoothness check
    across the merging scale (bsmflow.summarise.djr)."""
    input:
        showers=chunks_of(LAYOUT.shower()),
        matching=matching_card_of,
        gridpack=LAYOUT.gridpack_record(),
    output:
        record="results/summary/djr_{sample}.json",
        plots=report(
            expand("results/plots/djr_{{sample}}.{ext}", ext=("png", "pdf")),
            caption="../workflow/report/djr.rst",
            category="Matching",
        ),
    log:
        "logs/summary/djr_{sample}.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("summarise")
    params:
        version=PACKAGE_VERSION,
    script:
        "../scripts/djr_check.py"
