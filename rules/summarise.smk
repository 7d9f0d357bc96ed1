rule summary_tables:
    """Cross sections, cutflow, yields and the histogram file of every sample."""
    input:
        analysis_records(),
    output:
        cross_sections=report(
            f"{SUMMARY_DIR}/cross_sections.csv",
            caption="../workflow/report/cross_sections.rst",
            category="Tables",
        ),
        cutflow=report(
            f"{SUMMARY_DIR}/cutflow.csv", caption="../workflow/report/cutflow.rst", category="Tables"
        ),
        yields=report(f"{SUMMARY_DIR}/yields.csv", caption="../workflow/report/yields.rst", category="Tables"),
        histograms_csv=f"{SUMMARY_DIR}/histograms.csv",
        histograms_root=f"{SUMMARY_DIR}/histograms.root",
    log:
        f"logs/{LEVEL_DIR}summary/tables.log",
    conda:
        "../environment.yml"
    container:
        container_for("summarise")
    params:
        generator=GENERATOR,
        level=LEVEL,
        version=PACKAGE_VERSION,
    script:
        "../scripts/summary_tables.py"


rule summary_plots:
    """m_LQ^min stacks per mass point, signal shapes and sigma vs M with reference points."""
    input:
        records=analysis_records(),
        reference="config/reference/lq_pair_xsec.csv",
    output:
        report(summary_plots(), caption="../workflow/report/plots.rst", category="Plots"),
    log:
        f"logs/{LEVEL_DIR}summary/plots.log",
    conda:
        "../environment.yml"
    container:
        container_for("summarise")
    params:
        generator=GENERATOR,
        level=LEVEL,
        sqrt_s_gev=float(config["sqrt_s_gev"]),
        luminosity_fb=float(config["luminosity_fb"]),
        complete_above_gev=float(config["inference"]["fit_region"]["min_gev"]),
        version=PACKAGE_VERSION,
    script:
        "../scripts/summary_plots.py"


rule djr_check:
    """Differential jet rates of an MLM-matched MadGraph sample: plots and the smoothness check
    across the merging scale (bsmflow.summarise.djr)."""
    input:
        showers=lambda w: chunk_paths("results/madgraph/{sample}/shower/chunk{chunk}.root", w.sample),
        matching=lambda w: matching_card(SAMPLES[w.sample].process),
        gridpack="results/madgraph/{sample}/gridpack/gridpack.json",
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
        container_for("summarise")
    params:
        version=PACKAGE_VERSION,
    script:
        "../scripts/djr_check.py"
