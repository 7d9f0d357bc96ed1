"""The signal normalisation: the tabulated reference cross section (log-linear interpolation in
sigma) and the branching ratio of a leptoquark pair to the analysed channel."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..model.param_card import read_param_card

LIGHT_QUARKS = (1, 2, 3, 4)  # d u s c: quarks that make light jets (not b, not t)
ANALYSED_LEPTONS = (11, 13)  # the selection's same-flavour e e or mu mu


@dataclass(frozen=True)
class ReferenceCrossSection:
    """sigma (fb) and its total uncertainty (fb) at one mass, from the reference table."""

    mass_gev: float
    sigma_fb: float
    sigma_err_fb: float

    @property
    def relative_uncertainty(self) -> float:
        return self.sigma_err_fb / self.sigma_fb


def read_reference_table(path: str | Path) -> pd.DataFrame:
    """The reference table (columns mass_gev, xsec_fb, unc_fb), sorted by mass; '#' comments."""
    table = pd.read_csv(path, comment="#").sort_values("mass_gev").reset_index(drop=True)
    if list(table.columns) != ["mass_gev", "xsec_fb", "unc_fb"]:
        raise ValueError(
            f"{path}: expected the columns mass_gev, xsec_fb, unc_fb, found {list(table.columns)}"
        )
    return table


def reference_cross_section(table: pd.DataFrame, mass_gev: float, source: str) -> ReferenceCrossSection:
    """Interpolate log-linearly: ln sigma and the relative uncertainty linear in M between the two
    neighbouring table masses. A mass outside the table is a ValueError (never extrapolated)."""
    masses = table["mass_gev"].to_numpy(dtype=float)
    if not masses[0] <= mass_gev <= masses[-1]:
        raise ValueError(
            f"inference.reference_table = {source!r}: M = {mass_gev:g} GeV is outside the table "
            f"({masses[0]:g}-{masses[-1]:g} GeV); the reference is not extrapolated"
        )
    upper = min(int((masses < mass_gev).sum()), len(masses) - 1)
    lower = max(upper - 1, 0)
    m0, m1 = masses[lower], masses[upper]
    s0, s1 = table["xsec_fb"].iloc[lower], table["xsec_fb"].iloc[upper]
    r0, r1 = table["unc_fb"].iloc[lower] / s0, table["unc_fb"].iloc[upper] / s1
    fraction = 0.0 if m1 == m0 else (mass_gev - m0) / (m1 - m0)
    sigma = math.exp(math.log(s0) + fraction * (math.log(s1) - math.log(s0)))
    relative = r0 + fraction * (r1 - r0)
    return ReferenceCrossSection(float(mass_gev), sigma, sigma * relative)


def pair_branching_ratio(param_card: str | Path, pdg_id: int, yukawa_block: str) -> float:
    """BR of a leptoquark pair to the analysed channel, (l j)(l j) with the same l = e or mu and
    light-quark jets: sum over l of BR(S -> q l)^2, from the param card's decay table."""
    card = read_param_card(param_card, pdg_id, yukawa_block)
    total = 0.0
    for lepton in ANALYSED_LEPTONS:
        single = sum(
            c.branching_ratio
            for c in card.channels
            if abs(c.lepton) == lepton and abs(c.quark) in LIGHT_QUARKS
        )
        total += single**2
    return total
