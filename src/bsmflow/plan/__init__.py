"""The study plan (the layer above the stages): the config checked and turned into one
:class:`Study` that owns the samples, chunks, paths and every job's spec."""

from __future__ import annotations

from pathlib import Path

from ..generate.checks import check_generator_support, locate_madgraph, resolve_generator
from ..schema import ConfigError
from .study import Study
from .validate import validate_config

__all__ = ["ConfigError", "Study", "build_study"]


def build_study(
    config: dict,
    schema_path: str | Path,
    source: str,
    *,
    use_containers: bool = False,
    workdir: str | Path = ".",
) -> Study:
    """Check ``config`` (filling the schema's defaults into it), choose the generator and check it
    can simulate the model, then plan the study. Raises ConfigError naming file, key and value."""
    validate_config(config, schema_path, source, workdir)
    mg5, where = locate_madgraph(config, use_containers)
    generator, reason = resolve_generator(config["generator"], mg5, where)
    check_generator_support(config, generator, workdir, reason)
    return Study(config, generator, reason, mg5)
