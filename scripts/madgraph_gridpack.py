from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.generate.madgraph import make_gridpack  # noqa: E402
from bsmflow.generate.spec import GridpackSpec  # noqa: E402

spec = GridpackSpec.from_params(snakemake.params.spec)
make_gridpack(
    snakemake.params.mg5,
    snakemake.input.process,
    snakemake.input.get("param_card"),
    snakemake.input.run_card,
    gridpack=snakemake.output.gridpack,
    record=snakemake.output.record,
    cards_dir=snakemake.output.cards,
    cores=snakemake.threads,
    **spec.kwargs(),
)
