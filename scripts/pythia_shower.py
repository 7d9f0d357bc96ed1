from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.shower.hepmc import record_of  # noqa: E402
from bsmflow.shower.pythia import shower_lhe  # noqa: E402
from bsmflow.shower.spec import ShowerSpec  # noqa: E402

hepmc = snakemake.output.get("hepmc")
shower_lhe(
    snakemake.input.lhe,
    snakemake.input.card,
    snakemake.output.root,
    **ShowerSpec.from_params(snakemake.params.spec).kwargs(),
    matching_card=snakemake.input.get("matching"),
    hepmc_output=hepmc,
    hepmc_record=record_of(hepmc) if hepmc else "final",
)
