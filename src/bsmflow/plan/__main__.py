"""The study from the command line (run from the workflow's directory):

    python -m bsmflow.plan describe [CONFIG] [CORES]  # generator, rough time, samples, jobs
    python -m bsmflow.plan mass-limit [CONFIG]   # the expected mass limit of the level it ran

CONFIG defaults to config/config.yaml; `make run` calls both, before and after Snakemake.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from ..infer.summary import describe
from . import build_study
from .estimate import describe_estimate
from .study import Study

SCHEMA = "workflow/schemas/config.schema.yaml"


def load(config_file: str) -> Study:
    config = yaml.safe_load(Path(config_file).read_text())
    return build_study(config, SCHEMA, source=config_file)


def overview(study: Study, cores: str | None = None) -> str:
    """What a run of the study will do, in a few lines."""
    signal = [study.samples[name] for name in study.signal_samples]
    backgrounds = [study.samples[name] for name in study.background_samples]
    chunks = sum(len(sizes) for sizes in study.chunks.values())
    return "\n".join(
        [
            study.generator_reason,
            describe_estimate(study, cores),
            f"generator {study.generator}, {study.level} level",
            f"signal: {len(signal)} mass points {study.masses} GeV, {sum(s.events for s in signal)} events",
            f"backgrounds: {len(backgrounds)} samples of {len(study.processes) - 1} processes, "
            f"{sum(s.events for s in backgrounds)} events",
            f"{chunks} chunks (generation, shower and clustering jobs each)",
        ]
    )


def mass_limit(study: Study) -> str:
    path = Path(study.layout.summary_dir) / "mass_limit.json"
    return f"{study.level} level: {describe(json.loads(path.read_text()))}"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("describe", "mass-limit"):
        print(__doc__, file=sys.stderr)
        return 2
    study = load(argv[1] if len(argv) > 1 else "config/config.yaml")
    print(overview(study, argv[2] if len(argv) > 2 else None) if argv[0] == "describe" else mass_limit(study))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
