"""The detector response on hand-made objects: efficiencies, smearing, energy scale, the object
cuts after smearing, seeds, and an identity card that changes nothing."""

import json

import awkward as ak
import numpy as np
import pytest
import uproot
import yaml

from bsmflow.detector.card import load_card
from bsmflow.detector.response import apply_response, detector_chunk

LEPTONS = {"pt_min": 50.0, "eta_max": 2.5}
JETS = {"pt_min": 50.0, "eta_max": 2.5}


def card(tmp_path, data, name="card"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, **data}))
    return load_card(path)


def leptons(n_events, pid, pt=200.0):
    """n_events events of two leptons of |pid| with pT pt and pt/2 at eta 0.3, -1.0."""
    per_event = [
        {"pt": pt, "eta": 0.3, "phi": 0.1, "mass": 0.0, "pid": pid, "charge": -1.0},
        {"pt": pt / 2, "eta": -1.0, "phi": 2.0, "mass": 0.0, "pid": -pid, "charge": 1.0},
    ]
    return ak.Array([per_event] * n_events)


def test_an_efficiency_keeps_that_fraction_of_its_flavour_only(tmp_path):
    response = card(tmp_path, {"electron": {"efficiency": [{"name": "id", "formula": 0.8, "source": "s"}]}})
    electrons = apply_response(leptons(50_000, 11), response.responses, LEPTONS, seed=1, kind="lepton")
    kept = ak.sum(ak.num(electrons)) / 100_000
    assert abs(kept - 0.8) < 4 * np.sqrt(0.8 * 0.2 / 100_000)
    muons = apply_response(leptons(1000, 13), response.responses, LEPTONS, seed=1, kind="lepton")
    assert ak.all(ak.num(muons) == 2)


def test_smearing_has_the_card_s_width_and_keeps_the_direction(tmp_path):
    data = {"jet": {"resolution": {"variable": "energy", "formula": "0.1", "source": "s"}}}
    response = card(tmp_path, data).responses["jet"]
    jets = ak.Array([[{"pt": 1000.0, "eta": 0.5, "phi": 1.0, "mass": 10.0}]] * 40_000)
    smeared = ak.flatten(apply_response(jets, response, JETS, seed=3, kind="jet"))
    ratio = ak.to_numpy(smeared.pt) / 1000.0
    assert abs(ratio.mean() - 1) < 4 * 0.1 / np.sqrt(len(ratio))
    assert abs(ratio.std() - 0.1) < 0.002
    np.testing.assert_allclose(ak.to_numpy(smeared.mass) / 10.0, ratio)  # the four-momentum scales
    assert ak.all(smeared.eta == 0.5) and ak.all(smeared.phi == 1.0)


def test_energy_scale_then_cuts_and_pt_order(tmp_path):
    data = {"jet": {"energy_scale": {"formula": "where(pt > 100, 1.05, 0.9)", "source": "s"}}}
    response = card(tmp_path, data).responses["jet"]
    jets = ak.Array(
        [
            [
                {"pt": 101.0, "eta": 0.0, "phi": 0.0, "mass": 0.0},
                {"pt": 105.0, "eta": 1.0, "phi": 1.0, "mass": 0.0},
                {"pt": 54.0, "eta": 2.0, "phi": 2.0, "mass": 0.0},
            ]
        ]
    )
    out = apply_response(jets, response, JETS, seed=3, kind="jet")
    # 54 x 0.9 = 48.6 GeV fails the 50 GeV cut; the others are re-ordered in pT
    np.testing.assert_allclose(ak.to_numpy(out.pt[0]), [105 * 1.05, 101 * 1.05])
    np.testing.assert_allclose(ak.to_numpy(out.eta[0]), [1.0, 0.0])


def test_the_same_seed_gives_the_same_objects_and_another_seed_others(tmp_path, repo):
    atlas = load_card(repo / "config/detectors/atlas_like.yaml")
    objects = leptons(200, 11)
    first, again = (
        apply_response(objects, atlas.responses, LEPTONS, seed=7, kind="lepton") for _ in range(2)
    )
    other = apply_response(objects, atlas.responses, LEPTONS, seed=8, kind="lepton")
    assert ak.to_list(first) == ak.to_list(again) != ak.to_list(other)


def test_a_tau_has_no_response(tmp_path, repo):
    atlas = load_card(repo / "config/detectors/atlas_like.yaml")
    with pytest.raises(ValueError, match=r"\|pid\| \[15\]"):
        apply_response(leptons(1, 15), atlas.responses, LEPTONS, seed=1, kind="lepton")


def objects_file(path, n_events=300):
    rng = np.random.default_rng(5)
    lepton = [
        [{"pt": float(p), "eta": float(e), "phi": 0.5, "mass": 0.0, "pid": 11, "charge": -1.0}]
        for p, e in zip(rng.uniform(50.0, 900.0, n_events), rng.uniform(-2.4, 2.4, n_events), strict=True)
    ]
    lepton[0][0]["pt"] = np.float32(50.000004)  # on the cut in float32: an identity card keeps it
    jet = [
        [{"pt": float(p), "eta": 0.1, "phi": 3.0, "mass": 5.0}] for p in rng.uniform(50.0, 900.0, n_events)
    ]
    to32 = {name: np.float32 for name in ("pt", "eta", "phi", "mass", "charge")}
    columns = {
        "lepton": ak.zip(
            {k: ak.values_astype(ak.Array(lepton)[k], to32.get(k, np.int32)) for k in ak.Array(lepton).fields}
        ),
        "jet": ak.zip({k: ak.values_astype(ak.Array(jet)[k], np.float32) for k in ak.Array(jet).fields}),
        "weight": np.ones(n_events),
        "variation_weight": np.column_stack([np.full(n_events, 2.0), np.full(n_events, 0.5)]),
    }
    metadata = {"stage": "cluster", "shower": {"n_lhe_events": n_events}, "variations": ["a", "b"]}
    with uproot.recreate(path) as out:
        out["objects"] = columns
        out["metadata"] = json.dumps(metadata)
    return columns


def test_an_identity_card_reproduces_the_particle_level_objects_exactly(tmp_path):
    columns = objects_file(tmp_path / "objects.root")
    identity = tmp_path / "identity.yaml"
    identity.write_text(
        yaml.safe_dump(
            {"name": "identity", "electron": {"efficiency": [{"name": "all", "formula": 1, "source": "s"}]}}
        )
    )
    record = detector_chunk(
        str(tmp_path / "objects.root"),
        str(identity),
        str(tmp_path / "out.root"),
        seed=3,
        objects={"leptons": LEPTONS, "jets": JETS},
    )
    with uproot.open(tmp_path / "out.root") as handle:
        out = handle["objects"].arrays()
        metadata = json.loads(str(handle["metadata"]))
    for name in ("lepton", "jet"):
        assert ak.to_list(out[name]) == ak.to_list(columns[name])
    np.testing.assert_array_equal(ak.to_numpy(out["variation_weight"]), columns["variation_weight"])
    assert metadata["variations"] == ["a", "b"] and metadata["shower"] == {"n_lhe_events": 300}
    assert record["objects"]["leptons_out"] == record["objects"]["leptons_in"] == 300
    assert record["inputs"]["card"]["path"] == str(identity) and record["seed"] == 3


def test_a_broken_card_leaves_no_output(tmp_path):
    objects_file(tmp_path / "objects.root")
    bad = tmp_path / "bad.yaml"
    bad.write_text("jet: {energy_scale: {formula: 'pt +', source: s}}\n")
    with pytest.raises(ValueError, match="bad.yaml"):
        detector_chunk(
            str(tmp_path / "objects.root"),
            str(bad),
            str(tmp_path / "out.root"),
            seed=3,
            objects={"leptons": LEPTONS, "jets": JETS},
        )
    assert (
        list(tmp_path.iterdir()) == [tmp_path / "objects.root", bad] or not (tmp_path / "out.root").exists()
    )
