rule pyhf_inference:
    """One mass point: its HistFactory model as a pyhf JSON workspace with the metadata sidecar
    (normalisation, rebinning rule and edges, MC statistics, nuisance parameters), then the
    expected (and observed) CLs limits on mu and sigma x BR, CLs at mu = 1 and Z0."""
    input:
        unpack(from_study(STUDY.workspace_inputs)),
    output:
        workspace=LAYOUT.inference("{sample}", "workspace.json"),
        metadata=LAYOUT.inference("{sample}", "workspace_metadata.json"),
        limits=LAYOUT.inference("{sample}", "limits.json"),
    log:
        f"logs/{LEVEL_DIR}inference/{{sample}}/inference.log",
    benchmark:
        f"logs/{LEVEL_DIR}inference/{{sample}}/inference.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        STUDY.container("infer")
    params:
        spec=from_study(STUDY.workspace_spec),
        version=PACKAGE_VERSION,
    script:
        "../scripts/pyhf_inference.py"


rule inference_summary:
    """limits.csv (one row per mass point), mass_limit.json (the excluded mass and its band), the
    expected-limit (Brazil) plot and the fitted distribution of every mass point."""
    input:
        limits=STUDY.inference_files("limits.json"),
        workspaces=STUDY.inference_files("workspace.json"),
        metadata=STUDY.inference_files("workspace_metadata.json"),
    output:
        table=report(
            f"{LAYOUT.summary_dir}/limits.csv", caption="../workflow/report/limits.rst", category="Inference"
        ),
        mass_limit=f"{LAYOUT.summary_dir}/mass_limit.json",
        plots=report(
            STUDY.inference_plots(), caption="../workflow/report/inference_plots.rst", category="Inference"
        ),
    log:
        f"logs/{LEVEL_DIR}inference/summary.log",
    conda:
        "../environment.yml"
    container:
        STUDY.container("infer")
    params:
        spec=STUDY.inference_summary_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/inference_summary.py"
