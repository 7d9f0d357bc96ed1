"""Per-sample analysis (rule analyse_sample): cross section, event selection, cutflow and m_LQ
histograms."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path

import awkward as ak
import hist
import numpy as np

from ..conventions import OBJECTS_TREE, OBSERVABLES, VARIATION_PREFIX
from ..generate.slices import stitching_weight
from ..io import atomic_output
from ..rootio import read_tree, read_variations
from ..stage import Stage, write_record
from .selection import (
    EventSelection,
    pair_leptons_jets,
    remove_overlapping_jets,
    scalar_sum_pt,
    select_events,
)

SELECTED_COLUMNS = ("mlq_min", "mlq_max", "st", "weight")
SHOWER_PREFIXES = ("isr_", "fsr_")


def combine_cross_sections(chunks: list[dict]) -> tuple[float, float, int]:
    """The sample's cross section (pb), its error and the total events.

    Pythia chunks are independent estimates of the same sigma: sigma = sum n_i s_i / N,
    error = sqrt(sum (n_i e_i)^2) / N. MadGraph chunks all carry their gridpack's integrated
    cross section (one estimate, shared): it is taken as it is.
    """
    total = sum(chunk["n_events"] for chunk in chunks)
    shared = {(gridpack_hash(chunk), chunk["sigma_pb"], chunk["sigma_err_pb"]) for chunk in chunks}
    if all(gridpack_hash(chunk) is not None for chunk in chunks):
        if len(shared) != 1:
            raise ValueError(
                f"chunks of {chunks[0]['sample']} come from different gridpacks: {sorted(shared)}"
            )
        ((_, sigma, error),) = shared
        return sigma, error, total
    sigma = sum(chunk["n_events"] * chunk["sigma_pb"] for chunk in chunks) / total
    error = math.sqrt(sum((chunk["n_events"] * chunk["sigma_err_pb"]) ** 2 for chunk in chunks)) / total
    return sigma, error, total


def gridpack_hash(chunk: dict) -> str | None:
    """SHA-256 of the gridpack a MadGraph chunk came from (None for a Pythia chunk)."""
    gridpack = chunk["inputs"].get("gridpack")
    return gridpack["sha256"] if gridpack else None


def make_histogram(observable: str, binning: dict) -> hist.Hist:
    """Weighted histogram with the fixed binning of every sample (under- and overflow kept)."""
    n_bins = round((binning["max_gev"] - binning["min_gev"]) / binning["width_gev"])
    axis = hist.axis.Regular(
        n_bins, binning["min_gev"], binning["max_gev"], name=observable, label=OBSERVABLES[observable]
    )
    return hist.Hist(axis, storage=hist.storage.Weight())


def histogram_record(histogram: hist.Hist) -> dict:
    """JSON-able bin contents; values and variances include underflow (first) and overflow (last)."""
    view = histogram.view(flow=True)
    return {
        "edges": histogram.axes[0].edges.tolist(),
        "values": view.value.tolist(),
        "variances": view.variance.tolist(),
    }


def relative_weights(weights: np.ndarray, norm: float | None = None) -> tuple[np.ndarray, float]:
    """Event weights relative to their mean magnitude in the chunk, and that mean. Pythia reports
    the LHE weight as it is: 1 in our own LHE files, sigma in pb in MadGraph's (event_norm =
    average). The normalisation comes from the generator's cross section, so only relative
    weights (and signs) matter: unweighted samples get 1 for every event. Variation weights are
    divided by the same mean, so that they keep their ratio to the nominal weight.

    ``norm``: the mean to divide by when the shower dropped events (shower sampling: the mean
    |weight| of all the LHE events read, which the kept events' weights, multiplied by their
    1 / keep probability, reproduce on average)."""
    weights = np.asarray(weights, dtype=np.float64)
    if norm is not None:
        return weights / norm, float(norm)
    scale = float(np.mean(np.abs(weights))) if len(weights) else 1.0
    return (weights / scale, scale) if scale > 0 else (weights, 1.0)


def analyse_sample(
    object_files: list[str],
    generation_records: list[str],
    output_json: str,
    output_events: str,
    *,
    sample: str,
    process: str,
    mass_gev: float | None,
    selection: dict,
    binning: dict,
    luminosity_fb: float,
    slice: dict | None = None,
    level: str = "particle",
) -> dict:
    """Select events of all chunks of one sample, fill m_LQ^min/max weighted by sigma L / N
    (for a slice of a background, ``slice`` = {variable, min_gev, max_gev}: sigma_slice L / N_slice,
    the stitching weight).

    Writes the record (cutflow, histograms) to ``output_json`` and the selected events (tree
    ``selected``: mlq_min, mlq_max, st in GeV and the weight in events at the luminosity) to
    ``output_events``, from which the inference stage makes its own histograms and cuts.
    ``level``: the objects' level ('particle' or 'detector:<card>'), recorded for the tables and
    plots."""
    inputs = {f"objects_{i}": path for i, path in enumerate(object_files)}
    inputs |= {f"generation_{i}": path for i, path in enumerate(generation_records)}
    stage = Stage("analyse", None, inputs)
    chunks = [json.loads(Path(path).read_text()) for path in generation_records]
    sigma_pb, sigma_err_pb, n_generated = combine_cross_sections(chunks)
    cuts = EventSelection(**selection)
    scale = stitching_weight(sigma_pb, luminosity_fb, n_generated)
    totals = SampleTotals(binning)
    for path in object_files:
        totals.add_chunk(path, cuts, scale)
    if totals.n_read != n_generated:
        raise ValueError(
            f"{sample}: the object files come from {totals.n_read} LHE events, the generator records "
            f"{n_generated}"
        )
    shower_factors = normalise_shower_variations(
        totals.variation_histograms, totals.selected, totals.variation_all, totals.nominal_all
    )
    record = stage.record(
        sample=sample,
        process=process,
        mass_gev=mass_gev,
        slice=slice,
        level=level,
        generator=chunks[0]["generator"],
        generator_version=chunks[0]["generator_version"],
        sigma_pb=sigma_pb,
        sigma_err_pb=sigma_err_pb,
        n_events=n_generated,
        n_chunks=len(chunks),
        # generator-level cuts and process settings of the sample (seed lines differ per chunk)
        generator_settings=[s for s in chunks[0]["settings"] if not s.startswith("Random:seed")],
        luminosity_fb=luminosity_fb,
        event_weight_fb=scale / luminosity_fb,
        selection=asdict(cuts),
        cutflow=totals.cutflow(),
        histograms={name: histogram_record(h) for name, h in totals.histograms.items()},
        variations=variation_record(
            totals.variation_histograms, totals.variation_all, totals.nominal_all, shower_factors
        ),
        pdf_note=(chunks[0].get("variations") or {}).get("pdf_note"),
    )
    write_record(output_json, record)
    write_selected_events(
        output_events, {name: np.concatenate(parts) for name, parts in totals.selected.items()}
    )
    return record


class SampleTotals:
    """What the analysis accumulates over a sample's chunks: the cutflow (raw and weighted
    counts), the m_LQ histograms, the selected events' columns and, per variation, its m_LQ^min
    histogram and its sum over every event (sigma_variation x L)."""

    def __init__(self, binning: dict) -> None:
        self.binning = binning
        self.histograms = {name: make_histogram(name, binning) for name in OBSERVABLES}
        self.raw_counts: dict[str, int] = {}
        self.weighted: dict[str, float] = {}
        self.weighted_sq: dict[str, float] = {}
        self.selected: dict[str, list[np.ndarray]] = {name: [] for name in SELECTED_COLUMNS}
        self.names: list[str] | None = None
        self.variation_histograms: dict[str, hist.Hist] = {}
        self.variation_all: dict[str, float] = {}
        self.nominal_all = 0.0
        self.n_read = 0

    def add_chunk(self, path: str, cuts: EventSelection, scale: float) -> None:
        """Read one objects file, select its events and add them (weights times ``scale``)."""
        events, metadata = read_tree(path, OBJECTS_TREE, ["lepton", "jet", "weight"])
        names = metadata.get("variations") or []
        if self.names is None:
            self.names = names
            self.variation_histograms = {name: make_histogram("mlq_min", self.binning) for name in names}
            self.selected |= {VARIATION_PREFIX + name: [] for name in names}
        elif self.names != names:
            raise ValueError(f"{path}: variations {names}, the first chunk has {self.names}")
        shower = metadata.get("shower", {})
        # an MLM-matched chunk holds the events the matching accepted out of the LHE events it read
        self.n_read += shower.get("n_lhe_events") or len(events)
        relative, norm = relative_weights(
            ak.to_numpy(events["weight"]).astype(np.float64), shower.get("weight_norm")
        )
        weights = relative * scale
        self.nominal_all += float(weights.sum())
        variations = {
            name: weight / norm * scale for name, weight in read_variations(path, OBJECTS_TREE, names).items()
        }
        jets = remove_overlapping_jets(events["jet"], events["lepton"], cuts.jet_lepton_overlap_dr)
        steps = select_events(events["lepton"], jets, cuts)
        for step, mask in steps.items():
            self.raw_counts[step] = self.raw_counts.get(step, 0) + int(mask.sum())
            self.weighted[step] = self.weighted.get(step, 0.0) + float(weights[mask].sum())
            self.weighted_sq[step] = self.weighted_sq.get(step, 0.0) + float((weights[mask] ** 2).sum())
        passed = list(steps.values())[-1]
        mlq_min, mlq_max = pair_leptons_jets(events["lepton"][passed], jets[passed])
        self.histograms["mlq_min"].fill(mlq_min, weight=weights[passed])
        self.histograms["mlq_max"].fill(mlq_max, weight=weights[passed])
        columns = (mlq_min, mlq_max, scalar_sum_pt(events["lepton"][passed], jets[passed]), weights[passed])
        for name, column in zip(SELECTED_COLUMNS, columns, strict=True):
            self.selected[name].append(np.asarray(column, dtype=np.float64))
        for name, weight in variations.items():
            self.variation_histograms[name].fill(mlq_min, weight=weight[passed])
            self.selected[VARIATION_PREFIX + name].append(weight[passed])
            self.variation_all[name] = self.variation_all.get(name, 0.0) + float(weight.sum())

    def cutflow(self) -> list[dict]:
        """Raw and weighted counts per step, in the selection's order, with the weighted error."""
        return [
            {
                "step": step,
                "raw": self.raw_counts[step],
                "weighted": self.weighted[step],
                "weighted_err": math.sqrt(self.weighted_sq[step]),
            }
            for step in self.raw_counts
        ]


def normalise_shower_variations(
    histograms: dict[str, hist.Hist],
    selected: dict[str, list],
    all_events: dict[str, float],
    nominal_all: float,
) -> dict[str, float]:
    """Scale each shower variation (isr_*, fsr_*) so that its weights over all generated events sum
    to the nominal ones: the shower conserves the cross section (unitarity), and Pythia's FSR
    weights are so broad (median 0.15, tail to ~100 for fsr:muRfac = 0.5) that their sample sum
    misses it by several per cent of statistical noise. The variation then changes acceptance and
    shape only. Returns name -> the factor applied (histograms and selected columns in place)."""
    factors = {}
    for name in histograms:
        if name.startswith(SHOWER_PREFIXES) and all_events.get(name) and nominal_all:
            factor = nominal_all / all_events[name]
            histograms[name] *= factor
            selected[VARIATION_PREFIX + name] = [part * factor for part in selected[VARIATION_PREFIX + name]]
            factors[name] = factor
    return factors


def variation_record(
    histograms: dict[str, hist.Hist],
    all_events: dict[str, float],
    nominal_all: float,
    factors: dict[str, float],
) -> dict:
    """Per variation: the m_LQ^min histogram (events at the luminosity), the sum of its weights
    over all generated events before any normalisation (sigma_variation x L; ``nominal_all`` is
    sigma x L), their ratio and the factor applied to a shower variation's weights."""
    return {
        name: {
            "all_events": all_events[name],
            "sigma_ratio": all_events[name] / nominal_all if nominal_all else None,
            "normalisation_factor": factors.get(name, 1.0),
            "mlq_min": histogram_record(histogram),
        }
        for name, histogram in histograms.items()
    }


def write_selected_events(path: str, columns: dict[str, np.ndarray]) -> None:
    """The selected events as tree ``selected`` (one float64 branch per column), atomically."""
    import uproot

    with atomic_output(path) as tmp:
        with uproot.recreate(tmp) as out:
            out["selected"] = columns
