from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.model.param_card import write_param_card  # noqa: E402
from bsmflow.model.spec import ParamCardSpec  # noqa: E402

spec = ParamCardSpec.from_params(snakemake.params.spec)
write_param_card(snakemake.input.ufo, snakemake.output[0], **spec.kwargs())
