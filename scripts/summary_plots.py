from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.plotting import save_figures  # noqa: E402
from bsmflow.summarise.plots import draw_all  # noqa: E402
from bsmflow.summarise.spec import SummarySpec  # noqa: E402
from bsmflow.summarise.tables import load_records  # noqa: E402

spec = SummarySpec.from_params(snakemake.params.spec)
figures = draw_all(
    load_records(list(snakemake.input.records)),
    spec.sqrt_s_gev,
    spec.luminosity_fb,
    spec.generator,
    snakemake.input.reference,
    spec.complete_above_gev,
    spec.level,
)
save_figures(figures, list(snakemake.output))
