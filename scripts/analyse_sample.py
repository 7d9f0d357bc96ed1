import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.analyse.sample import analyse_sample  # noqa: E402

analyse_sample(
    list(snakemake.input.objects),
    list(snakemake.input.generation),
    snakemake.output.record,
    snakemake.output.events,
    **snakemake.params.run,
)
