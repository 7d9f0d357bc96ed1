import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

import logging  # noqa: E402

from bsmflow.infer.jobs import describe, write_limit_summary  # noqa: E402

summary = write_limit_summary(
    list(snakemake.input),
    snakemake.output.table,
    snakemake.output.mass_limit,
    inference=snakemake.params.inference,
    luminosity_fb=snakemake.params.luminosity_fb,
)
logging.info(describe(summary))
