from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.generate import generate_lhe  # noqa: E402

generate_lhe(
    snakemake.input.card,
    snakemake.input.get("param_card"),
    snakemake.output.lhe,
    snakemake.output.record,
    **snakemake.params.run,
)
