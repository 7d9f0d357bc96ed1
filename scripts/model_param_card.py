import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.model.param_card import write_param_card  # noqa: E402

p = snakemake.params
write_param_card(
    snakemake.input.ufo,
    snakemake.output[0],
    mass_gev=p.mass_gev,
    yukawa=p.yukawa,
    top_mass_gev=p.top_mass_gev,
    pdg_id=p.pdg_id,
    yukawa_block=p.yukawa_block,
)
