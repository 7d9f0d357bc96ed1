from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.model.ufo import make_sm_ufo  # noqa: E402

make_sm_ufo(snakemake.output.ufo)
