"""A rough wall time of a study before it starts (`make run` prints it): CPU per generated event
and per MadGraph integration, measured on the reference machine in the default studies of both
generator paths (BENCHMARKS.md section 16), spread over the cores. Rough means rough: the costs
per event depend on the process, the slices and the shower sampling; the estimate is there so
that nobody starts the slower path without knowing."""

from __future__ import annotations

import os

from .study import Study

# CPU seconds per generated event: generation, shower (with the default shower sampling on the
# backgrounds) and clustering; MadGraph's unmatched samples and its MLM-matched ones apart
# (measured: Pythia 2.6 ms for the backgrounds, 8 ms for the signal; MadGraph ttbar 4-6 ms,
# diboson 10 ms, signal 9 ms, Drell-Yan + jets 15 ms with its hard-process sampling, 25 ms without)
EVENT_CPU_S = {"pythia": 0.0032, "madgraph": 0.007, "madgraph_matched": 0.018}
# CPU seconds of one MadGraph gridpack (integration: signal 11 s, ttbar 40 s, diboson 240-410 s,
# MLM Drell-Yan + jets 580-890 s) and of one process output (output and compilation)
GRIDPACK_CPU_S = {"signal": 15.0, "unmatched": 150.0, "matched": 700.0}
PROCESS_CPU_S = 30.0
# the rest: model, analysis, inference per mass point, summaries, Snakemake itself
INFERENCE_CPU_S = 40.0
FIXED_S = 60.0


def cpu_seconds(study: Study) -> dict[str, float]:
    """The study's estimated CPU seconds by part: events, integration, the rest."""
    events = integration = 0.0
    for sample in study.samples.values():
        matched = study.layout.matching_card(sample.process) is not None
        if study.generator == "pythia":
            events += sample.events * EVENT_CPU_S["pythia"]
            continue
        events += sample.events * EVENT_CPU_S["madgraph_matched" if matched else "madgraph"]
        kind = "signal" if sample.is_signal else "matched" if matched else "unmatched"
        integration += GRIDPACK_CPU_S[kind]
    if study.generator == "madgraph":
        integration += PROCESS_CPU_S * len(study.processes)
    rest = FIXED_S + INFERENCE_CPU_S * len(study.masses)
    return {"events": events, "integration": integration, "rest": rest}


def describe_estimate(study: Study, cores: str | int | None) -> str:
    """One line: the generator and roughly how long the study takes on ``cores`` cores."""
    n = (os.cpu_count() or 1) if cores in (None, "all") else max(int(cores), 1)
    parts = cpu_seconds(study)
    # integration jobs are few and long: they spread over at most as many cores as there are
    # gridpacks; the rest is many short jobs
    total = sum(parts.values()) / n
    line = f"generator {study.generator}: roughly {minutes(total)} on {n} core{'s' * (n > 1)}"
    if parts["integration"]:
        background = study.background_samples
        line += (
            f" ({minutes(parts['integration'] / n)} of it MadGraph integration, {len(study.samples)} "
            f"gridpacks; with the {len(background)} background samples in a shared output cache "
            f"(docs/caching.md) about {minutes(signal_only(study, parts) / n)})"
        )
    return line


def signal_only(study: Study, parts: dict[str, float]) -> float:
    """CPU seconds when every background job comes from the output cache."""
    fraction = sum(study.samples[s].events for s in study.signal_samples) / sum(
        s.events for s in study.samples.values()
    )
    gridpacks = len(study.signal_samples) * GRIDPACK_CPU_S["signal"] + PROCESS_CPU_S
    return parts["events"] * fraction + gridpacks + parts["rest"]


def minutes(seconds: float) -> str:
    return f"{max(1, round(seconds / 60))} min"
