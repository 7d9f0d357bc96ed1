rule pyhf_inference:
    """One mass point: its HistFactory model as a pyhf JSON workspace with the metadata sidecar
    (normalisation, rebinning rule and edges, MC statistics, nuisance parameters), then the
    expected (and observed) CLs limits on mu and sigma x BR, CLs at mu = 1 and Z0."""
    input:
        unpack(workspace_inputs),
    output:
        workspace=f"{INFERENCE_DIR}/{{sample}}/workspace.json",
        metadata=f"{INFERENCE_DIR}/{{sample}}/workspace_metadata.json",
        limits=f"{INFERENCE_DIR}/{{sample}}/limits.json",
    log:
        f"logs/{LEVEL_DIR}inference/{{sample}}/inference.log",
    benchmark:
        f"logs/{LEVEL_DIR}inference/{{sample}}/inference.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        run=workspace_params,
        seed=toys_seed,
        version=PACKAGE_VERSION,
    script:
        "../scripts/pyhf_inference.py"


rule inference_summary:
    """limits.csv (one row per mass point), mass_limit.json (the excluded mass and its band), the
    expected-limit (Brazil) plot and the fitted distribution of every mass point."""
    input:
        limits=limit_records(),
        workspaces=[f"{INFERENCE_DIR}/{name}/workspace.json" for name in signal_samples()],
        metadata=[f"{INFERENCE_DIR}/{name}/workspace_metadata.json" for name in signal_samples()],
    output:
        table=report(
            f"{SUMMARY_DIR}/limits.csv", caption="../workflow/report/limits.rst", category="Inference"
        ),
        mass_limit=f"{SUMMARY_DIR}/mass_limit.json",
        plots=report(
            inference_plots(), caption="../workflow/report/inference_plots.rst", category="Inference"
        ),
    log:
        f"logs/{LEVEL_DIR}inference/summary.log",
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        inference=inference_settings,
        luminosity_fb=float(config["luminosity_fb"]),
        sqrt_s_gev=float(config["sqrt_s_gev"]),
        generator=GENERATOR,
        level=LEVEL,
        version=PACKAGE_VERSION,
    script:
        "../scripts/inference_summary.py"
