"""Event selection and pairing on hand-built events with hand-computed answers.

Objects are massless and at eta = 0 unless stated, so m(a, b)^2 = 2 pT_a pT_b (1 - cos dphi).
"""

import math
from dataclasses import replace

import awkward as ak
import numpy as np
import pytest

from bsmflow.analyse.selection import (
    EventSelection,
    balanced_assignment,
    pair_leptons_jets,
    remove_overlapping_jets,
    scalar_sum_pt,
    select_events,
)

CUTS = EventSelection(jet_lepton_overlap_dr=0.4, n_leptons=2, min_jets=2, mll_min=130.0, st_min=0.0)


def lepton(pt, phi, pid=11, eta=0.0):
    return {"pt": pt, "eta": eta, "phi": phi, "mass": 0.0, "pid": pid, "charge": -math.copysign(1, pid)}


def jet(pt, phi, eta=0.0):
    return {"pt": pt, "eta": eta, "phi": phi, "mass": 0.0}


def test_pairing_keeps_the_assignment_with_equal_masses():
    # A = (l1 j1, l2 j2) = (200, 200); B = (l1 j2, l2 j1) = (200, 100): A wins.
    leptons = ak.Array([[lepton(100, 0), lepton(50, math.pi / 2)]])
    jets = ak.Array([[jet(100, math.pi), jet(200, -math.pi / 2)]])
    mlq_min, mlq_max = pair_leptons_jets(leptons, jets)
    assert mlq_min[0] == pytest.approx(200) and mlq_max[0] == pytest.approx(200)


def test_pairing_swaps_jets_when_that_balances_the_masses():
    # A = (l1 j1, l2 j2) = (200, 100); B = (l1 j2, l2 j1) = (200, 200): B wins.
    leptons = ak.Array([[lepton(100, 0), lepton(50, math.pi / 2)]])
    jets = ak.Array([[jet(200, -math.pi / 2), jet(100, math.pi)]])
    mlq_min, mlq_max = pair_leptons_jets(leptons, jets)
    assert mlq_min[0] == pytest.approx(200) and mlq_max[0] == pytest.approx(200)


def test_pairing_returns_min_and_max_of_the_chosen_assignment():
    # A = (l1 j1, l2 j2): m = sqrt(2*400*100*2) = 400, sqrt(2*100*25*2) = 100 -> |diff| 300
    # B = (l1 j2, l2 j1): m = sqrt(2*400*25*2) = 200, sqrt(2*100*100*2) = 200 -> |diff| 0
    leptons = ak.Array([[lepton(400, 0), lepton(100, 0)]])
    jets = ak.Array([[jet(100, math.pi), jet(25, math.pi)]])
    mlq_min, mlq_max = pair_leptons_jets(leptons, jets)
    assert (mlq_min[0], mlq_max[0]) == (pytest.approx(200), pytest.approx(200))
    # Unbalanced both ways: A = (400, 50), B = (100, 200) -> B, min 100, max 200.
    jets = ak.Array([[jet(100, math.pi), jet(6.25, math.pi)]])
    leptons = ak.Array([[lepton(400, 0), lepton(100, 0)]])
    mlq_min, mlq_max = pair_leptons_jets(leptons, jets)
    assert (mlq_min[0], mlq_max[0]) == (pytest.approx(100), pytest.approx(200))


def test_pairing_uses_only_the_two_leading_jets_and_real_kinematics():
    rng = np.random.default_rng(1)
    leptons = ak.Array(
        [
            [lepton(*rng.uniform([50, -3], [500, 3]), eta=rng.uniform(-2, 2)) for _ in range(2)]
            for _ in range(20)
        ]
    )
    jets = ak.Array(
        [[jet(*rng.uniform([50, -3], [500, 3]), eta=rng.uniform(-2, 2)) for _ in range(3)] for _ in range(20)]
    )

    def mass(a, b):  # independent massless formula
        return math.sqrt(
            2 * a["pt"] * b["pt"] * (math.cosh(a["eta"] - b["eta"]) - math.cos(a["phi"] - b["phi"]))
        )

    mlq_min, mlq_max = pair_leptons_jets(leptons, jets)
    for i, (ls, js) in enumerate(zip(leptons.tolist(), jets.tolist(), strict=True)):
        a = (mass(ls[0], js[0]), mass(ls[1], js[1]))
        b = (mass(ls[0], js[1]), mass(ls[1], js[0]))
        best = b if abs(b[0] - b[1]) < abs(a[0] - a[1]) else a
        assert mlq_min[i] == pytest.approx(min(best), rel=1e-5)
        assert mlq_max[i] == pytest.approx(max(best), rel=1e-5)


def test_overlap_removal_drops_jets_near_leptons_only():
    leptons = ak.Array([[lepton(100, 0.0)], []])
    jets = ak.Array([[jet(80, 0.2), jet(70, 0.5), jet(60, 3.0)], [jet(80, 0.0)]])
    kept = remove_overlapping_jets(jets, leptons, 0.4)
    assert kept.pt.tolist() == [[70, 60], [80]]


def test_overlap_removal_across_phi_equals_pi_and_at_the_cone_edge():
    leptons = ak.Array([[lepton(100, math.pi - 0.1)]])
    # 0.2 away across +-pi (removed); 0.5 away across +-pi (kept); dR exactly at 0.4 is kept
    # (removal is dR < 0.4); 0.39 away in eta (removed)
    jets = ak.Array(
        [
            [
                jet(90, -math.pi + 0.1),
                jet(80, -math.pi + 0.4),
                jet(70, math.pi - 0.1, eta=0.4),
                jet(60, math.pi - 0.1, eta=0.39),
            ]
        ]
    )
    kept = remove_overlapping_jets(jets, leptons, 0.4)
    assert kept.pt.tolist() == [[80, 70]]


EVENTS = {
    # name: (leptons, jets, last step passed)
    "signal_like": ([lepton(300, 0), lepton(200, 2.0)], [jet(300, 3.0), jet(250, -1.5)], "st_gt_0"),
    "three_leptons": ([lepton(300, 0), lepton(200, 2), lepton(60, -2)], [jet(300, 3), jet(250, -1.5)], "all"),
    "one_jet": ([lepton(300, 0), lepton(200, 2.0)], [jet(300, 3.0)], "same_flavour"),
    "no_leptons": ([], [jet(300, 3.0), jet(250, -1.5)], "all"),
    "e_mu": ([lepton(300, 0), lepton(200, 2.0, pid=-13)], [jet(300, 3.0), jet(250, -1.5)], "2_leptons"),
    "z_peak": ([lepton(60, 0), lepton(60, 1.7)], [jet(300, 3.0), jet(250, -1.5)], "min_2_jets"),
}


def test_cutflow_steps_and_where_each_event_stops():
    names = list(EVENTS)
    leptons = ak.Array([EVENTS[n][0] for n in names])
    jets = ak.Array([EVENTS[n][1] for n in names])
    steps = select_events(leptons, jets, CUTS)
    assert list(steps) == ["all", "2_leptons", "same_flavour", "min_2_jets", "mll_gt_130", "st_gt_0"]
    order = list(steps)
    for i, name in enumerate(names):
        last = max((k for k, step in enumerate(order) if steps[step][i]), default=-1)
        assert order[last] == EVENTS[name][2], name
    # masks are cumulative
    for before, after in zip(order, order[1:], strict=False):
        assert np.all(steps[before] >= steps[after])


def test_st_cut_and_its_definition():
    leptons = ak.Array([[lepton(300, 0), lepton(200, 2.0)]])
    jets = ak.Array([[jet(300, 3.0), jet(250, -1.5), jet(100, 1.0)]])
    assert scalar_sum_pt(leptons, jets)[0] == pytest.approx(1050)
    assert select_events(leptons, jets, replace(CUTS, st_min=1049))["st_gt_1049"][0]
    assert not select_events(leptons, jets, replace(CUTS, st_min=1051))["st_gt_1051"][0]


def test_tie_keeps_the_leading_lepton_with_the_leading_jet():
    # |300 - 200| == |250 - 350|: a tie, so A = (l1 j1, l2 j2) = (300, 200) is kept.
    a1, a2, b1, b2 = (np.array([v], dtype=float) for v in (300, 200, 250, 350))
    low, high = balanced_assignment(a1, a2, b1, b2)
    assert (low[0], high[0]) == (200, 300)
    # one GeV less imbalance in B and B wins
    low, high = balanced_assignment(a1, a2, b1, np.array([349.0]))
    assert (low[0], high[0]) == (250, 349)


def test_mll_and_st_thresholds_are_strict():
    # back-to-back 65 GeV leptons: m_ll = 130 GeV exactly; S_T = 65 + 65 + 300 + 250 = 680 GeV
    leptons = ak.Array([[lepton(65, 0.0), lepton(65, math.pi)]])
    jets = ak.Array([[jet(300, 1.5), jet(250, -1.5)]])
    assert scalar_sum_pt(leptons, jets)[0] == 680.0
    at = select_events(leptons, jets, replace(CUTS, st_min=680.0))
    assert at["min_2_jets"][0] and not at["mll_gt_130"][0]
    below = select_events(leptons, jets, replace(CUTS, mll_min=129.999, st_min=680.0))
    assert below["mll_gt_129.999"][0] and not below["st_gt_680"][0]


def test_st_counts_only_the_two_leading_leptons_and_jets():
    leptons = ak.Array([[lepton(300, 0), lepton(200, 2.0), lepton(60, -2.0)]])
    jets = ak.Array([[jet(300, 3.0), jet(250, -1.5), jet(100, 1.0)]])
    assert scalar_sum_pt(leptons, jets).tolist() == [1050.0]
