"""The inference stage's jobs: the workspace of one mass point and its limits (rule
pyhf_inference) and the summary over the scan (rule inference_summary, with the plots)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..analyse.variations import fit_systematics
from ..conventions import PB_TO_FB, VARIATION_PREFIX
from ..io import atomic_output
from ..stage import Stage, record_text, write_record
from .fit_histograms import add, fill, fine_edges, merged_edges, rebin
from .mass_limit import crossing
from .reference import pair_branching_ratio, read_reference_table, reference_cross_section
from .workspace import SIGNAL, build_workspace

log = logging.getLogger(__name__)


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
    minimum = inference["rebinning"]["min_background_mc_events"]
    min_expected = inference["rebinning"]["min_background_events"]
    fit_edges = merged_edges(edges, entries, minimum, expected, min_expected)
    backgrounds = {name: rebin(h, fit_edges) for name, h in backgrounds.items()}
    signal = rebin(signal, fit_edges)
    varied = {
        name: variation_histograms(parts, observable, edges, cuts, fit_edges)
        for name, parts in background_columns.items()
    }
    varied[SIGNAL] = variation_histograms([signal_columns], observable, edges, cuts, fit_edges)

    generated_fb = json.loads(Path(signal_record).read_text())["sigma_pb"] * PB_TO_FB
    table = read_reference_table(reference_table)
    reference = reference_cross_section(table, mass_gev, reference_table)
    branching = pair_branching_ratio(param_card, model_keys["pdg_id"], model_keys["yukawa_block"])
    if inference["signal_normalisation"] == "reference":
        theory_fb = reference.sigma_fb * branching
        k_factor = theory_fb / generated_fb
    else:
        theory_fb, k_factor = generated_fb, 1.0
    signal = replace(signal, values=signal.values * k_factor, variances=signal.variances * k_factor**2)
    varied[SIGNAL] = {name: values * k_factor for name, values in varied[SIGNAL].items()}
    # a signal normalised to the reference cross section: its normalisation uncertainty is the
    # reference's (signal_theory), so its scale and PDF variations enter as shapes only
    signal_shape_only = {"scale", "pdf"} if inference["signal_normalisation"] == "reference" else set()
    # a variation estimated from a handful of MC events is MC noise: such samples keep none.
    # Weighted samples (slices, biased or sampled generation) count their effective events.
    min_events = inference["variation_min_mc_events"]
    samples = [(SIGNAL, signal), *backgrounds.items()]
    effective = {name: effective_events(h) for name, h in samples}
    skipped = {name: effective[name] for name, _ in samples if varied[name] and effective[name] < min_events}
    modifiers = {
        name: fit_systematics(
            histogram.values,
            varied[name],
            process=name,
            shape_only=signal_shape_only if name == SIGNAL else set(),
        )
        for name, histogram in samples
        if name not in skipped
    }
    workspace = build_workspace(
        signal,
        backgrounds,
        uncertainties=inference["uncertainties"],
        signal_theory_relative=reference.relative_uncertainty,
        variation_modifiers=modifiers,
        observed=observed_counts(observed, fit_edges) if observed else None,
    )
    metadata = stage.record(
        sample=sample,
        mass_gev=mass_gev,
        observable=observable,
        fit_region=region,
        rebinning_rule=(
            f"from the highest bin down, adjacent bins of width {binning['width_gev']:g} GeV are merged "
            f"until each holds at least {minimum} unweighted background MC events and {min_expected:g} "
            "expected background events (all backgrounds); a low remainder joins the lowest merged bin"
        ),
        fine_edges_gev=edges.tolist(),
        edges_gev=fit_edges.tolist(),
        background_mc_events_per_bin={name: h.entries.tolist() for name, h in backgrounds.items()},
        effective_mc_events={name: round(count, 2) for name, count in effective.items()},
        signal_mc_events_per_bin=signal.entries.tolist(),
        expected_background=np.sum([h.values for h in backgrounds.values()], axis=0).tolist(),
        expected_signal=signal.values.tolist(),
        signal_normalisation=inference["signal_normalisation"],
        generated_sigma_fb=generated_fb,
        reference_sigma_fb=reference.sigma_fb,
        reference_sigma_err_fb=reference.sigma_err_fb,
        reference_table=reference_table,
        branching_ratio=branching,
        k_factor=k_factor,
        theory_sigma_br_fb=theory_fb,
        theory_sigma_br_err_fb=theory_fb * reference.relative_uncertainty,
        nuisance_parameters={
            "lumi": f"normsys, {inference['uncertainties']['luminosity']:g} on every sample",
            "signal_theory": f"normsys, {reference.relative_uncertainty:.4g} (reference table) on the signal",
            **{
                f"norm_{name}": f"normsys, {inference['uncertainties']['background_normalisation'][name]:g}"
                for name in backgrounds
            },
            "mc_stat": "staterror per bin (Barlow-Beeston lite) from every sample's sum of squared weights",
            **variation_descriptions(modifiers, signal_shape_only),
        },
        variations_skipped={
            name: f"{count:.1f} effective MC events ((sum w)^2 / sum w^2) in the fit region, fewer than "
            f"inference.variation_min_mc_events = {min_events}"
            for name, count in skipped.items()
        },
        data="observed: " + observed if observed else "background-only Asimov (sum of the backgrounds)",
    )
    with atomic_output(output_workspace) as tmp_ws, atomic_output(output_metadata) as tmp_meta:
        Path(tmp_ws).write_text(json.dumps(workspace, indent=1) + "\n")
        Path(tmp_meta).write_text(record_text(metadata))
    log.info("%s: %d fitted bins %s GeV, K = %.4g", sample, len(fit_edges) - 1, fit_edges.tolist(), k_factor)
    return workspace


def effective_events(histogram) -> float:
    """(sum w)^2 / sum w^2 of a histogram's fitted bins: its MC event count when unweighted."""
    total, variance = float(histogram.values.sum()), float(histogram.variances.sum())
    return total**2 / variance if variance > 0 else 0.0


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


LIMIT_COLUMNS = {
    "expected_limit_fb": "median",
    "expected_m2_fb": "m2",
    "expected_m1_fb": "m1",
    "expected_p1_fb": "p1",
    "expected_p2_fb": "p2",
}


def limit_table(records: list[dict]) -> pd.DataFrame:
    """limits.csv: one row per mass point."""
    rows = []
    for r in sorted(records, key=lambda r: r["mass_gev"]):
        row = {
            "mass_gev": r["mass_gev"],
            "sigma_theory_fb": r["theory_sigma_br_fb"],
            "sigma_theory_err_fb": r["theory_sigma_br_err_fb"],
            **{column: r["limit_fb_expected"][key] for column, key in LIMIT_COLUMNS.items()},
            "cls_expected_mu1": r["cls_mu1_expected"],
            "z0_expected": r["z0_expected"],
            "calculator": r["calculator"],
        }
        if "limit_fb_observed" in r:
            row["observed_limit_fb"] = r["limit_fb_observed"]
        rows.append(row)
    return pd.DataFrame(rows)


def mass_limits(table: pd.DataFrame) -> dict:
    """The expected mass limit and its +-1 sigma band (and the observed one, with data)."""
    masses, theory = table["mass_gev"].tolist(), table["sigma_theory_fb"].tolist()
    result = {
        "expected": crossing(masses, table["expected_limit_fb"].tolist(), theory),
        # a weaker limit (+1 sigma) excludes less: the band's low edge
        "expected_minus_1sigma": crossing(masses, table["expected_p1_fb"].tolist(), theory),
        "expected_plus_1sigma": crossing(masses, table["expected_m1_fb"].tolist(), theory),
    }
    if "observed_limit_fb" in table:
        result["observed"] = crossing(masses, table["observed_limit_fb"].tolist(), theory)
    return result


def write_limit_summary(
    limit_files: list[str],
    output_csv: str,
    output_json: str,
    *,
    inference: dict,
    luminosity_fb: float,
    level: str = "particle",
) -> dict:
    """limits.csv (one row per mass point, with its ``level``) and mass_limit.json."""
    records = [json.loads(Path(path).read_text()) for path in limit_files]
    table = limit_table(records)
    table["level"] = level
    crossings = mass_limits(table)
    summary = {
        "expected_mass_limit_gev": crossings["expected"]["value"],
        "expected_mass_limit_bound": crossings["expected"]["bound"],
        "expected_mass_limit_band_gev": {
            "minus_1sigma": crossings["expected_minus_1sigma"],
            "plus_1sigma": crossings["expected_plus_1sigma"],
        },
        "method": (
            f"CLs with the profile-likelihood test statistic q~_mu (pyhf {__import__('pyhf').__version__}), "
            f"{inference['cl']:g} CL, calculator per point: "
            f"{dict(zip(table['mass_gev'].tolist(), table['calculator'], strict=True))}; "
            "mass limit where the expected sigma x BR limit crosses the theory curve, log-linear "
            "interpolation between scan points"
        ),
        "normalisation": inference["signal_normalisation"],
        "luminosity_fb": luminosity_fb,
        "level": level,
        "observable": inference["observable"],
        "fit_region": inference["fit_region"],
    }
    if "observed" in crossings:
        summary["observed_mass_limit_gev"] = crossings["observed"]["value"]
        summary["observed_mass_limit_bound"] = crossings["observed"]["bound"]
    with atomic_output(output_csv) as tmp:
        table.to_csv(tmp, index=False)
    write_record(output_json, summary)
    return summary


def describe(summary: dict) -> str:
    """One line for the terminal: the expected mass limit with its band."""
    value, bound = summary["expected_mass_limit_gev"], summary["expected_mass_limit_bound"]
    band = summary["expected_mass_limit_band_gev"]

    def text(c):
        return f"{c['value']:.0f} GeV" if c["value"] is not None else c["bound"] + " GeV"

    central = f"{value:.0f} GeV" if value is not None else f"{bound} GeV (no crossing in the scan)"
    return (
        f"expected mass limit ({summary['normalisation']} normalisation, "
        f"{summary['luminosity_fb']:g} fb^-1): "
        f"{central}, -1 sigma {text(band['minus_1sigma'])}, +1 sigma {text(band['plus_1sigma'])}"
    )
