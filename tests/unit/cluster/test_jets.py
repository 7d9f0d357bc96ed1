"""The cluster stage's job on a hand-made shower file: what it writes and what it records."""

import hashlib
import json
import math

import awkward as ak
import fastjet
import numpy as np
import pytest
import uproot

from bsmflow.cluster.jets import cluster_chunk

LEPTONS = {"pt_min": 50.0, "eta_max": 2.5, "dressing_dr": 0.1, "isolation_dr": 0.3, "isolation_max": 0.15}
JETS = {"algorithm": "antikt", "radius": 0.4, "pt_min": 50.0, "eta_max": 2.5}


def particle(pt, eta, phi, pid, charge=0.0):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return {"px": px, "py": py, "pz": pz, "E": math.sqrt(px**2 + py**2 + pz**2), "pid": pid, "charge": charge}


EVENTS = [
    # two isolated leptons (e-, mu+), a 180 GeV jet of three pions, a neutrino
    [particle(200, 0.0, 0.0, 11, -1), particle(150, 0.5, 3.0, -13, 1), particle(40, 0.0, 3.0 - 0.3, 12)]
    + [particle(60, 1.0, 1.5 + 0.01 * k, 211, 1) for k in range(3)],
    # one soft photon: nothing
    [particle(1, 0.0, 0.0, 22)],
    # a 70 GeV jet of two photons at |eta| = 2.0 and a 30 GeV jet below threshold
    [particle(35, 2.0, -1.0, 22), particle(35, 2.0, -1.02, 22), particle(30, -1.0, 1.0, 211, 1)],
]
SHOWER_METADATA = {"sample": "lq_m1000", "chunk": 3, "seed": 12345, "versions": {"pythia": "8.317"}}


@pytest.fixture(scope="module")
def shower_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("shower") / "chunk3.root"
    particles = ak.Array(EVENTS)
    fields = {
        name: ak.values_astype(particles[name], np.float32) for name in ("px", "py", "pz", "E", "charge")
    }
    fields["pid"] = ak.values_astype(particles["pid"], np.int32)
    with uproot.recreate(path) as out:
        out["events"] = {"particle": ak.zip(fields), "weight": np.array([1.0, 0.5, -1.0])}
        out["metadata"] = json.dumps(SHOWER_METADATA)
    return path


@pytest.mark.parametrize("batch_size", [1, 2000])  # batches of one event give the same objects
def test_objects_file_holds_leptons_jets_and_weights_per_event(shower_file, tmp_path, batch_size):
    output = tmp_path / "objects.root"
    cluster_chunk(str(shower_file), str(output), leptons=LEPTONS, jets=JETS, batch_size=batch_size)
    with uproot.open(output) as handle:
        objects = handle["objects"].arrays()
        metadata = json.loads(str(handle["metadata"]))
    assert sorted(objects.fields) == ["jet", "lepton", "weight"]
    assert objects["lepton"].fields == ["pt", "eta", "phi", "mass", "pid", "charge"]
    assert objects["jet"].fields == ["pt", "eta", "phi", "mass"]
    assert str(ak.type(objects["lepton"].pt)).endswith("float32")
    assert str(ak.type(objects["lepton"].pid)).endswith("int32")
    assert str(ak.type(objects["jet"].eta)).endswith("float32")
    assert objects["weight"].tolist() == [1.0, 0.5, -1.0]
    assert objects["lepton"].pid.tolist() == [[11, -13], [], []]
    assert objects["lepton"].charge.tolist() == [[-1.0, 1.0], [], []]
    assert objects["lepton"].pt.tolist() == [
        [pytest.approx(200, rel=1e-6), pytest.approx(150, rel=1e-6)],
        [],
        [],
    ]
    assert objects["lepton"].eta.tolist() == [
        [pytest.approx(0, abs=1e-6), pytest.approx(0.5, rel=1e-6)],
        [],
        [],
    ]
    assert objects["lepton"].phi.tolist() == [
        [pytest.approx(0, abs=1e-6), pytest.approx(3.0, rel=1e-6)],
        [],
        [],
    ]
    jets = objects["jet"]
    assert ak.num(jets).tolist() == [1, 0, 1]
    three_pions = np.sum([[p[k] for k in ("px", "py", "pz", "E")] for p in EVENTS[0][3:]], axis=0)
    assert jets.pt[0, 0] == pytest.approx(math.hypot(*three_pions[:2]), rel=1e-6)
    # 1.47 GeV from 280 GeV of nearly collinear float32 momenta: good to a few 1e-3
    mass = math.sqrt(three_pions[3] ** 2 - np.sum(three_pions[:3] ** 2))
    assert jets.mass[0, 0] == pytest.approx(mass, rel=5e-3)
    two_photons = np.sum([[p[k] for k in ("px", "py", "pz")] for p in EVENTS[2][:2]], axis=0)
    assert jets.eta[2, 0] == pytest.approx(
        math.asinh(two_photons[2] / math.hypot(*two_photons[:2])), rel=1e-6
    )
    assert jets.phi[2, 0] == pytest.approx(math.atan2(two_photons[1], two_photons[0]), rel=1e-6)
    assert metadata["n_events"] == 3


def test_record_names_the_definitions_the_shower_and_the_versions(shower_file, tmp_path):
    record = cluster_chunk(str(shower_file), str(tmp_path / "objects.root"), leptons=LEPTONS, jets=JETS)
    assert record["stage"] == "cluster" and record["seed"] is None
    assert record["n_events"] == 3 and record["leptons"] == LEPTONS and record["jets"] == JETS
    assert record["shower"] == SHOWER_METADATA
    assert record["versions"]["fastjet"] == fastjet.__version__
    digest = hashlib.sha256(shower_file.read_bytes()).hexdigest()
    assert record["inputs"] == {"particles": {"path": str(shower_file), "sha256": digest}}
    with uproot.open(tmp_path / "objects.root") as handle:
        assert json.loads(str(handle["metadata"])) == record


def test_a_broken_shower_file_leaves_no_output(tmp_path):
    broken = tmp_path / "broken.root"
    broken.write_bytes(b"not a ROOT file")
    with pytest.raises(ValueError, match="broken.root: unreadable or corrupt ROOT file"):
        cluster_chunk(str(broken), str(tmp_path / "objects.root"), leptons=LEPTONS, jets=JETS)
    assert list(tmp_path.iterdir()) == [broken]
