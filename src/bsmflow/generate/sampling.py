"""Importance sampling of the Pythia path on the hard process' scalar pT sum (config
``pt_sampling``).

Background events enter the analysis' fit region only with hard leptons and jets: no Drell-Yan
event whose hard-process charged leptons have a scalar pT sum below 350 GeV was in it, and no
ttbar event of sqrt(s_hat) 1000-1400 GeV whose visible hard-process particles (all but neutrinos)
have one below 600 GeV (BENCHMARKS 9), while most events are there. An event below
``threshold_gev`` is kept with probability ``keep_fraction`` and weighted 1 / keep_fraction, every
other event is kept with weight 1: the weighted sample is the unsampled one in every
distribution, and the shower, the expensive stage, runs on far fewer of the events that cannot
be selected. The cross section is untouched; the analysis normalises the weights to their sum
(as it does for Pythia's own pT-hat bias).
"""

from __future__ import annotations

import numpy as np

CHARGED_LEPTONS = (11, 13, 15)
NEUTRINOS = (12, 14, 16)


def pt_sum(process, particles: str) -> float:
    """Scalar pT sum (GeV) of the final particles of a Pythia hard-process record (pythia.process):
    ``leptons`` = the charged leptons (e, mu, tau), ``visible`` = all but neutrinos."""
    if particles not in ("leptons", "visible"):
        raise ValueError(f"pt_sampling particles = {particles!r}: leptons or visible")
    total = 0.0
    for i in range(process.size()):
        particle = process[i]
        if not particle.isFinal():
            continue
        ident = particle.idAbs()
        if ident in CHARGED_LEPTONS if particles == "leptons" else ident not in NEUTRINOS:
            total += particle.pT()
    return total


def keep_probability(pt_sum_gev: float, sampling: dict) -> float:
    """1 at or above the threshold, keep_fraction below it."""
    return 1.0 if pt_sum_gev >= sampling["threshold_gev"] else float(sampling["keep_fraction"])


class PtSampler:
    """Keep-or-drop decisions for one chunk, from its own random stream (seeded by the chunk's
    seed), with counts for the generation record."""

    def __init__(self, sampling: dict, seed: int):
        self.sampling = sampling
        self.rng = np.random.default_rng(seed)
        self.below = 0
        self.kept_below = 0

    def weight(self, process) -> float | None:
        """The event's weight factor (1 / its keep probability), or None when it is dropped."""
        probability = keep_probability(pt_sum(process, self.sampling["particles"]), self.sampling)
        if probability == 1.0:
            return 1.0
        self.below += 1
        if self.rng.random() >= probability:
            return None
        self.kept_below += 1
        return 1.0 / probability

    def record(self) -> dict:
        return {**self.sampling, "events_below": self.below, "kept_below": self.kept_below}
