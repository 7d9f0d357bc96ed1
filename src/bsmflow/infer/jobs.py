"""The inference stage's jobs: the workspace of one mass point and its limits (rule
pyhf_inference) and the summary over the scan (rule inference_summary, with the plots)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from ..analyse.variations import fit_systematics
from ..io import atomic_output
from ..stage import Stage, record_text, write_record
from .inputs import fit_histograms, observed_counts, signal_normalisation
from .workspace import SIGNAL, build_workspace

log = logging.getLogger(__name__)


def make_workspace(
    signal_events: str,
    signal_record: str,
    background_events: dict[str, list[str]],
    param_card: str,
    reference_table: str,
    observed: str | None,
    output_workspace: str,
    output_metadata: str,
    *,
    sample: str,
    mass_gev: int,
    inference: dict,
    binning: dict,
    model_keys: dict,
) -> dict:
    """The pyhf workspace of one mass point and its metadata sidecar (normalisation, binning
    rule, edges, MC statistics, nuisance parameters). pyhf's schema allows no extra keys in a
    workspace, hence the sidecar. ``background_events`` maps each background process to the
    selected-events files of its samples (one per slice; their histograms are added)."""
    inputs = {"signal_events": signal_events, "signal_record": signal_record, "param_card": param_card}
    inputs |= {"reference_table": reference_table, "observed": observed}
    inputs |= {
        f"background_{name}_{i}": path
        for name, paths in background_events.items()
        for i, path in enumerate(paths)
    }
    stage = Stage("workspace", None, inputs)
    fit = fit_histograms(signal_events, background_events, inference, binning)
    norm = signal_normalisation(inference, mass_gev, signal_record, reference_table, param_card, model_keys)
    fit.scale_signal(norm["k_factor"])
    signal_shape_only = {"scale", "pdf"} if inference["signal_normalisation"] == "reference" else set()
    modifiers, effective, skipped = variation_modifiers(
        fit, inference["variation_min_mc_events"], signal_shape_only
    )
    reference = norm["reference"]
    workspace = build_workspace(
        fit.signal,
        fit.backgrounds,
        uncertainties=inference["uncertainties"],
        signal_theory_relative=reference.relative_uncertainty,
        variation_modifiers=modifiers,
        observed=observed_counts(observed, fit.fit_edges) if observed else None,
    )
    metadata = stage.record(
        sample=sample,
        mass_gev=mass_gev,
        **workspace_metadata(fit, norm, inference, binning, reference_table, observed),
        effective_mc_events={name: round(count, 2) for name, count in effective.items()},
        nuisance_parameters=nuisance_descriptions(norm, inference, fit, modifiers, signal_shape_only),
        variations_skipped={
            name: f"{count:.1f} effective MC events ((sum w)^2 / sum w^2) in the fit region, fewer than "
            f"inference.variation_min_mc_events = {inference['variation_min_mc_events']}"
            for name, count in skipped.items()
        },
    )
    with atomic_output(output_workspace) as tmp_ws, atomic_output(output_metadata) as tmp_meta:
        Path(tmp_ws).write_text(json.dumps(workspace, indent=1) + "\n")
        Path(tmp_meta).write_text(record_text(metadata))
    log.info(
        "%s: %d fitted bins %s GeV, K = %.4g",
        sample,
        len(fit.fit_edges) - 1,
        fit.fit_edges.tolist(),
        norm["k_factor"],
    )
    return workspace


def variation_modifiers(fit, min_events: int, signal_shape_only: set[str]) -> tuple[dict, dict, dict]:
    """The event-weight variations' modifiers per sample, each sample's effective MC events in
    the fit region, and the samples skipped for fewer than ``min_events`` of them. A variation
    estimated from a handful of MC events is MC noise: such samples keep none (weighted samples,
    from slices, bias or sampling, count their effective events). The signal's variations in
    ``signal_shape_only`` enter as shapes: with the reference normalisation its normalisation
    uncertainty is the reference's (signal_theory)."""
    samples = [(SIGNAL, fit.signal), *fit.backgrounds.items()]
    effective = {name: effective_events(h) for name, h in samples}
    skipped = {
        name: effective[name] for name, _ in samples if fit.varied[name] and effective[name] < min_events
    }
    modifiers = {
        name: fit_systematics(
            histogram.values,
            fit.varied[name],
            process=name,
            shape_only=signal_shape_only if name == SIGNAL else set(),
        )
        for name, histogram in samples
        if name not in skipped
    }
    return modifiers, effective, skipped


def workspace_metadata(
    fit, norm: dict, inference: dict, binning: dict, reference_table: str, observed
) -> dict:
    """What defines a workspace's numbers, beside it: region, binning rule and edges, MC
    statistics, expected yields and the signal's normalisation."""
    reference, rule = norm["reference"], inference["rebinning"]
    return {
        "observable": inference["observable"],
        "fit_region": inference["fit_region"],
        "rebinning_rule": (
            f"from the highest bin down, adjacent bins of width {binning['width_gev']:g} GeV are merged "
            f"until each holds at least {rule['min_background_mc_events']} unweighted "
            f"background MC events and {rule['min_background_events']:g} "
            "expected background events (all backgrounds); a low remainder joins the lowest merged bin"
        ),
        "fine_edges_gev": fit.edges.tolist(),
        "edges_gev": fit.fit_edges.tolist(),
        "background_mc_events_per_bin": {name: h.entries.tolist() for name, h in fit.backgrounds.items()},
        "signal_mc_events_per_bin": fit.signal.entries.tolist(),
        "expected_background": np.sum([h.values for h in fit.backgrounds.values()], axis=0).tolist(),
        "expected_signal": fit.signal.values.tolist(),
        "signal_normalisation": inference["signal_normalisation"],
        "generated_sigma_fb": norm["generated_fb"],
        "reference_sigma_fb": reference.sigma_fb,
        "reference_sigma_err_fb": reference.sigma_err_fb,
        "reference_table": reference_table,
        "branching_ratio": norm["branching"],
        "k_factor": norm["k_factor"],
        "theory_sigma_br_fb": norm["theory_fb"],
        "theory_sigma_br_err_fb": norm["theory_fb"] * reference.relative_uncertainty,
        "data": "observed: " + observed if observed else "background-only Asimov (sum of the backgrounds)",
    }


def nuisance_descriptions(
    norm: dict, inference: dict, fit, modifiers: dict, signal_shape_only: set[str]
) -> dict:
    """One line per nuisance parameter of the workspace, for its metadata."""
    uncertainties = inference["uncertainties"]
    return {
        "lumi": f"normsys, {uncertainties['luminosity']:g} on every sample",
        "signal_theory": (
            f"normsys, {norm['reference'].relative_uncertainty:.4g} (reference table) on the signal"
        ),
        **{
            f"norm_{name}": f"normsys, {uncertainties['background_normalisation'][name]:g}"
            for name in fit.backgrounds
        },
        "mc_stat": "staterror per bin (Barlow-Beeston lite) from every sample's sum of squared weights",
        **variation_descriptions(modifiers, signal_shape_only),
    }


def effective_events(histogram) -> float:
    """(sum w)^2 / sum w^2 of a histogram's fitted bins: its MC event count when unweighted."""
    total, variance = float(histogram.values.sum()), float(histogram.variances.sum())
    return total**2 / variance if variance > 0 else 0.0


def variation_descriptions(modifiers: dict[str, list[dict]], signal_shape_only: set[str]) -> dict[str, str]:
    """One line per nuisance parameter of the event-weight variations, for the metadata."""
    lines: dict[str, set[str]] = {}
    for sample, entries in modifiers.items():
        for modifier in entries:
            lines.setdefault(modifier["name"], set()).add(f"{modifier['type']} on {sample}")
    text = {name: ", ".join(sorted(kinds)) + " (event-weight variation)" for name, kinds in lines.items()}
    if signal_shape_only:
        text["signal_shape_only"] = (
            f"the signal's {' and '.join(sorted(signal_shape_only))} variations enter as shape only "
            "(normalised to the nominal yield in the fit region): its normalisation uncertainty "
            "is signal_theory"
        )
    return text


def make_limits(workspace_path: str, metadata_path: str, output: str, *, inference: dict, seed: int) -> dict:
    """Limits, CLs(mu = 1) and Z0 of one workspace, with the metadata that defines its numbers."""
    from .limits import compute  # pyhf and MINUIT: only this job needs them

    stage = Stage("limits", seed, {"workspace": workspace_path, "metadata": metadata_path})
    metadata = json.loads(Path(metadata_path).read_text())
    result = compute(
        json.loads(Path(workspace_path).read_text()),
        signal_fb=metadata["theory_sigma_br_fb"],
        cl=inference["cl"],
        calculator=inference["calculator"],
        ntoys=inference["toys"]["n"],
        toys_below_background=inference["toys"]["below_background_events"],
        seed=seed,
        observed=inference["observed"] is not None,
    )
    keys = (
        "sample",
        "mass_gev",
        "theory_sigma_br_fb",
        "theory_sigma_br_err_fb",
        "k_factor",
        "branching_ratio",
    )
    record = stage.record(**{key: metadata[key] for key in keys}, **result)
    write_record(output, record)
    log.info(
        "%s: expected limit %.4g fb (%s)",
        metadata["sample"],
        result["limit_fb_expected"]["median"],
        result["calculator"],
    )
    return record
