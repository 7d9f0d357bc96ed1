"""Event selection and lepton-jet pairing (columnar, no I/O).

Objects arrive as jagged records with pt (GeV), eta, phi (rad), mass (GeV) [, pid, charge],
pT-ordered per event, as the cluster stage writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import awkward as ak
import numpy as np
import vector

from ..conventions import balanced_assignment

vector.register_awkward()


@dataclass(frozen=True)
class EventSelection:
    """Event-level cuts. m_ll and S_T thresholds in GeV; 0 disables a threshold cut, which is
    still listed in the cutflow so every sample shows the same steps."""

    jet_lepton_overlap_dr: float
    n_leptons: int
    min_jets: int
    mll_min: float
    st_min: float


def momenta(objects: ak.Array) -> ak.Array:
    """pt/eta/phi/mass records as vector Momentum4D."""
    return ak.zip(
        {"pt": objects.pt, "eta": objects.eta, "phi": objects.phi, "mass": objects.mass},
        with_name="Momentum4D",
    )


def remove_overlapping_jets(jets: ak.Array, leptons: ak.Array, dr: float) -> ak.Array:
    """Jets farther than ``dr`` from every selected lepton (events with no lepton keep all jets)."""
    pairs = ak.cartesian([momenta(jets), momenta(leptons)], nested=True)
    too_close = ak.any(pairs["0"].deltaR(pairs["1"]) < dr, axis=2)
    return jets[~too_close]


def select_events(leptons: ak.Array, jets: ak.Array, cuts: EventSelection) -> dict[str, np.ndarray]:
    """Cumulative event masks, one per cutflow step, in order.

    Steps: all; exactly n_leptons leptons; same flavour (both e or both mu); at least min_jets
    jets (after overlap removal); m_ll > mll_min; S_T = sum of pT of the two leptons and the two
    leading jets > st_min. ``jets`` must already be overlap-removed.
    """
    n_events = len(leptons)
    steps = {"all": np.ones(n_events, dtype=bool)}
    mask = ak.to_numpy(ak.num(leptons, axis=1) == cuts.n_leptons)
    steps[f"{cuts.n_leptons}_leptons"] = mask
    padded = ak.pad_none(leptons, 2, axis=1, clip=True)
    flavour = np.abs(ak.fill_none(padded.pid, 0))
    same = ak.to_numpy((flavour[:, 0] == flavour[:, 1]) & (flavour[:, 0] > 0))
    mask = mask & same
    steps["same_flavour"] = mask
    mask = mask & ak.to_numpy(ak.num(jets, axis=1) >= cuts.min_jets)
    steps[f"min_{cuts.min_jets}_jets"] = mask
    lepton_pair = momenta(padded)
    mll = ak.to_numpy(ak.fill_none((lepton_pair[:, 0] + lepton_pair[:, 1]).mass, 0.0))
    mask = mask & (mll > cuts.mll_min)
    steps[f"mll_gt_{cuts.mll_min:g}"] = mask
    st = scalar_sum_pt(leptons, jets)
    mask = mask & (st > cuts.st_min)
    steps[f"st_gt_{cuts.st_min:g}"] = mask
    return steps


def scalar_sum_pt(leptons: ak.Array, jets: ak.Array) -> np.ndarray:
    """S_T in GeV: pT of the two leading leptons plus the two leading jets (missing ones count 0)."""
    return ak.to_numpy(ak.sum(leptons.pt[:, :2], axis=1) + ak.sum(jets.pt[:, :2], axis=1)).astype(np.float64)


def pair_leptons_jets(leptons: ak.Array, jets: ak.Array) -> tuple[np.ndarray, np.ndarray]:
    """m_LQ^min and m_LQ^max (GeV) per event from the two leptons and the two leading jets.

    The assignments A = (l1 j1, l2 j2) and B = (l1 j2, l2 j1) are compared and the one with the
    smaller |m1 - m2| kept; m_LQ^min = min(m1, m2), m_LQ^max = max(m1, m2). Ties (equal
    |m1 - m2|, measure zero for continuous momenta) keep A, the leading-lepton-leading-jet
    pairing. Every event must have at least two leptons and two jets.
    """
    lep, jet = momenta(leptons), momenta(jets)
    l1, l2, j1, j2 = lep[:, 0], lep[:, 1], jet[:, 0], jet[:, 1]
    a1, a2 = ak.to_numpy((l1 + j1).mass), ak.to_numpy((l2 + j2).mass)
    b1, b2 = ak.to_numpy((l1 + j2).mass), ak.to_numpy((l2 + j1).mass)
    return balanced_assignment(a1, a2, b1, b2)
