"""The whole configuration check, run before any job: the schema (with its defaults filled in),
then each stage's own checks of its settings, then what only the whole study can check."""

from __future__ import annotations

import math
import os
from pathlib import Path

from ..detector.checks import detector_errors
from ..generate.checks import background_errors, pdf_set_errors
from ..infer.checks import inference_errors
from ..model.checks import model_source_errors
from ..model.param_card import build_param_card
from ..schema import ConfigError, fill_defaults, schema_errors
from ..shower.checks import sampling_errors
from .samples import processes


def semantic_errors(config: dict, workdir: str | Path = ".") -> list[str]:
    """Checks beyond the schema: backgrounds and slices, binning, card files, model, writable
    results/. (A sample smaller than chunk_size is one chunk.)"""
    messages = []
    workdir = Path(workdir)
    messages += background_errors(config["backgrounds"])
    messages += sampling_errors(config["backgrounds"])
    if messages:
        return messages  # the processes and their cards cannot be listed
    binning = config["binning"]
    span = binning["max_gev"] - binning["min_gev"]
    n_bins = span / binning["width_gev"]
    if span <= 0 or not math.isclose(n_bins, round(n_bins)):
        messages.append(f"binning = {binning}: max_gev must exceed min_gev by a whole number of width_gev")
    cards = Path(config["cards_dir"])
    needed = [cards / "shower.cmnd"] + [cards / p / "pythia.cmnd" for p in processes(config)]
    for card in needed:
        if not (workdir / card).is_file():
            messages.append(f"cards_dir = {config['cards_dir']!r}: missing card file {card}")
    threshold = config["sqrt_s_gev"] / 2
    for mass in config["signal"]["masses_gev"]:
        if mass >= threshold:
            messages.append(
                f"signal.masses_gev: {mass} is at or above sqrt_s_gev / 2 = {threshold:g} GeV "
                f"(sqrt_s_gev = {config['sqrt_s_gev']:g}): a pair of leptoquarks of that mass cannot "
                "be produced"
            )
    model = config["model"]
    for mass in config["signal"]["masses_gev"]:
        try:
            build_param_card(mass, model["yukawa"], model["top_mass_gev"], model["pdg_id"])
        except ValueError as error:
            messages.append(f"model.yukawa = {config['model']['yukawa']}: {error}")
            break
    messages += model_source_errors(config["model"], workdir)
    messages += inference_errors(config, workdir)
    messages += detector_errors(config["detector"], workdir)
    messages += pdf_set_errors(config["variations"])
    results = workdir / "results"
    if results.exists() and not results.is_dir():
        messages.append(f"results directory {results.resolve()} exists but is not a directory")
    elif not os.access(results if results.exists() else workdir, os.W_OK):
        messages.append(f"results directory {results.resolve()} is not writable")
    return messages


def validate_config(config: dict, schema_path: str | Path, source: str, workdir: str | Path = ".") -> None:
    """Raise ConfigError listing every problem, each prefixed with the config file's name; on
    success the schema's defaults are filled into ``config``."""
    messages = schema_errors(config, schema_path)
    if not messages:
        fill_defaults(config, schema_path)
        messages = semantic_errors(config, workdir)
    if messages:
        raise ConfigError(f"invalid configuration in {source}:\n" + "\n".join(f"  - {m}" for m in messages))
