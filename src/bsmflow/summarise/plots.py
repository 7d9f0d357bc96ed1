"""Result plots (rule summary_plots), drawn from the analysis records with mplhep's style and saved
as PNG and PDF to the paths the rule names."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import mplhep
import numpy as np
import pandas as pd

from ..analyse.stitch import by_process
from ..analyse.variations import envelopes, groups, total_band
from ..conventions import OBSERVABLES, PARTICLE_LEVEL, SIGMA_VS_MASS_PLOT, SIGNAL_SHAPES_PLOT, mass_plot
from ..infer.fit_histograms import merged_edges
from ..plotting import BACKGROUND_LABELS, background_band, plot_caption
from .tables import to_hist

GROUP_LABELS = {"scale": "scale", "isr": "ISR", "fsr": "FSR", "pdf": "PDF"}


def _label(ax, text: str, top: bool = True) -> None:
    ax.text(
        0.03,
        0.97 if top else 0.03,
        text,
        transform=ax.transAxes,
        va="top" if top else "bottom",
        ha="left",
        fontsize=14,
    )


def plot_edges(edges: np.ndarray, background: np.ndarray, from_gev: float | None) -> np.ndarray:
    """The stack's bins: the analysis bins, merged above ``from_gev`` (the fit region) from the
    high end until each holds background (the rebinning rule of the inference with one MC event),
    so that no drawn bin where the backgrounds are shown complete is empty."""
    start = 0 if from_gev is None else int(np.searchsorted(edges, from_gev - 1e-9))
    populated = (background[start:] > 0).astype(int)
    if populated.sum() == 0:
        return edges
    return np.concatenate([edges[:start], merged_edges(edges[start:], populated, 1)])


def rebinned(histogram, edges: np.ndarray, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """(values, variances) of a histogram summed into ``edges`` and expressed per ``unit`` GeV."""
    starts = np.searchsorted(histogram.axes[0].edges, edges[:-1] + 1e-9) - 1
    scale = unit / np.diff(edges)
    values = np.add.reduceat(histogram.values(), starts) * scale
    variances = np.add.reduceat(histogram.variances(), starts) * scale**2
    return values, variances


def variation_values(record: dict, edges: np.ndarray, unit: float) -> dict[str, np.ndarray]:
    """Each variation's m_LQ^min of one record summed into ``edges`` per ``unit`` GeV."""
    return {
        name: rebinned(to_hist(record, "mlq_min", name), edges, unit)[0]
        for name in record.get("variations") or {}
    }


def theory_label(records: list[dict]) -> str:
    """The variation groups the records carry, for a legend: 'scale, ISR, FSR'."""
    names = sorted({name for r in records for name in r.get("variations") or {}})
    return ", ".join(GROUP_LABELS[group] for group in groups(names))


def theory_bands(records: list[dict], edges: np.ndarray, unit: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(down, up) of the sum of ``records`` from their variation weights: per group, the shower
    groups (isr, fsr: one shower) shift every process together; the scale envelopes are
    independent between processes and add in quadrature; the groups then add in quadrature
    (bsmflow.analyse.variations). None when no record has variations."""
    if not any(r.get("variations") for r in records):
        return None
    nominals = [rebinned(to_hist(r, "mlq_min"), edges, unit)[0] for r in records]
    total = np.sum(nominals, axis=0)
    per_group: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for record, nominal in zip(records, nominals, strict=True):
        for group, (low, high) in envelopes(nominal, variation_values(record, edges, unit)).items():
            per_group.setdefault(group, []).append((low - nominal, high - nominal))
    combined = {}
    for group, shifts in per_group.items():
        if group == "scale":
            down = -np.sqrt(np.sum([np.minimum(low, 0) ** 2 for low, _ in shifts], axis=0))
            up = np.sqrt(np.sum([np.maximum(high, 0) ** 2 for _, high in shifts], axis=0))
        else:
            down = np.sum([low for low, _ in shifts], axis=0)
            up = np.sum([high for _, high in shifts], axis=0)
        combined[group] = (total + down, total + up)
    return total_band(total, combined)


def draw_band(ax, band: tuple[np.ndarray, np.ndarray], edges: np.ndarray, label: str, color: str) -> None:
    low, high = band
    ax.stairs(
        high, edges, baseline=np.clip(low, 1e-9, None), fill=True, color=color, alpha=0.2, lw=0, label=label
    )


def mark_incomplete(ax, below_gev: float | None) -> None:
    """Grey out m_LQ^min < below_gev: the backgrounds are shown complete only above it."""
    if below_gev is None or below_gev <= ax.get_xlim()[0]:
        return
    ax.axvspan(ax.get_xlim()[0], below_gev, color="lightgray", alpha=0.5, zorder=0)
    ax.text(
        below_gev,
        0.5,
        "bkg. not shown complete",
        transform=ax.get_xaxis_transform(),
        rotation=90,
        ha="right",
        va="center",
        fontsize=11,
        color="dimgray",
    )


def mlq_stack(
    signal: dict, backgrounds: list[dict], caption: str, complete_above_gev: float | None = None
) -> plt.Figure:
    """m_LQ^min of one signal mass point over the stacked backgrounds (events per analysis bin
    width; sliced processes stitched), with the backgrounds' MC statistical band. Above
    ``complete_above_gev`` (the fit region) bins are merged until none is empty of background;
    below it the backgrounds are not shown complete: that range is greyed out."""
    figure, ax = plt.subplots(figsize=(8, 6))
    signal_hist = to_hist(signal, "mlq_min")
    fine = signal_hist.axes[0].edges
    unit = float(fine[1] - fine[0])
    edges = fine
    if backgrounds:
        histograms = [to_hist(b, "mlq_min") for b in backgrounds]
        edges = plot_edges(fine, np.sum([h.values() for h in histograms], axis=0), complete_above_gev)
        parts = [rebinned(h, edges, unit) for h in histograms]
        mplhep.histplot(
            [values for values, _ in parts],
            bins=edges,
            stack=True,
            histtype="fill",
            label=[BACKGROUND_LABELS.get(b["process"], b["process"]) for b in backgrounds],
            ax=ax,
            alpha=0.8,
        )
        background_band(
            ax, np.sum([v for v, _ in parts], axis=0), np.sum([w for _, w in parts], axis=0), edges
        )
        band = theory_bands(backgrounds, edges, unit)
        if band is not None:
            low, high = band
            for edge, label in ((high, f"Bkg. theory unc. ({theory_label(backgrounds)})"), (low, None)):
                ax.stairs(edge, edges, color="darkred", linestyle="--", lw=1.2, label=label)
    signal_values, signal_variances = rebinned(signal_hist, edges, unit)
    band = theory_bands([signal], edges, unit)
    if band is not None:
        draw_band(ax, band, edges, f"Signal theory unc. ({theory_label([signal])})", "black")
    mplhep.histplot(
        signal_values,
        bins=edges,
        yerr=np.sqrt(signal_variances),
        ax=ax,
        color="black",
        lw=2,
        label=f"S1 LQ, M = {signal['mass_gev']:.0f} GeV",
    )
    ax.set_yscale("log")
    ax.set_ylim(bottom=1e-4, top=ax.get_ylim()[1] * 1e5)  # the merged tail bins reach ~5e-4
    ax.set_xlim(fine[0], fine[-1])
    ax.set_ylabel(f"Events / {unit:g} GeV")
    ax.set_xlabel(OBSERVABLES["mlq_min"])
    mark_incomplete(ax, complete_above_gev)
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.92), fontsize=11, ncol=2)
    _label(ax, caption)
    return figure


def signal_shapes(signals: list[dict], caption: str) -> plt.Figure:
    """Unit-normalised m_LQ^min of every mass point, overlaid, each with the band of its
    variations' shapes (every variation normalised to its own total: shape only)."""
    figure, ax = plt.subplots(figsize=(8, 6))
    for record in signals:
        histogram = to_hist(record, "mlq_min")
        total = histogram.sum(flow=True).value
        if total > 0:
            artists = mplhep.histplot(
                histogram / total, ax=ax, lw=2, label=f"M = {record['mass_gev']:.0f} GeV"
            )
            edges = histogram.axes[0].edges
            shapes = {}
            for name in record.get("variations") or {}:
                varied = to_hist(record, "mlq_min", name)
                shapes[name] = varied.values() / max(varied.sum(flow=True).value, 1e-300)
            if shapes:
                nominal = histogram.values() / total
                band = total_band(nominal, envelopes(nominal, shapes))
                draw_band(ax, band, edges, None, artists[0].stairs.get_edgecolor())
    ax.set_ylabel("Fraction of selected events / bin")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(loc="upper right", fontsize=14)
    _label(ax, caption)
    return figure


def cross_section_vs_mass(
    signals: list[dict], reference: pd.DataFrame | None, caption: str, generator: str
) -> plt.Figure:
    """Generated LO sigma(pp -> S1 S1dag) x BR vs M with the published reference points."""
    figure, ax = plt.subplots(figsize=(8, 6))
    masses = np.array([r["mass_gev"] for r in signals], dtype=float)
    sigma_fb = np.array([r["sigma_pb"] for r in signals]) * 1000
    error_fb = np.array([r["sigma_err_pb"] for r in signals]) * 1000
    order = np.argsort(masses)
    ax.errorbar(
        masses[order],
        sigma_fb[order],
        yerr=error_fb[order],
        marker="o",
        color="black",
        label=f"This workflow ({generator}, LO, NNPDF2.3 LO)",
    )
    if reference is not None:
        for column, style in (("lo_fb", "v-."), ("nlo_fb", "s--"), ("nnlo_nnll_fb", "^:")):
            ax.plot(
                reference["mass_gev"],
                reference[column],
                style,
                label=f"{column.removesuffix('_fb').upper().replace('_', '+')} ref. (PDF4LHC15)",
            )
    ax.set_yscale("log")
    ax.set_xlabel("Leptoquark mass $M$ [GeV]")
    ax.set_ylabel(r"$\sigma(pp \to S_1 S_1^\dagger)$ [fb]")
    ax.legend(loc="upper right", fontsize=14)
    _label(ax, caption, top=False)
    return figure


def draw_all(
    records: list[dict],
    sqrt_s_gev: float,
    luminosity_fb: float,
    generator: str,
    reference_csv: str | None,
    complete_above_gev: float | None = None,
    level: str = PARTICLE_LEVEL,
) -> dict[str, plt.Figure]:
    """Every plot of the summary stage by name: mlq_min_M<mass> per mass point,
    mlq_min_signal_shapes and sigma_vs_mass. ``complete_above_gev``: where the backgrounds are
    shown complete (the inference's fit region starts there); below it the stacks are greyed.
    Every plot's caption names the ``level`` of the objects."""
    plt.style.use(mplhep.style.ROOT)
    signals = sorted((r for r in records if r["mass_gev"] is not None), key=lambda r: r["mass_gev"])
    backgrounds = [r for r in by_process(records) if r["mass_gev"] is None]
    caption = plot_caption(sqrt_s_gev, luminosity_fb, generator, level)
    figures = {}
    for signal in signals:
        figures[mass_plot("mlq_min", signal["mass_gev"])] = mlq_stack(
            signal, backgrounds, caption, complete_above_gev
        )
    if signals:
        figures[SIGNAL_SHAPES_PLOT] = signal_shapes(signals, caption)
        reference = None
        if reference_csv is not None:
            table = pd.read_csv(reference_csv, comment="#")
            table = table[np.isclose(table["sqrt_s_gev"], sqrt_s_gev)]
            reference = table if len(table) else None  # references only at the simulated energy
        figures[SIGMA_VS_MASS_PLOT] = cross_section_vs_mass(signals, reference, caption, generator)
    return figures
