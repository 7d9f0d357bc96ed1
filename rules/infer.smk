rule pyhf_workspace:
    """The HistFactory model of one mass point as a pyhf JSON workspace, with its metadata
    (normalisation, rebinning rule and edges, MC statistics, nuisance parameters)."""
    input:
        unpack(workspace_inputs),
    output:
        workspace="results/inference/{sample}/workspace.json",
        metadata="results/inference/{sample}/workspace_metadata.json",
    log:
        "logs/inference/{sample}/workspace.log",
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        run=workspace_params,
        version=PACKAGE_VERSION,
    script:
        "../scripts/pyhf_workspace.py"


rule pyhf_limits:
    """Expected (and observed) CLs limits on mu and sigma x BR, CLs at mu = 1 and Z0 of one mass
    point, with the asymptotic or the seeded toy calculator."""
    input:
        workspace="results/inference/{sample}/workspace.json",
        metadata="results/inference/{sample}/workspace_metadata.json",
    output:
        "results/inference/{sample}/limits.json",
    log:
        "logs/inference/{sample}/limits.log",
    benchmark:
        "logs/inference/{sample}/limits.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        inference=inference_settings,
        seed=toys_seed,
        version=PACKAGE_VERSION,
    script:
        "../scripts/pyhf_limits.py"


rule inference_summary:
    """limits.csv (one row per mass point) and mass_limit.json (the excluded mass and its band)."""
    input:
        limit_records(),
    output:
        table=report(
            "results/summary/limits.csv", caption="../workflow/report/limits.rst", category="Inference"
        ),
        mass_limit="results/summary/mass_limit.json",
    log:
        "logs/inference/summary.log",
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        inference=inference_settings,
        luminosity_fb=float(config["luminosity_fb"]),
        version=PACKAGE_VERSION,
    script:
        "../scripts/inference_summary.py"


rule inference_plots:
    """The expected-limit (Brazil) plot and the fitted distribution of every mass point."""
    input:
        table="results/summary/limits.csv",
        mass_limit="results/summary/mass_limit.json",
        workspaces=[f"results/inference/{name}/workspace.json" for name in signal_samples()],
        metadata=[f"results/inference/{name}/workspace_metadata.json" for name in signal_samples()],
    output:
        report(inference_plots(), caption="../workflow/report/inference_plots.rst", category="Inference"),
    log:
        "logs/inference/plots.log",
    conda:
        "../environment.yml"
    container:
        container_for("infer")
    params:
        sqrt_s_gev=float(config["sqrt_s_gev"]),
        luminosity_fb=float(config["luminosity_fb"]),
        generator=GENERATOR,
        version=PACKAGE_VERSION,
    script:
        "../scripts/inference_plots.py"
