from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.analyse.sample import analyse_sample  # noqa: E402
from bsmflow.analyse.spec import AnalysisSpec  # noqa: E402

spec = AnalysisSpec.from_params(snakemake.params.spec)
analyse_sample(
    list(snakemake.input.objects),
    list(snakemake.input.generation),
    snakemake.output.record,
    snakemake.output.events,
    **spec.kwargs(),
)
