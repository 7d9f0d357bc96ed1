rule fastjet_cluster:
    """Dressed isolated leptons and FastJet jets of one chunk."""
    input:
        "results/{generator}/{sample}/shower/chunk{chunk}.root",
    output:
        "results/{generator}/{sample}/objects/chunk{chunk}.root",
    log:
        "logs/{generator}/{sample}/cluster/chunk{chunk}.log",
    benchmark:
        "logs/{generator}/{sample}/cluster/chunk{chunk}.benchmark.tsv"
    conda:
        "../environment.yml"
    container:
        STUDY.container("cluster")
    params:
        spec=STUDY.cluster_spec(),
        version=PACKAGE_VERSION,
    script:
        "../scripts/fastjet_cluster.py"
