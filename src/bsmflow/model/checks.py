"""Checks of the model settings (config model): the model stage's input exists and agrees with
the configured Yukawa block and PDG id."""

from __future__ import annotations

from pathlib import Path

from .modelfile import ModelFileError, load_model_file


def model_source_errors(model: dict, workdir: Path) -> list[str]:
    """The model stage's input exists and makes sense (the model file is parsed here)."""
    source = model["source"]
    block = model["yukawa_block"].upper()
    if source == "builder":
        try:
            spec = load_model_file(workdir / model["file"])
        except ModelFileError as error:
            return [f"model.file = {model['file']!r}: {error}"]
        blocks = [y.block for y in spec.yukawas]
        if block not in blocks:
            return [f"model.yukawa_block = {block!r}: {model['file']} declares the Yukawa blocks {blocks}"]
        if model["pdg_id"] not in [s.pdg for s in spec.scalars]:
            pdgs = [s.pdg for s in spec.scalars]
            return [f"model.pdg_id = {model['pdg_id']}: {model['file']} declares PDG ids {pdgs}"]
    elif source == "ufo" and not (workdir / model["ufo"] / "__init__.py").is_file():
        return [f"model.ufo = {model['ufo']!r}: not a UFO directory (no __init__.py)"]
    return []
