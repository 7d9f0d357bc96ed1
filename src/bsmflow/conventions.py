"""What several stages exchange, defined once: branch and column names of the variation weights,
the observables, units, the analysis level's names and the lepton-jet pairing rule.

A low module (no imports from the stages): the shower stage's sampling proxies, the analysis and
the inference all read their names and the pairing from here.
"""

from __future__ import annotations

import numpy as np

PB_TO_FB = 1000.0  # cross sections: pb in generator records, fb with the luminosity in fb^-1
MB_TO_PB = 1e9  # Pythia reports cross sections in mb

# the trees of the stages' ROOT files: the shower's final state, the cluster's (and detector's) objects
SHOWER_TREE = "events"
OBJECTS_TREE = "objects"

# the variation weights' branch in the shower, object and detector ROOT files (one column per name
# in the file's metadata), and the prefix of their columns in the selected-events file
VARIATION_BRANCH = "variation_weight"
VARIATION_PREFIX = "weight__"

# the histogrammed observables and their axis labels (GeV)
OBSERVABLES = {"mlq_min": r"$m_{\mathrm{LQ}}^{\min}$ [GeV]", "mlq_max": r"$m_{\mathrm{LQ}}^{\max}$ [GeV]"}

PARTICLE_LEVEL = "particle"


def level_name(detector: str) -> str:
    """The level a config's ``detector`` value gives: 'particle' or 'detector:<card>'."""
    return PARTICLE_LEVEL if detector == "none" else f"detector:{detector}"


def level_label(level: str) -> str:
    """How plots and tables name a level: 'particle level' or 'detector level (<card>)'."""
    if level == PARTICLE_LEVEL:
        return "particle level"
    return f"detector level ({level.split(':', 1)[1]})"


def level_dir(detector: str) -> str:
    """The sub-directory of a level's outputs: '' (particle level keeps the top-level layout) or
    'detector/<card>/'."""
    return "" if detector == "none" else f"detector/{detector}/"


def balanced_assignment(a1, a2, b1, b2) -> tuple[np.ndarray, np.ndarray]:
    """The lepton-jet pairing rule: of the pair masses (a1, a2) = (l1j1, l2j2) and (b1, b2) =
    (l1j2, l2j1), keep the assignment with the smaller |m1 - m2| (A on a tie) and return its
    (min, max), i.e. (m_LQ^min, m_LQ^max) in the masses' unit."""
    use_b = np.abs(b1 - b2) < np.abs(a1 - a2)
    m1, m2 = np.where(use_b, b1, a1), np.where(use_b, b2, a2)
    return np.minimum(m1, m2), np.maximum(m1, m2)


# plot names (file stems): the summary stage's and the inference stage's, per mass point or fixed
SIGNAL_SHAPES_PLOT = "mlq_min_signal_shapes"
SIGMA_VS_MASS_PLOT = "sigma_vs_mass"
BRAZIL_PLOT = "limits_brazil"


def mass_plot(kind: str, mass_gev: float) -> str:
    """The stem of a mass point's plot: mlq_min_M1000 (kind 'mlq_min'), fit_M1000 (kind 'fit')."""
    return f"{kind}_M{mass_gev:.0f}"
