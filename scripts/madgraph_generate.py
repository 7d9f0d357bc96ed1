from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.generate.madgraph import generate_chunk  # noqa: E402
from bsmflow.generate.spec import GenerationSpec  # noqa: E402

generate_chunk(
    snakemake.input.gridpack,
    snakemake.input.record,
    snakemake.output.lhe,
    snakemake.output.record,
    GenerationSpec.from_params(snakemake.params.spec),
)
