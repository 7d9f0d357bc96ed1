import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

import logging  # noqa: E402

from bsmflow.plots import draw_all  # noqa: E402
from bsmflow.summary import load_records  # noqa: E402

p = snakemake.params
written = draw_all(
    load_records(list(snakemake.input.records)),
    "results/plots",
    p.sqrt_s_gev,
    p.luminosity_fb,
    p.generator,
    snakemake.input.reference,
)
expected = set(snakemake.output)
missing = expected - set(written)
if missing:
    raise RuntimeError(f"plots not drawn: {sorted(missing)}")
logging.info("wrote %d plot files", len(written))
