"""The study from the command line (run from the workflow's directory):

    python -m bsmflow.plan describe [CONFIG ...] [--cores N]   # generator, rough time, samples
    python -m bsmflow.plan mass-limit [CONFIG ...]             # the expected mass limit it ran to

CONFIG defaults to config/config.yaml; several are merged in order as Snakemake merges
`--configfile` over the workflow's config (a study file: config/config.yaml
config/studies/s1_left.yaml). `make run` calls both, before and after Snakemake.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from ..infer.summary import describe
from . import ConfigError, build_study
from .estimate import describe_estimate
from .study import Study

SCHEMA = "workflow/schemas/config.schema.yaml"


def merged(base: dict, update: dict) -> dict:
    """``update`` over ``base``, mappings merged key by key (Snakemake's config update)."""
    result = dict(base)
    for key, value in update.items():
        result[key] = (
            merged(result[key], value)
            if isinstance(value, dict) and isinstance(result.get(key), dict)
            else value
        )
    return result


def load(config_files: list[str]) -> Study:
    config: dict = {}
    for name in config_files:
        config = merged(config, yaml.safe_load(Path(name).read_text()))
    return build_study(config, SCHEMA, source=", ".join(config_files))


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
    args, cores = list(argv[1:]), None
    if "--cores" in args:
        at = args.index("--cores")
        cores = args[at + 1]
        del args[at : at + 2]
    try:
        study = load(args or ["config/config.yaml"])
    except ConfigError as error:
        print(f"bsmflow: {error}", file=sys.stderr)
        return 1
    print(overview(study, cores) if argv[0] == "describe" else mass_limit(study))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
