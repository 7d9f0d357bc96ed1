"""Lepton dressing, isolation and jet inputs on hand-built particle lists."""

import math
from dataclasses import replace

import awkward as ak
import numpy as np
import pytest

from bsmflow.cluster.jets import JetDefinition, reconstruct_objects
from bsmflow.cluster.objects import LeptonDefinition, select_leptons


def particle(pt, eta, phi, pid, charge=0.0, mass=0.0):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return {
        "px": px,
        "py": py,
        "pz": pz,
        "E": math.sqrt(px**2 + py**2 + pz**2 + mass**2),
        "pid": pid,
        "charge": charge,
    }


DEFAULT = LeptonDefinition(pt_min=50.0, eta_max=2.5, dressing_dr=0.1, isolation_dr=0.3, isolation_max=0.15)
JETS = JetDefinition(algorithm="antikt", radius=0.4, pt_min=50.0, eta_max=2.5)


def select(events, definition=DEFAULT):
    return select_leptons(ak.Array(events), definition)


def test_dressing_adds_close_photons_and_isolation_ignores_them():
    event = [particle(100, 0, 0, 11, -1), particle(10, 0.05, 0, 22), particle(5, 0.2, 0, 211, 1)]
    leptons, jet_inputs = select([event])
    assert ak.num(leptons).tolist() == [1]
    assert leptons.pt[0, 0] == pytest.approx(110, rel=1e-9)  # same phi: the pT add up exactly
    # electron and its photon leave the jet inputs; the pion stays
    assert jet_inputs.tolist() == [[False, False, True]]


def test_dressing_lifts_a_lepton_over_threshold():
    event = [particle(40, 0, 0, 13, -1), particle(15, 0, 0.05, 22)]
    leptons, _ = select([event])
    dressed_pt = math.sqrt(40**2 + 15**2 + 2 * 40 * 15 * math.cos(0.05))  # 54.9915, not 55
    assert leptons.pt[0].tolist() == [pytest.approx(dressed_pt, rel=1e-9)]


def test_non_isolated_lepton_is_rejected_and_stays_in_jet_inputs():
    event = [particle(100, 0, 0, 13, -1), particle(12, 0.1, 0.1, 211, 1), particle(8, -0.1, 0.15, -211, -1)]
    leptons, jet_inputs = select([event])
    assert ak.num(leptons).tolist() == [0]
    assert jet_inputs.tolist() == [[True, True, True]]


def test_isolation_threshold_is_a_fraction_of_the_lepton_pt():
    # 14 GeV of hadrons around a 100 GeV electron: 0.14 < 0.15 -> isolated; 16 GeV -> not.
    for hadron_pt, n_selected in ((14, 1), (16, 0)):
        event = [particle(100, 0, 0, 11, -1), particle(hadron_pt, 0, 0.25, 211, 1)]
        leptons, _ = select([event])
        assert ak.num(leptons).tolist() == [n_selected]


def test_photon_goes_to_the_nearest_lepton_and_neutrinos_are_invisible():
    event = [
        particle(100, 0, 0.0, 11, -1),
        particle(90, 0, 0.08, -11, 1),
        particle(10, 0, 0.03, 22),  # nearer the first electron
        particle(50, 0, 0.1, 12),  # neutrino: neither isolation nor jets see it
    ]
    # Each electron sits in the other's isolation cone: with the default isolation neither is
    # selected; with isolation relaxed both are, the photon dressing the nearer one.
    leptons, _ = select([event])
    assert ak.num(leptons).tolist() == [0]
    leptons, jet_inputs = select([event], replace(DEFAULT, isolation_max=10))
    dressed_pt = math.sqrt(100**2 + 10**2 + 2 * 100 * 10 * math.cos(0.03))
    assert sorted(leptons.pt[0].tolist()) == [
        pytest.approx(90, rel=1e-9),
        pytest.approx(dressed_pt, rel=1e-9),
    ]
    assert jet_inputs.tolist() == [[False, False, False]]  # the neutrino was removed before


def test_reconstruct_objects_end_to_end_on_two_events():
    event_with_jets = [particle(200, 0, 0, 11, -1), particle(150, 0.5, 3.0, 13, -1)]
    event_with_jets += [particle(60, 1.0, 1.5 + 0.01 * k, 211, 1) for k in range(3)]
    event_with_jets += [particle(30, -1.0, -1.5 + 0.01 * k, 22) for k in range(3)]
    empty_event = [particle(1, 0, 0, 22)]
    objects = reconstruct_objects(ak.Array([event_with_jets, empty_event]), DEFAULT, JETS)
    assert ak.num(objects["lepton"]).tolist() == [2, 0]
    assert objects["lepton"].pid[0].tolist() == [11, 13]
    assert ak.num(objects["jet"]).tolist() == [2, 0]
    assert objects["jet"].pt[0].tolist() == [pytest.approx(180, rel=1e-3), pytest.approx(90, rel=1e-3)]


# ---- exact checks: each would fail for a plausible bug (scalar pT sums, bare-pT isolation,
# ---- a missing phi wrap, an inclusive threshold)


def four_vector(p):
    return np.array([p["px"], p["py"], p["pz"], p["E"]])


def test_dressing_is_the_exact_four_vector_sum():
    bare = particle(100, 0.3, 0.2, 11, -1, mass=0.000511)
    photon = particle(20, 0.34, 0.23, 22)  # dR = 0.05: inside the dressing cone, not collinear
    leptons, _ = select([[bare, photon]])
    px, py, pz, energy = four_vector(bare) + four_vector(photon)
    pt = math.hypot(px, py)
    expected = {
        "pt": pt,
        "eta": math.asinh(pz / pt),
        "phi": math.atan2(py, px),
        "mass": math.sqrt(energy**2 - px**2 - py**2 - pz**2),
    }
    for name, value in expected.items():
        assert leptons[name][0, 0] == pytest.approx(value, rel=1e-9), name
    assert abs(pt - 120) > 1e-3  # a scalar pT sum (120) differs by far more than the tolerance


def test_isolation_uses_the_dressed_pt_where_bare_and_dressed_decide_differently():
    # bare 100 GeV + 20 GeV photon in the dressing cone; 16.5 GeV of hadron activity at dR = 0.2:
    # 16.5 / 120 = 0.1375 < 0.15 (isolated), but 16.5 / 100 = 0.165 (not isolated with the bare pT)
    event = [particle(100, 0, 0, 11, -1), particle(20, 0, 0.05, 22), particle(16.5, 0.2, 0, 211, 1)]
    leptons, jet_inputs = select([event])
    assert ak.num(leptons).tolist() == [1]
    assert jet_inputs.tolist() == [[False, False, True]]
    # and the dressed pT sets the scale the other way too: 19 / 120 = 0.158 is not isolated
    event[2] = particle(19, 0.2, 0, 211, 1)
    assert ak.num(select([event])[0]).tolist() == [0]


def test_dressing_and_isolation_across_phi_equals_pi():
    lepton_phi = math.pi - 0.02
    # photon 0.04 away in phi, on the other side of +-pi
    dressed = [particle(100, 0, lepton_phi, 13, -1), particle(10, 0, -math.pi + 0.02, 22)]
    leptons, jet_inputs = select([dressed])
    px, py = (four_vector(dressed[0]) + four_vector(dressed[1]))[:2]
    assert leptons.pt[0].tolist() == [pytest.approx(math.hypot(px, py), rel=1e-9)]
    assert jet_inputs.tolist() == [[False, False]]
    # a 20 GeV hadron 0.15 away across +-pi spoils the isolation (0.2 > 0.15)
    spoiled = [particle(100, 0, lepton_phi, 13, -1), particle(20, 0, -math.pi + 0.13, 211, 1)]
    assert ak.num(select([spoiled])[0]).tolist() == [0]


def test_dressing_photon_across_phi_equals_pi_stays_out_of_the_jets():
    event = [particle(200, 0, math.pi - 0.03, 11, -1), particle(60, 0, -math.pi + 0.03, 22)]
    event += [particle(80, 1.5, 0.5, 211, 1)]
    objects = reconstruct_objects(ak.Array([event]), DEFAULT, JETS)
    px, py = (four_vector(event[0]) + four_vector(event[1]))[:2]
    assert objects["lepton"].pt[0].tolist() == [pytest.approx(math.hypot(px, py), rel=1e-6)]  # float32
    assert objects["jet"].pt[0].tolist() == [pytest.approx(80, rel=1e-9)]  # the photon is no jet


def particle_at_eta(pt, eta, pid, charge=0.0):
    """A massless particle whose computed pseudorapidity is exactly ``eta`` (pz nudged by ulps)."""
    from bsmflow.cluster.objects import kinematics

    pz = pt * math.sinh(eta)
    for _ in range(100):
        computed = kinematics(*(np.array([v]) for v in (pt, 0.0, pz, math.hypot(pt, pz))))["eta"][0]
        if computed == eta:
            return {"px": pt, "py": 0.0, "pz": pz, "E": math.hypot(pt, pz), "pid": pid, "charge": charge}
        pz = np.nextafter(pz, np.inf if computed < eta else -np.inf)
    raise AssertionError(f"no pz gives eta = {eta}")


def test_objects_exactly_at_the_thresholds_are_rejected():
    """pT > pt_min and |eta| < eta_max are strict, for jets and for leptons."""
    at_pt = [particle(50.0, 0.0, 0.0, 211, 1)]
    above_pt = [particle(50.001, 0.0, 0.0, 211, 1)]
    at_eta = [particle_at_eta(80.0, 2.5, 211, 1)]
    inside_eta = [particle_at_eta(80.0, 2.4999, 211, 1)]
    events = ak.Array([at_pt, above_pt, at_eta, inside_eta])
    jets = reconstruct_objects(events, DEFAULT, JETS)["jet"]
    assert ak.num(jets).tolist() == [0, 1, 0, 1]
    leptons = [
        [particle(50.0, 0.0, 0.0, 11, -1)],
        [particle(50.001, 0.0, 0.0, 11, -1)],
        [particle_at_eta(80.0, 2.5, 11, -1)],
        [particle_at_eta(80.0, -2.4999, 11, -1)],
    ]
    assert ak.num(select(leptons)[0]).tolist() == [0, 1, 0, 1]


def test_kinematics_of_soft_massless_and_beam_axis_momenta():
    from bsmflow.cluster.objects import kinematics

    px, py, pz, energy = (
        np.array(v) for v in ([0.3, 3.0, 0.0], [0.4, 4.0, 0.0], [0.0, 0.0, 10.0], [0.5, 5.0, 10.0])
    )
    result = kinematics(px, py, pz, energy)
    assert result["pt"].tolist() == [0.5, 5.0, 0.0]
    assert result["eta"][:2].tolist() == [0.0, 0.0] and result["eta"][2] == np.inf  # along the beam
    assert result["mass"].tolist() == [0.0, 0.0, 0.0]
    assert result["phi"][0] == pytest.approx(math.atan2(0.4, 0.3), rel=1e-15)


def test_photons_beyond_the_lepton_acceptance_still_dress_leptons_inside_it():
    # lepton at eta 2.45 (inside 2.5), photon at eta 2.42 within the cone: 45 + 10 GeV -> selected
    event = [particle(45, 2.45, 0.0, 11, -1), particle(10, 2.42 + 0.05, 0.0, 22)]
    assert select([event])[0].pt[0].tolist() == [pytest.approx(55, rel=1e-4)]


def test_a_lepton_at_the_seed_threshold_is_no_dressing_seed():
    # a 5 GeV electron (LEPTON_SEED_PT_MIN, strict) with a collinear 50 GeV photon is a photon
    event = [particle(5.0, 0, 0, 11, -1), particle(50, 0, 0.02, 22)]
    assert ak.num(select([event])[0]).tolist() == [0]
    event[0] = particle(5.001, 0, 0, 11, -1)
    assert ak.num(select([event])[0]).tolist() == [1]


def test_same_event_pairs_lists_every_pair_within_each_event():
    from bsmflow.cluster.objects import same_event_pairs

    # event 0: 2 a x 3 b; event 1: no a; event 2: 1 a x 2 b
    ia, ib = same_event_pairs(np.array([2, 0, 1]), np.array([3, 1, 2]))
    assert list(zip(ia.tolist(), ib.tolist(), strict=True)) == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 4),
        (2, 5),
    ]


def test_isolation_exactly_at_the_threshold_fails():
    # 30 GeV around a 200 GeV electron: 30 = 0.15 x 200 exactly, and isolation is "below"
    event = [particle(200, 0, 0, 11, -1), particle(30, 0, 0.25, 211, 1)]
    assert ak.num(select([event])[0]).tolist() == [0]
    event[1] = particle(29.99, 0, 0.25, 211, 1)
    assert ak.num(select([event])[0]).tolist() == [1]
