import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.cluster.jets import cluster_chunk  # noqa: E402

cluster_chunk(
    snakemake.input[0],
    snakemake.output[0],
    leptons=snakemake.params.leptons,
    jets=snakemake.params.jets,
)
