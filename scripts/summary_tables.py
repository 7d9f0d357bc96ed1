from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.summary import load_records, write_summary  # noqa: E402

write_summary(load_records(list(snakemake.input)), dict(snakemake.output.items()),
              snakemake.params.generator)
