"""The HistFactory model of one mass point as a pyhf JSON workspace: one channel (the fit region
of the observable), the signal with its normalisation factor mu, every background, and the
nuisance parameters (luminosity, signal theory, background normalisations, MC statistics, and
any shape systematics from event-weight variations)."""

from __future__ import annotations

import numpy as np

from .fit_histograms import FitHistogram

CHANNEL = "signal_region"
POI = "mu"
SIGNAL = "signal"
SIGNAL_THEORY = "signal_theory"


def normsys(name: str, relative: float) -> dict:
    return {"name": name, "type": "normsys", "data": {"hi": 1.0 + relative, "lo": 1.0 - relative}}


def sample_spec(name: str, histogram: FitHistogram, modifiers: list[dict]) -> dict:
    """A pyhf sample: its yields per bin and modifiers, with its MC statistical uncertainty as a
    staterror (Barlow-Beeston lite: one gamma per bin for the combined MC uncertainty)."""
    staterror = {"name": "mc_stat", "type": "staterror", "data": np.sqrt(histogram.variances).tolist()}
    return {"name": name, "data": histogram.values.tolist(), "modifiers": [*modifiers, staterror]}


def build_workspace(
    signal: FitHistogram,
    backgrounds: dict[str, FitHistogram],
    *,
    uncertainties: dict,
    signal_theory_relative: float,
    variation_modifiers: dict[str, list[dict]],
    observed: list[float] | None,
) -> dict:
    """The pyhf workspace (schema 1.0.0). ``signal`` is normalised as the study chose (mu = 1 is
    the prediction); ``uncertainties``: luminosity (relative) and background_normalisation
    (relative, per process); ``variation_modifiers``: sample -> the normsys/histosys modifiers of
    its event-weight variations (bsmflow.analyse.variations.fit_systematics). Without ``observed`` counts
    the observations are the background-only Asimov data (the sum of the backgrounds)."""
    lumi = normsys("lumi", uncertainties["luminosity"])

    def shapes(sample: str) -> list[dict]:
        return list(variation_modifiers.get(sample, []))

    samples = [
        sample_spec(
            SIGNAL,
            signal,
            [
                {"name": POI, "type": "normfactor", "data": None},
                lumi,
                normsys(SIGNAL_THEORY, signal_theory_relative),
                *shapes(SIGNAL),
            ],
        )
    ]
    for process, histogram in backgrounds.items():
        relative = uncertainties["background_normalisation"][process]
        samples.append(
            sample_spec(process, histogram, [lumi, normsys(f"norm_{process}", relative), *shapes(process)])
        )
    background = np.sum([h.values for h in backgrounds.values()], axis=0)
    data = background.tolist() if observed is None else [float(n) for n in observed]
    total_signal = float(signal.values.sum())
    mu_max = max(10.0, 50.0 * (float(background.sum()) + 1.0) / total_signal) if total_signal > 0 else 10.0
    return {
        "version": "1.0.0",
        "channels": [{"name": CHANNEL, "samples": samples}],
        "observations": [{"name": CHANNEL, "data": data}],
        "measurements": [
            {
                "name": "limits",
                "config": {"poi": POI, "parameters": [{"name": POI, "bounds": [[0.0, mu_max]]}]},
            }
        ],
    }
