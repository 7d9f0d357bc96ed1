import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.detector.response import detector_chunk  # noqa: E402

detector_chunk(
    snakemake.input.objects,
    snakemake.input.card,
    snakemake.output[0],
    seed=snakemake.params.seed,
    objects=snakemake.params.objects,
)
