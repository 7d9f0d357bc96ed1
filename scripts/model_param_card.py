import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

import logging  # noqa: E402

from bsmflow.io import atomic_output  # noqa: E402
from bsmflow.model import model_param_card  # noqa: E402

p = snakemake.params
text, card = model_param_card(
    snakemake.input.ufo, p.mass_gev, p.yukawa, p.top_mass_gev, p.pdg_id, p.yukawa_block
)
with atomic_output(snakemake.output[0]) as tmp:
    open(tmp, "w").write(text)
logging.info(
    "M = %g GeV, width = %.6g GeV, %d decay channel(s)", card.mass_gev, card.width_gev, len(card.channels)
)
