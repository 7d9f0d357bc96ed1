"""Real Pythia: the shower reads the generation stage's LHE file."""

import json

import pytest

from bsmflow.shower.pythia import shower_lhe


def test_pythia_showers_the_lhe_with_the_leptoquark_charge_and_colour(signal_lhe, repo, tmp_path):
    import pythia8mc
    import uproot

    directory, _ = signal_lhe
    lhe = str(directory / "a.lhe.gz")
    metadata = shower_lhe(
        lhe,
        str(repo / "config/cards/shower.cmnd"),
        str(tmp_path / "s.root"),
        sample="lq_m1000",
        chunk=0,
        seed=5,
    )
    assert metadata["n_events"] == 60
    assert metadata["lhe_sigma_pb"] == pytest.approx(
        json.loads((directory / "a.json").read_text())["sigma_pb"], rel=1e-6
    )
    with uproot.open(tmp_path / "s.root") as handle:
        tree = handle["events"].arrays()
    assert len(tree) == 60
    assert all(abs(sum(event) - 2) < 1e-3 for event in tree["particle"].charge.tolist())  # p p
    # The LQ in Pythia's own record after reading the LHE: charge -1/3, colour triplet.
    pythia = pythia8mc.Pythia("", False)
    for setting in ("Beams:frameType = 4", f"Beams:LHEF = {lhe}", "HadronLevel:all = off"):
        pythia.readString(setting)
    assert pythia.init() and pythia.next()
    lq = [pythia.process[i] for i in range(pythia.process.size()) if pythia.process[i].id() == 42]
    assert lq and lq[0].charge() == pytest.approx(-1 / 3) and lq[0].col() > 0 and lq[0].acol() == 0
