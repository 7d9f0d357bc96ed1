rule pyhf_inference:
    """One mass point: its HistFactory model as a pyhf JSON workspace with the metadata sidecar
    (normalisation, rebinning rule and edges, MC statistics, nuisance parameters), then the
    expected (and observed) CLs limits on mu and sigma x BR, CLs at mu = 1 and Z0."""
    input:
        unpack(workspace_inputs),
    output:
        workspace="results/inference/{sample}/workspace.json",
        metadata="results/inference/{sample}/workspace_metadata.json",
        limits="results/inference/{sample}/limits.json",
    log:
        "logs/inference/{sample}/inference.log",
    benchmark:
        "logs/inference/{sample}/inference.benchmark.tsv"
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
        workspaces=[f"results/inference/{name}/workspace.json" for name in signal_samples()],
        metadata=[f"results/inference/{name}/workspace_metadata.json" for name in signal_samples()],
    output:
        table=report(
            "results/summary/limits.csv", caption="../workflow/report/limits.rst", category="Inference"
        ),
        mass_limit="results/summary/mass_limit.json",
        plots=report(
            inference_plots(), caption="../workflow/report/inference_plots.rst", category="Inference"
        ),
    log:
        "logs/inference/summary.log",
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        inference=inference_settings,
        luminosity_fb=float(config["luminosity_fb"]),
        sqrt_s_gev=float(config["sqrt_s_gev"]),
        generator=GENERATOR,
        version=PACKAGE_VERSION,
    script:
        "../scripts/inference_summary.py"
