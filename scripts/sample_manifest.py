from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.provenance import write_manifest  # noqa: E402

write_manifest(
    snakemake.output[0],
    generation_records=list(snakemake.input.generation),
    object_files=list(snakemake.input.objects),
    analysis_record=snakemake.input.analysis,
    cards=list(snakemake.input.cards),
    workflow_dir=f"{snakemake.scriptdir}/..",
    **snakemake.params.sample,
)
