from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.summarise.spec import SummarySpec  # noqa: E402
from bsmflow.summarise.tables import load_records, write_summary  # noqa: E402

spec = SummarySpec.from_params(snakemake.params.spec)
write_summary(load_records(list(snakemake.input)), dict(snakemake.output.items()), spec.generator, spec.level)
