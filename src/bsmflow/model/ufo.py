"""The model stage's UFO jobs (rules model_ufo and model_sm_ufo): the model's UFO from the
configured source (builder, ready UFO or FeynRules) and the plain SM UFO, validated; nothing is
left at the output when a step fails."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from ..io import atomic_output
from .feynrules import run_feynrules
from .modelfile import load_model_file
from .ufo_build import base_ufo_path, build_ufo
from .ufo_read import UFOError
from .ufo_validate import validate_ufo


def copy_ufo(source: str | Path, out_dir: str | Path) -> Path:
    """A ready UFO directory, copied (MadGraph may rewrite a model in place on import)."""
    source = Path(source)
    if not (source / "__init__.py").is_file():
        raise UFOError(f"model.ufo = {str(source)!r}: not a UFO directory (no __init__.py)")
    shutil.copytree(source, out_dir, ignore=shutil.ignore_patterns("*.pkl", "__pycache__"))
    return Path(out_dir)


def make_ufo(
    out_dir: str | Path,
    *,
    source: str,
    yukawa: list[list[float]],
    yukawa_block: str,
    model_file: str | None,
    ufo: str | None,
    feynrules: dict | None,
) -> Path:
    """The model stage's UFO from the configured source (model.source: builder, ufo or
    feynrules), validated; nothing is left at out_dir when any step fails. With the builder, the
    Yukawa matrix of the block ``yukawa_block`` takes the configured values."""
    with atomic_output(out_dir) as tmp:
        if source == "builder":
            spec = load_model_file(model_file)
            names = [y.block for y in spec.yukawas]
            if yukawa_block.upper() not in names:
                raise UFOError(f"model.yukawa_block = {yukawa_block!r}: {model_file} declares {names}")
            chosen = [y.name for y in spec.yukawas if y.block == yukawa_block.upper()]
            build_ufo(spec, tmp, values=dict.fromkeys(chosen, yukawa))
        elif source == "ufo":
            copy_ufo(ufo, tmp)
        else:
            run_feynrules(
                feynrules["wolframscript"],
                feynrules["path"],
                feynrules["model_files"],
                feynrules["lagrangian"],
                tmp,
            )
        problems = validate_ufo(tmp)
        if problems:
            raise UFOError(f"{source} UFO failed validation:\n  " + "\n  ".join(problems))
        logging.info("UFO from %s written to %s and validated", source, out_dir)
    return Path(out_dir)


def make_sm_ufo(out_dir: str | Path) -> Path:
    """The plain SM UFO (PyPI ufo-sm, without its stale pickle), validated, for backgrounds."""
    with atomic_output(out_dir) as tmp:
        copy_ufo(base_ufo_path("ufo-sm"), tmp)
        problems = validate_ufo(tmp)
        if problems:
            raise UFOError("ufo-sm failed validation:\n  " + "\n  ".join(problems))
    return Path(out_dir)
