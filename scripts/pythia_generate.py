from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.generate.pythia import generate_lhe  # noqa: E402
from bsmflow.generate.spec import GenerationSpec  # noqa: E402

spec = GenerationSpec.from_params(snakemake.params.spec)
generate_lhe(
    snakemake.input.card,
    snakemake.input.get("param_card"),
    spec.param_card_keys,
    snakemake.output.lhe,
    snakemake.output.record,
    spec,
    slice=spec.slice,
    decay_filter=spec.decay_filter,
    bias=spec.bias,
    sampling=spec.sampling,
)
