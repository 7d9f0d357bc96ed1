"""Inference plots (rule inference_summary): the expected-limit ("Brazil") plot against the theory
curve, and the fitted distribution of each mass point after rebinning."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import mplhep
import numpy as np
import pandas as pd

from ..conventions import BRAZIL_PLOT, OBSERVABLES, mass_plot
from ..plotting import BACKGROUND_LABELS, background_band


def brazil(table: pd.DataFrame, summary: dict, caption: str) -> plt.Figure:
    """Expected 95 % CL limit on sigma x BR against M with its +-1/2 sigma bands, the theory curve
    with its uncertainty band, the observed limit when there are data, and the crossing."""
    plt.style.use(mplhep.style.ROOT)
    figure, ax = plt.subplots(figsize=(8, 6))
    mass = table["mass_gev"].to_numpy(dtype=float)
    ax.fill_between(
        mass,
        table["expected_m2_fb"],
        table["expected_p2_fb"],
        color="#FFDF7F",
        label=r"Expected $\pm 2\sigma$",
    )
    ax.fill_between(
        mass,
        table["expected_m1_fb"],
        table["expected_p1_fb"],
        color="#85D1FB",
        label=r"Expected $\pm 1\sigma$",
    )
    ax.plot(mass, table["expected_limit_fb"], "k--", label="Expected limit (95% CL)")
    if "observed_limit_fb" in table:
        ax.plot(mass, table["observed_limit_fb"], "k-", marker="o", label="Observed limit (95% CL)")
    theory, error = table["sigma_theory_fb"].to_numpy(), table["sigma_theory_err_fb"].to_numpy()
    ax.fill_between(mass, theory - error, theory + error, color="red", alpha=0.25)
    label = {
        "reference": r"$\sigma_{\mathrm{NNLO+NNLL}} \times$ BR",
        "generator": r"$\sigma_{\mathrm{LO}} \times$ BR",
    }
    ax.plot(mass, theory, "r-", label=label[summary["normalisation"]] + r" $\pm$ unc.")
    if summary["expected_mass_limit_gev"] is not None:
        ax.axvline(
            summary["expected_mass_limit_gev"],
            color="gray",
            ls=":",
            label=f"Expected: M > {summary['expected_mass_limit_gev']:.0f} GeV",
        )
    ax.set_yscale("log")
    ax.set_xlabel("Leptoquark mass $M$ [GeV]")
    ax.set_ylabel(r"$\sigma \times$ BR [fb]")
    ax.legend(loc="upper right", fontsize=13)
    ax.text(0.03, 0.03, caption, transform=ax.transAxes, fontsize=13)
    return figure


def fit_distribution(workspace: dict, metadata: dict, caption: str) -> plt.Figure:
    """The fitted bins of one mass point: stacked backgrounds with their MC statistical band and
    the signal at mu = 1 on top, events per bin."""
    plt.style.use(mplhep.style.ROOT)
    figure, ax = plt.subplots(figsize=(8, 6))
    edges = np.array(metadata["edges_gev"])
    samples = workspace["channels"][0]["samples"]
    backgrounds = [s for s in samples if s["name"] != "signal"]
    signal = next(s for s in samples if s["name"] == "signal")
    mplhep.histplot(
        [np.array(s["data"]) for s in backgrounds],
        bins=edges,
        stack=True,
        histtype="fill",
        label=[BACKGROUND_LABELS.get(s["name"], s["name"]) for s in backgrounds],
        ax=ax,
        alpha=0.8,
    )
    total = np.sum([s["data"] for s in backgrounds], axis=0)
    variance = np.sum([np.square(_staterror(s)) for s in backgrounds], axis=0)
    background_band(ax, total, variance, edges)
    mplhep.histplot(
        np.array(signal["data"]),
        bins=edges,
        ax=ax,
        color="black",
        lw=2,
        label=f"S1 LQ, M = {metadata['mass_gev']} GeV ({metadata['signal_normalisation']})",
    )
    ax.set_yscale("log")
    ax.set_ylim(bottom=max(1e-3, 0.1 * float(np.min(total))), top=ax.get_ylim()[1] * 100)
    ax.set_xlabel(OBSERVABLES[metadata["observable"]])
    ax.set_ylabel("Events / bin")
    ax.legend(loc="upper right", fontsize=12)
    ax.text(0.03, 0.97, caption, transform=ax.transAxes, va="top", fontsize=13)
    return figure


def _staterror(sample: dict) -> list[float]:
    return next(m["data"] for m in sample["modifiers"] if m["type"] == "staterror")


def draw_all(
    table_csv: str, mass_limit_json: str, workspaces: list[str], metadata: list[str], caption: str
) -> dict:
    """Every inference plot by name: limits_brazil and fit_M<mass> per mass point."""
    import json
    from pathlib import Path

    summary = json.loads(Path(mass_limit_json).read_text())
    figures = {BRAZIL_PLOT: brazil(pd.read_csv(table_csv), summary, caption)}
    for workspace_path, metadata_path in zip(workspaces, metadata, strict=True):
        meta = json.loads(Path(metadata_path).read_text())
        workspace = json.loads(Path(workspace_path).read_text())
        figures[mass_plot("fit", meta["mass_gev"])] = fit_distribution(workspace, meta, caption)
    return figures
