from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.cluster.jets import cluster_chunk  # noqa: E402
from bsmflow.cluster.spec import ClusterSpec  # noqa: E402

spec = ClusterSpec.from_params(snakemake.params.spec)
cluster_chunk(snakemake.input[0], snakemake.output[0], **spec.kwargs())
