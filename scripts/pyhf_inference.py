from bsmflow.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

from bsmflow.infer.jobs import make_limits, make_workspace  # noqa: E402
from bsmflow.infer.spec import WorkspaceSpec  # noqa: E402

spec = WorkspaceSpec.from_params(snakemake.params.spec)
make_workspace(
    snakemake.input.signal_events,
    snakemake.input.signal_record,
    spec.by_process(list(snakemake.input.backgrounds)),
    snakemake.input.param_card,
    snakemake.input.reference_table,
    snakemake.input.get("observed"),
    snakemake.output.workspace,
    snakemake.output.metadata,
    **spec.kwargs("sample", "mass_gev", "inference", "binning", "model_keys"),
)
make_limits(
    snakemake.output.workspace,
    snakemake.output.metadata,
    snakemake.output.limits,
    inference=spec.inference,
    seed=spec.toys_seed,
)
