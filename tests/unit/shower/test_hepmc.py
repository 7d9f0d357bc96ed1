"""HepMC3 output of the shower stage, read back with pyhepmc and compared with the ROOT file of
the same chunk: particles, weights with their names, cross section and run info."""

import gzip

import awkward as ak
import numpy as np
import pytest
import uproot

from bsmflow.shower.hepmc import NOMINAL, read_hepmc
from bsmflow.shower.pythia import SHOWER_VARIATIONS, shower_lhe


@pytest.fixture(scope="module", params=["final", "full"])
def chunk(request, signal_lhe, repo, tmp_path_factory):
    directory, _ = signal_lhe
    out = tmp_path_factory.mktemp(f"hepmc_{request.param}")
    metadata = shower_lhe(
        str(directory / "a.lhe.gz"),
        str(repo / "config/cards/shower.cmnd"),
        str(out / "s.root"),
        sample="lq_m1000",
        chunk=0,
        seed=5,
        shower_variations=True,
        hepmc_output=str(out / "s.hepmc3.gz"),
        hepmc_record=request.param,
    )
    with uproot.open(out / "s.root") as handle:
        arrays = handle["events"].arrays()
    return request.param, metadata, arrays, str(out / "s.hepmc3.gz")


def test_the_file_is_gzip_compressed_hepmc3(chunk):
    _, _, _, path = chunk
    with gzip.open(path, "rt") as handle:
        assert handle.readline().startswith("HepMC::Version 3")
        assert handle.readline().strip() == "HepMC::Asciiv3-START_EVENT_LISTING"


def test_final_state_particles_match_the_root_file(chunk):
    _, metadata, arrays, path = chunk
    events = read_hepmc(path)
    assert len(events) == len(arrays) == metadata["n_events"] == 60
    for event, root in zip(events, arrays["particle"], strict=True):
        final = [p for p in event.particles if p.status == 1]
        pid = np.array([p.pid for p in final])
        momentum = np.array([[p.momentum.px, p.momentum.py, p.momentum.pz, p.momentum.e] for p in final])
        expected = np.column_stack([ak.to_numpy(root[c]) for c in ("px", "py", "pz", "E")])
        # the full record lists particles in the order of its vertices: compare sorted
        mine, theirs = np.lexsort((momentum[:, 3], pid)), np.lexsort((expected[:, 3], ak.to_numpy(root.pid)))
        np.testing.assert_array_equal(pid[mine], ak.to_numpy(root.pid)[theirs])
        np.testing.assert_allclose(momentum[mine].astype(np.float32), expected[theirs], rtol=1e-6, atol=1e-6)
        # momentum is conserved: the final state carries the beams' momentum
        beams = [p for p in event.particles if p.status == 4]
        assert len(beams) == 2
        total = momentum.sum(axis=0)
        np.testing.assert_allclose(total, [0, 0, 0, 13000.0], atol=1e-3)


def test_weights_names_cross_section_and_run_info(chunk):
    record, metadata, arrays, path = chunk
    events = read_hepmc(path)
    run = events[0].run_info
    assert list(run.weight_names) == [NOMINAL, *metadata["variations"]]
    assert metadata["variations"] == list(SHOWER_VARIATIONS)  # this LHE file has no scale weights
    weights = np.array([list(e.weights) for e in events])
    np.testing.assert_array_equal(weights[:, 0], ak.to_numpy(arrays["weight"]))
    np.testing.assert_array_equal(weights[:, 1:], ak.to_numpy(arrays["variation_weight"]))
    for event in events:
        assert event.cross_section.xsec() == pytest.approx(metadata["lhe_sigma_pb"], rel=1e-12)
        assert event.cross_section.xsec_err() > 0
    assert {t.name for t in run.tools} == {"Pythia", "bsmflow"}
    assert str(run.attributes["seed"]) == "5" and str(run.attributes["record"]) == record
    # the settings are in the run info as text, every one of them, in the shower's order
    assert len(metadata["settings"]) > 10
    assert str(run.attributes["settings"]).splitlines() == list(metadata["settings"])
    assert "Random:seed = 5" in str(run.attributes["settings"])


def test_the_full_record_keeps_the_history(chunk):
    record, _, _, path = chunk
    event = read_hepmc(path)[0]
    leptoquarks = [p for p in event.particles if abs(p.pid) == 42]
    if record == "final":
        assert not leptoquarks and all(p.status in (1, 4) for p in event.particles)
        return
    assert leptoquarks  # the full record has the leptoquarks, with parents and decay products
    last = [p for p in leptoquarks if p.end_vertex is not None and all(abs(c.pid) != 42 for c in p.children)]
    assert len(last) == 2
    for lq in last:
        products = sorted(abs(c.pid) for c in lq.children)
        assert 11 in products and any(pid in (2, 1, 3, 4, 5) for pid in products)
    assert all(p.production_vertex is not None for p in event.particles if p.status == 1)
