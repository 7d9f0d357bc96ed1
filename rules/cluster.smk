rule fastjet_cluster:
    """Dressed isolated leptons and FastJet jets of one chunk."""
    input:
        "results/{generator}/{sample}/shower/chunk{chunk}.root",
    output:
        "results/{generator}/{sample}/objects/chunk{chunk}.root",
    params:
        leptons=dict(config["objects"]["leptons"]),
        jets=dict(config["objects"]["jets"]),
        version=PACKAGE_VERSION,
    conda:
        "../environment.yml"
    container:
        container_for("cluster")
    log:
        "logs/{generator}/{sample}/cluster/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/{sample}/cluster/chunk{chunk}.benchmark.tsv"
    script:
        "../scripts/fastjet_cluster.py"
