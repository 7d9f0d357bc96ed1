import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.generate.pythia import generate_lhe  # noqa: E402
from bsmflow.stage import ChunkSpec  # noqa: E402

generate_lhe(
    snakemake.input.card,
    snakemake.input.get("param_card"),
    snakemake.params.param_card_keys,
    snakemake.output.lhe,
    snakemake.output.record,
    ChunkSpec(**snakemake.params.run),
    cut=snakemake.params.slice,
    decay_filter=snakemake.params.decay_filter,
    bias=snakemake.params.bias,
    sampling=snakemake.params.sampling,
)
