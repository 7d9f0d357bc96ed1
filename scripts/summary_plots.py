import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.summarise.plots import draw_all, save_figures  # noqa: E402
from bsmflow.summarise.tables import load_records  # noqa: E402

p = snakemake.params
figures = draw_all(
    load_records(list(snakemake.input.records)),
    p.sqrt_s_gev,
    p.luminosity_fb,
    p.generator,
    snakemake.input.reference,
    p.complete_above_gev,
    p.level,
)
save_figures(figures, list(snakemake.output))
