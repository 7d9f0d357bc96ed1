"""What every plot of the workflow shares: the non-interactive backend, the background labels, the
caption, the MC statistical band and the atomic saving of each figure to the paths a rule names.
A low module: the summary and the inference plots both draw with it."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from .conventions import level_label
from .io import atomic_output

BACKGROUND_LABELS = {"dyjets": r"Drell-Yan + jets", "ttbar": r"$t\bar{t}$", "diboson": "Diboson"}


def save_figures(figures: dict[str, plt.Figure], paths: list[str]) -> None:
    """Save each figure to the paths whose stem is its name (format from the suffix), atomically;
    ValueError when a path has no figure or a figure no path."""
    by_stem: dict[str, list[Path]] = {}
    for path in map(Path, paths):
        by_stem.setdefault(path.stem, []).append(path)
    if set(by_stem) != set(figures):
        raise ValueError(
            f"plots drawn {sorted(figures)} do not match the outputs requested {sorted(by_stem)}"
        )
    for stem, figure in figures.items():
        figure.tight_layout()
        for path in by_stem[stem]:
            with atomic_output(path) as tmp:
                figure.savefig(tmp, format=path.suffix.lstrip("."), dpi=120)
        plt.close(figure)


def plot_caption(sqrt_s_gev: float, luminosity_fb: float, generator: str, level: str) -> str:
    """The caption of every summary and inference plot: energy, luminosity, generator and level."""
    return (
        f"$\\sqrt{{s}}$ = {sqrt_s_gev / 1000:g} TeV, {luminosity_fb:g} fb$^{{-1}}$, {generator}\n"
        f"{level_label(level)}"
    )


def background_band(ax, totals: np.ndarray, variances: np.ndarray, edges: np.ndarray) -> None:
    """The total background's MC statistical uncertainty (sqrt of the summed squared weights) as
    a hatched band around the top of the stack."""
    error = np.sqrt(variances)
    ax.stairs(
        totals + error,
        edges,
        baseline=np.clip(totals - error, 1e-9, None),
        fill=True,
        hatch="////",
        facecolor="none",
        edgecolor="dimgray",
        linewidth=0,
        label="Bkg. MC stat. unc.",
    )
