import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.generate.madgraph import make_gridpack  # noqa: E402

make_gridpack(
    snakemake.params.mg5,
    snakemake.input.process,
    snakemake.input.get("param_card"),
    snakemake.input.run_card,
    gridpack=snakemake.output.gridpack,
    record=snakemake.output.record,
    cards_dir=snakemake.output.cards,
    cores=snakemake.threads,
    cut=snakemake.params.slice,
    **snakemake.params.run,
)
