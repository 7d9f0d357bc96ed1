"""The histograms the fit uses: selected events of each sample in the fit region of the chosen
observable, with extra cuts, and the rebinning rule that keeps every fitted bin populated by
enough unweighted background Monte Carlo events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FitHistogram:
    """Sum of weights (events at the luminosity), sum of squared weights and the number of
    unweighted MC events per bin, with the bin edges in GeV."""

    edges: np.ndarray
    values: np.ndarray
    variances: np.ndarray
    entries: np.ndarray


def fine_edges(binning: dict, fit_region: dict) -> np.ndarray:
    """The analysis binning (binning.min_gev/max_gev/width_gev) restricted to the fit region; the
    fit region's edges must lie on the binning's edges."""
    n_bins = round((binning["max_gev"] - binning["min_gev"]) / binning["width_gev"])
    edges = np.linspace(binning["min_gev"], binning["max_gev"], n_bins + 1)
    low, high = fit_region["min_gev"], fit_region["max_gev"]
    inside = edges[(edges >= low - 1e-9) & (edges <= high + 1e-9)]
    if len(inside) < 2 or not np.isclose(inside[0], low) or not np.isclose(inside[-1], high):
        raise ValueError(
            f"inference.fit_region = {fit_region}: the edges must be edges of the binning "
            f"({binning['min_gev']:g}-{binning['max_gev']:g} GeV in steps of {binning['width_gev']:g})"
        )
    return inside


def passes_cuts(events: dict[str, np.ndarray], cuts: dict) -> np.ndarray:
    """Extra cuts of the fit region on the selected events' variables: st_min (S_T > st_min, GeV)."""
    return events["st"] > cuts["st_min"]


def fill(
    events: dict[str, np.ndarray], observable: str, edges: np.ndarray, cuts: dict, weight: str = "weight"
) -> FitHistogram:
    """Histogram of one sample's selected events (columns as the analysis writes them), weighted
    by the column ``weight`` (a variation: weight__<name>)."""
    keep = passes_cuts(events, cuts)
    values = events[observable][keep]
    weights = events[weight][keep]
    return FitHistogram(
        edges=edges,
        values=np.histogram(values, edges, weights=weights)[0],
        variances=np.histogram(values, edges, weights=weights**2)[0],
        entries=np.histogram(values, edges)[0],
    )


def add(histograms: list[FitHistogram]) -> FitHistogram:
    """The sum of histograms with the same edges (the slices of one process)."""
    first = histograms[0]
    for other in histograms[1:]:
        if not np.array_equal(other.edges, first.edges):
            raise ValueError("cannot add fit histograms with different edges")
    return FitHistogram(
        edges=first.edges,
        values=np.sum([h.values for h in histograms], axis=0),
        variances=np.sum([h.variances for h in histograms], axis=0),
        entries=np.sum([h.entries for h in histograms], axis=0),
    )


def merged_edges(
    edges: np.ndarray,
    background_entries: np.ndarray,
    min_entries: int,
    background_values: np.ndarray | None = None,
    min_expected: float = 0.0,
) -> np.ndarray:
    """The rebinning rule: walking from the highest bin down, merge adjacent bins until each merged
    bin holds at least ``min_entries`` unweighted background MC events (all backgrounds summed)
    and at least ``min_expected`` expected background events (``background_values``; with
    weighted slices many MC events can stand for a fraction of an event). A remainder at the low
    end that does not reach both is merged into the bin above it. ValueError when the whole region
    holds fewer than ``min_entries``."""
    if background_entries.sum() < min_entries:
        raise ValueError(
            f"the fit region holds {int(background_entries.sum())} unweighted background MC events, "
            f"fewer than inference.rebinning.min_background_mc_events = {min_entries}: widen the "
            "region or raise the background statistics"
        )
    values = np.zeros(len(background_entries)) if background_values is None else background_values
    kept = [edges[-1]]
    count, expected = 0, 0.0
    for index in range(len(background_entries) - 1, -1, -1):
        count += background_entries[index]
        expected += values[index]
        if count >= min_entries and expected >= min_expected:
            kept.append(edges[index])
            count, expected = 0, 0.0
    if len(kept) == 1:  # the whole region expects less than min_expected: one bin
        kept.append(edges[0])
    elif kept[-1] != edges[0]:
        kept[-1] = edges[0]  # the low remainder joins the lowest complete bin
    return np.array(kept[::-1])


def rebin(histogram: FitHistogram, edges: np.ndarray) -> FitHistogram:
    """Sum a histogram's bins into the coarser ``edges`` (each one an edge of the histogram)."""
    positions = np.searchsorted(histogram.edges, edges)
    if not np.allclose(histogram.edges[positions], edges):
        raise ValueError(f"{edges} are not edges of {histogram.edges}")
    starts = positions[:-1]
    return FitHistogram(
        edges=np.asarray(edges, dtype=float),
        values=np.add.reduceat(histogram.values, starts),
        variances=np.add.reduceat(histogram.variances, starts),
        entries=np.add.reduceat(histogram.entries, starts),
    )
