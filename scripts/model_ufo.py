from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.model.spec import UfoSpec  # noqa: E402
from bsmflow.model.ufo import make_ufo  # noqa: E402

make_ufo(snakemake.output.ufo, **UfoSpec.from_params(snakemake.params.spec).kwargs())
