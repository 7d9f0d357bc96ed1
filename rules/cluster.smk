rule fastjet_cluster:
    """Dressed isolated leptons and FastJet jets of one chunk."""
    input:
        "results/{generator}/shower/{sample}/chunk{chunk}.root",
    output:
        "results/{generator}/objects/{sample}/chunk{chunk}.root",
    params:
        leptons=dict(config["objects"]["leptons"]),
        jets=dict(config["objects"]["jets"]),
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    log:
        "logs/{generator}/cluster/{sample}/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/cluster/{sample}/chunk{chunk}.benchmark.tsv"
    script:
        "../scripts/fastjet_cluster.py"
