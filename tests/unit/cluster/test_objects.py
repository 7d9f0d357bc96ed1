"""Lepton dressing, isolation and jet inputs on hand-built particle lists."""

import math
from dataclasses import replace

import awkward as ak
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
    assert leptons.pt[0, 0] == pytest.approx(110, rel=2e-3)
    # electron and its photon leave the jet inputs; the pion stays
    assert jet_inputs.tolist() == [[False, False, True]]


def test_dressing_lifts_a_lepton_over_threshold():
    event = [particle(40, 0, 0, 13, -1), particle(15, 0, 0.05, 22)]
    leptons, _ = select([event])
    assert leptons.pt[0].tolist() == [pytest.approx(55, rel=2e-3)]


def test_non_isolated_lepton_is_rejected_and_stays_in_jet_inputs():
    event = [particle(100, 0, 0, 13, -1), particle(12, 0.1, 0.1, 211, 1), particle(8, -0.1, 0.15, -211, -1)]
    leptons, jet_inputs = select([event])
    assert ak.num(leptons).tolist() == [0]
    assert jet_inputs.tolist() == [[True, True, True]]


def test_isolation_threshold_is_relative_to_the_dressed_pt():
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
    assert sorted(leptons.pt[0].tolist()) == [pytest.approx(90, rel=1e-3), pytest.approx(110, rel=1e-3)]
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
