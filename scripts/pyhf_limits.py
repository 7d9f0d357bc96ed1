import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.infer.jobs import make_limits  # noqa: E402

make_limits(
    snakemake.input.workspace,
    snakemake.input.metadata,
    snakemake.output[0],
    inference=snakemake.params.inference,
    seed=snakemake.params.seed,
)
