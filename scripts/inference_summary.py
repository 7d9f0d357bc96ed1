from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

import logging  # noqa: E402

from bsmflow.infer.plots import draw_all  # noqa: E402
from bsmflow.infer.spec import InferenceSummarySpec  # noqa: E402
from bsmflow.infer.summary import describe, write_limit_summary  # noqa: E402
from bsmflow.plotting import plot_caption, save_figures  # noqa: E402

spec = InferenceSummarySpec.from_params(snakemake.params.spec)
summary = write_limit_summary(
    list(snakemake.input.limits),
    snakemake.output.table,
    snakemake.output.mass_limit,
    **spec.kwargs("inference", "luminosity_fb", "level"),
)
logging.info(describe(summary))
figures = draw_all(
    snakemake.output.table,
    snakemake.output.mass_limit,
    list(snakemake.input.workspaces),
    list(snakemake.input.metadata),
    caption=plot_caption(spec.sqrt_s_gev, spec.luminosity_fb, spec.generator, spec.level),
)
save_figures(figures, list(snakemake.output.plots))
