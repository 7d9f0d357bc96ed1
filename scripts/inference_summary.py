import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

import logging  # noqa: E402

from bsmflow.infer.jobs import describe, write_limit_summary  # noqa: E402
from bsmflow.infer.plots import draw_all  # noqa: E402
from bsmflow.summarise.plots import plot_caption, save_figures  # noqa: E402

p = snakemake.params
summary = write_limit_summary(
    list(snakemake.input.limits),
    snakemake.output.table,
    snakemake.output.mass_limit,
    inference=p.inference,
    luminosity_fb=p.luminosity_fb,
    level=p.level,
)
logging.info(describe(summary))
figures = draw_all(
    snakemake.output.table,
    snakemake.output.mass_limit,
    list(snakemake.input.workspaces),
    list(snakemake.input.metadata),
    caption=plot_caption(p.sqrt_s_gev, p.luminosity_fb, p.generator, p.level),
)
save_figures(figures, list(snakemake.output.plots))
