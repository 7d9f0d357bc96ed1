import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.generate.madgraph import generate_chunk  # noqa: E402
from bsmflow.stage import ChunkSpec  # noqa: E402

generate_chunk(
    snakemake.input.gridpack,
    snakemake.input.record,
    snakemake.output.lhe,
    snakemake.output.record,
    ChunkSpec(**snakemake.params.run),
)
