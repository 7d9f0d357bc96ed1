from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.detector.response import detector_chunk  # noqa: E402
from bsmflow.detector.spec import DetectorSpec  # noqa: E402

spec = DetectorSpec.from_params(snakemake.params.spec)
detector_chunk(snakemake.input.objects, snakemake.input.card, snakemake.output[0], **spec.kwargs())
