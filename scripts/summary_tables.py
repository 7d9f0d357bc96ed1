import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.summarise.tables import load_records, write_summary  # noqa: E402

write_summary(
    load_records(list(snakemake.input)),
    dict(snakemake.output.items()),
    snakemake.params.generator,
    snakemake.params.level,
)
