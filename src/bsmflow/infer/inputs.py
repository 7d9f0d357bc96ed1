"""What one mass point's fit is made of: the selected events filled into the fit region and
merged into the fitted bins, the variations' contents, observed counts, and the signal's
normalisation (reference cross section x branching ratio, or the generator's)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..conventions import PB_TO_FB, VARIATION_PREFIX
from .fit_histograms import FitHistogram, add, fill, fine_edges, merged_edges, rebin
from .reference import pair_branching_ratio, read_reference_table, reference_cross_section
from .workspace import SIGNAL


def selected_events(path: str) -> dict[str, np.ndarray]:
    """The analysis stage's selected events (tree ``selected``) as float64 columns."""
    import uproot

    try:
        with uproot.open(path) as handle:
            arrays = handle["selected"].arrays(library="np")
    except Exception as error:  # uproot raises many types for damaged files
        problem = f"{type(error).__name__}: {error}"
        raise ValueError(f"{path}: unreadable selected-events file ({problem})") from error
    return {name: np.asarray(values, dtype=np.float64) for name, values in arrays.items()}


def observed_counts(path: str, edges: np.ndarray) -> list[float]:
    """Observed counts (CSV: low_gev, high_gev, count in the analysis binning) summed into the
    fitted bins; ValueError if the file's bins do not cover the fit region on its edges."""
    table = pd.read_csv(path, comment="#")
    counts = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = table[(table["low_gev"] >= low - 1e-9) & (table["high_gev"] <= high + 1e-9)]
        if not np.isclose(inside["high_gev"].sub(inside["low_gev"]).sum(), high - low):
            raise ValueError(f"inference.observed = {path!r}: its bins do not cover {low:g}-{high:g} GeV")
        counts.append(float(inside["count"].sum()))
    return counts


@dataclass
class FitInputs:
    """One mass point's histograms in the fit region: the analysis binning's edges (GeV) and the
    merged ones the fit uses, the signal and each background process (slices added) in the fitted
    bins, and each sample's variation name -> fitted-bin contents."""

    edges: np.ndarray
    fit_edges: np.ndarray
    signal: FitHistogram
    backgrounds: dict[str, FitHistogram]
    varied: dict[str, dict[str, np.ndarray]]

    def scale_signal(self, k_factor: float) -> None:
        """The signal (and its variations) times ``k_factor``, its variances times k^2."""
        self.signal = replace(
            self.signal, values=self.signal.values * k_factor, variances=self.signal.variances * k_factor**2
        )
        self.varied[SIGNAL] = {name: values * k_factor for name, values in self.varied[SIGNAL].items()}


def fit_histograms(
    signal_events: str, background_events: dict[str, list[str]], inference: dict, binning: dict
) -> FitInputs:
    """Read the selected events and fill the fit region: the analysis binning merged from the top
    until every bin holds inference.rebinning's MC events and expected events of background."""
    region, observable = inference["fit_region"], inference["observable"]
    edges = fine_edges(binning, region)
    cuts = {"st_min": region["st_min"]}
    background_columns = {
        name: [selected_events(path) for path in paths] for name, paths in background_events.items()
    }
    backgrounds = {  # a sliced process: the sum of its slices (each weighted sigma_slice L / N_slice)
        name: add([fill(events, observable, edges, cuts) for events in parts])
        for name, parts in background_columns.items()
    }
    signal_columns = selected_events(signal_events)
    signal = fill(signal_columns, observable, edges, cuts)
    entries = np.sum([h.entries for h in backgrounds.values()], axis=0)
    expected = np.sum([h.values for h in backgrounds.values()], axis=0)
    rule = inference["rebinning"]
    fit_edges = merged_edges(
        edges, entries, rule["min_background_mc_events"], expected, rule["min_background_events"]
    )
    varied = {
        name: variation_histograms(parts, observable, edges, cuts, fit_edges)
        for name, parts in background_columns.items()
    }
    varied[SIGNAL] = variation_histograms([signal_columns], observable, edges, cuts, fit_edges)
    return FitInputs(
        edges,
        fit_edges,
        rebin(signal, fit_edges),
        {name: rebin(h, fit_edges) for name, h in backgrounds.items()},
        varied,
    )


def variation_histograms(
    parts: list[dict[str, np.ndarray]], observable: str, edges: np.ndarray, cuts: dict, fit_edges: np.ndarray
) -> dict[str, np.ndarray]:
    """Variation name -> its fitted-bin contents for one process (its slices added): every
    weight__<name> column of the selected events."""
    names = [
        column.removeprefix(VARIATION_PREFIX) for column in parts[0] if column.startswith(VARIATION_PREFIX)
    ]
    return {
        name: rebin(
            add([fill(p, observable, edges, cuts, VARIATION_PREFIX + name) for p in parts]), fit_edges
        ).values
        for name in names
    }


def signal_normalisation(
    inference: dict,
    mass_gev: int,
    signal_record: str,
    reference_table: str,
    param_card: str,
    model_keys: dict,
) -> dict:
    """The signal's cross section x BR (fb) the fit assumes and the K-factor that scales the
    generated events to it: the reference table's sigma at the mass times the pair's branching
    ratio from the param card (normalisation reference), or the generator's own sigma."""
    generated_fb = json.loads(Path(signal_record).read_text())["sigma_pb"] * PB_TO_FB
    table = read_reference_table(reference_table)
    reference = reference_cross_section(table, mass_gev, reference_table)
    branching = pair_branching_ratio(param_card, model_keys["pdg_id"], model_keys["yukawa_block"])
    if inference["signal_normalisation"] == "reference":
        theory_fb = reference.sigma_fb * branching
        k_factor = theory_fb / generated_fb
    else:
        theory_fb, k_factor = generated_fb, 1.0
    return {
        "generated_fb": generated_fb,
        "reference": reference,
        "branching": branching,
        "theory_fb": theory_fb,
        "k_factor": k_factor,
    }
