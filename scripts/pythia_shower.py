import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.shower.hepmc import record_of  # noqa: E402
from bsmflow.shower.pythia import shower_lhe  # noqa: E402

hepmc = snakemake.output.get("hepmc")

shower_lhe(
    snakemake.input.lhe,
    snakemake.input.card,
    snakemake.output.root,
    sample=snakemake.wildcards.sample,
    chunk=int(snakemake.wildcards.chunk),
    seed=snakemake.params.seed,
    matching_card=snakemake.input.get("matching"),
    shower_variations=snakemake.params.shower_variations,
    hepmc_output=hepmc,
    hepmc_record=record_of(hepmc) if hepmc else "final",
    sampling=snakemake.params.sampling,
)
