from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.summarise.djr import run_check  # noqa: E402

run_check(
    list(snakemake.input.showers),
    snakemake.input.matching,
    snakemake.input.gridpack,
    snakemake.output.record,
    list(snakemake.output.plots),
    sample=snakemake.wildcards.sample,
)
