"""Checks of the inference settings against the scan (config inference)."""

from __future__ import annotations

from pathlib import Path

from .fit_histograms import fine_edges
from .reference import read_reference_table


def inference_errors(config: dict, workdir: Path) -> list[str]:
    """The inference settings fit the scan: a non-empty fit region on the binning's edges, a
    normalisation uncertainty for every background, every mass inside the reference table."""
    inference, messages = config["inference"], []
    region = inference["fit_region"]
    if region["max_gev"] <= region["min_gev"]:
        messages.append(f"inference.fit_region = {region}: empty (max_gev must exceed min_gev)")
    else:
        try:
            fine_edges(config["binning"], region)
        except ValueError as error:
            messages.append(str(error))
    given = inference["uncertainties"]["background_normalisation"]
    for process in config["backgrounds"]["enabled"]:
        if process not in given:
            messages.append(
                f"inference.uncertainties.background_normalisation = {given}: no entry for the "
                f"background {process!r}"
            )
    table_path = inference["reference_table"]
    try:
        table = read_reference_table(workdir / table_path)
    except (OSError, ValueError) as error:
        messages.append(f"inference.reference_table = {table_path!r}: {error}")
    else:
        low, high = table["mass_gev"].min(), table["mass_gev"].max()
        for mass in config["signal"]["masses_gev"]:
            if not low <= mass <= high:
                messages.append(
                    f"signal.masses_gev: {mass} is outside inference.reference_table = {table_path!r} "
                    f"({low:g}-{high:g} GeV); the reference cross section is never extrapolated"
                )
    observed = inference["observed"]
    if observed is not None and not (workdir / observed).is_file():
        messages.append(f"inference.observed = {observed!r}: no such file")
    return messages
