from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.generate.madgraph import make_process  # noqa: E402

make_process(snakemake.params.mg5, snakemake.input.ufo, snakemake.input.card, snakemake.output.process)
