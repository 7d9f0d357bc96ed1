rule fastjet_cluster:
    """Dressed isolated leptons and FastJet jets of one chunk."""
    input:
        "results/{generator}/{sample}/shower/chunk{chunk}.root",
    output:
        "results/{generator}/{sample}/objects/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/cluster/chunk{chunk}.log",
    cache: CACHE_OUTPUTS
    conda:
        "../environment.yml"
    container:
        STUDY.container("cluster")
    params:
        code=CODE["cluster"],
        spec=STUDY.cluster_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/fastjet_cluster.py"
