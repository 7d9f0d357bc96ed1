"""Differential jet rates (DJR) of MLM-matched samples: the validation plots of the matching and a
smoothness check across the merging scale.

The shower stage stores, per accepted event, the kT scales d(0->1), d(1->2), d(2->3) (GeV) at
which the event's exclusive jet multiplicity changes (Pythia's JetMatchingMadgraph::getDJR) and
the number of matrix-element partons. With a consistent merging scale qCut (above the generator
cut xqcut) their distributions are smooth in log10(d); a wrong qCut leaves a hole (qCut below
xqcut: neither jet multiplicity fills the gap) or a step (double counting) near the scales.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from ..conventions import SHOWER_TREE

BIN_WIDTH = 0.1  # decades of log10(d / GeV)
P_MIN = 1e-4  # smooth when the local chi2's p-value is above this
RATES = ("djr01", "djr12", "djr23")


@dataclass(frozen=True)
class Smoothness:
    """Local smoothness of one DJR between ``low_gev`` and ``high_gev``: each bin of log10(d) is
    compared with the mean of its two neighbours, chi2 = sum (n_i - (n_(i-1) + n_(i+1)) / 2)^2 /
    (n_i + (n_(i-1) + n_(i+1)) / 4) over the bins (Poisson errors)."""

    rate: str
    low_gev: float
    high_gev: float
    chi2: float
    ndf: int
    p_value: float
    n_events: int

    @property
    def smooth(self) -> bool:
        return self.p_value > P_MIN


def window(qcut_gev: float, xqcut_gev: float) -> tuple[float, float]:
    """The range checked: from half the lower to twice the higher of qCut and xqcut."""
    return min(qcut_gev, xqcut_gev) / 2, max(qcut_gev, xqcut_gev) * 2


def smoothness(rate: str, values: np.ndarray, low_gev: float, high_gev: float) -> Smoothness:
    """The local chi2 of one DJR's log10 histogram over [low_gev, high_gev] (one extra bin each
    side for the neighbours). ValueError when the window holds no events."""
    values = np.asarray(values, dtype=np.float64)
    edges = np.arange(math.log10(low_gev) - BIN_WIDTH, math.log10(high_gev) + 2 * BIN_WIDTH, BIN_WIDTH)
    counts = np.histogram(np.log10(values[values > 0]), edges)[0].astype(np.float64)
    centre, neighbours = counts[1:-1], (counts[:-2] + counts[2:]) / 2
    variance = centre + (counts[:-2] + counts[2:]) / 4
    used = variance > 0
    if not used.any():
        raise ValueError(f"{rate}: no events between {low_gev:g} and {high_gev:g} GeV")
    chi2 = float(np.sum((centre[used] - neighbours[used]) ** 2 / variance[used]))
    ndf = int(used.sum())
    n_events = int(np.sum((values >= low_gev) & (values < high_gev)))
    return Smoothness(rate, low_gev, high_gev, chi2, ndf, float(stats.chi2.sf(chi2, ndf)), n_events)


def check_sample(rates: dict[str, np.ndarray], qcut_gev: float, xqcut_gev: float) -> list[Smoothness]:
    """Smoothness of d(1->2) and d(2->3), the transitions the merging scale sits on for a
    sample with one and two matrix-element jets (d(0->1) has no merging transition there)."""
    low, high = window(qcut_gev, xqcut_gev)
    return [smoothness(rate, rates[rate], low, high) for rate in RATES[1:]]


def write_check(path: str, sample: str, qcut_gev: float, xqcut_gev: float, checks: list[Smoothness]) -> None:
    from ..io import atomic_output

    record = {
        "sample": sample,
        "qcut_gev": qcut_gev,
        "xqcut_gev": xqcut_gev,
        "p_min": P_MIN,
        "smooth": all(c.smooth for c in checks),
        "checks": [asdict(c) | {"smooth": c.smooth} for c in checks],
    }
    with atomic_output(path) as tmp:
        Path(tmp).write_text(json.dumps(record, indent=1) + "\n")


def read_rates(shower_files: list[str]) -> dict[str, np.ndarray]:
    """DJR columns and n_me_partons of the showered chunks of one matched sample."""
    import uproot

    parts: dict[str, list[np.ndarray]] = {name: [] for name in (*RATES, "n_me_partons")}
    for path in shower_files:
        with uproot.open(path) as handle:
            tree = handle[SHOWER_TREE]
            missing = [name for name in parts if name not in tree]
            if missing:
                raise ValueError(f"{path}: no {missing} branches (not an MLM-matched shower output)")
            for name, values in tree.arrays(list(parts), library="np").items():
                parts[name].append(values)
    return {name: np.concatenate(values) for name, values in parts.items()}


def djr_figure(rates: dict[str, np.ndarray], qcut_gev: float, xqcut_gev: float, checks, caption: str):
    """log10 of d(0->1), d(1->2), d(2->3), stacked by matrix-element parton multiplicity, with
    qCut and xqcut marked and the smoothness p-values."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mplhep

    plt.style.use(mplhep.style.ROOT)
    figure, axes = plt.subplots(1, 3, figsize=(18, 6))
    by_rate = {c.rate: c for c in checks}
    multiplicities = sorted(set(rates["n_me_partons"].tolist()))
    edges = np.arange(0.0, 3.01, BIN_WIDTH)
    for ax, rate in zip(axes, RATES, strict=True):
        values = rates[rate]
        parts = [np.log10(values[(rates["n_me_partons"] == n) & (values > 0)]) for n in multiplicities]
        ax.hist(
            parts,
            edges,
            stacked=True,
            histtype="stepfilled",
            alpha=0.7,
            label=[f"{n} ME partons" for n in multiplicities],
        )
        ax.hist(np.log10(values[values > 0]), edges, histtype="step", color="black", label="sum")
        ax.axvline(math.log10(qcut_gev), color="red", ls="--", label=f"qCut = {qcut_gev:g} GeV")
        ax.axvline(math.log10(xqcut_gev), color="blue", ls=":", label=f"xqcut = {xqcut_gev:g} GeV")
        ax.set_xlabel(rf"$\log_{{10}}(d_{{{rate[3]}{rate[4]}}}$ / GeV)")
        ax.set_ylabel("Events / 0.1")
        ax.set_yscale("log")
        title = caption
        if rate in by_rate:
            check = by_rate[rate]
            title += f"\nsmoothness p = {check.p_value:.2g} ({'ok' if check.smooth else 'NOT smooth'})"
        ax.set_title(title, fontsize=12)
        ax.legend(fontsize=10)
    return figure


def run_check(
    shower_files: list[str],
    matching_card: str,
    gridpack_record: str,
    output: str,
    plots: list[str],
    *,
    sample: str,
) -> dict:
    """The DJR job of one matched sample: smoothness record (JSON) and plots. A DJR that is not
    smooth is logged as a warning (the record says which), it does not stop the workflow."""
    import logging

    from ..cards import card_value, read_pythia_card
    from ..plotting import save_figures

    qcut = card_value(read_pythia_card(matching_card), "JetMatching:qCut")
    xqcut = float(json.loads(Path(gridpack_record).read_text())["run_settings"]["xqcut"])
    rates = read_rates(shower_files)
    checks = check_sample(rates, qcut, xqcut)
    for check in checks:
        if not check.smooth:
            logging.getLogger(__name__).warning(
                "%s: %s is not smooth between %g and %g GeV (chi2 = %.1f / %d, p = %.2g < %g): "
                "check qCut in %s against xqcut = %g",
                sample,
                check.rate,
                check.low_gev,
                check.high_gev,
                check.chi2,
                check.ndf,
                check.p_value,
                P_MIN,
                matching_card,
                xqcut,
            )
    write_check(output, sample, qcut, xqcut, checks)
    stem = Path(plots[0]).stem
    save_figures({stem: djr_figure(rates, qcut, xqcut, checks, sample)}, plots)
    return json.loads(Path(output).read_text())
