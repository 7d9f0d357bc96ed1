import sys

sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # this workflow's own bsmflow

from bsmflow.logs import redirect_to_log  # noqa: E402

redirect_to_log(snakemake.log[0])

from bsmflow.infer.jobs import make_limits, make_workspace  # noqa: E402

run = dict(snakemake.params.run)
run.pop("backgrounds")
backgrounds = {}  # process -> selected-events files of its samples (slices are stitched)
for process, path in zip(run.pop("background_processes"), snakemake.input.backgrounds, strict=True):
    backgrounds.setdefault(process, []).append(path)
make_workspace(
    snakemake.input.signal_events,
    snakemake.input.signal_record,
    backgrounds,
    snakemake.input.param_card,
    snakemake.input.reference_table,
    snakemake.input.get("observed"),
    snakemake.output.workspace,
    snakemake.output.metadata,
    **run,
)
make_limits(
    snakemake.output.workspace,
    snakemake.output.metadata,
    snakemake.output.limits,
    inference=run["inference"],
    seed=snakemake.params.seed,
)
