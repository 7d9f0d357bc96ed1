"""Real Pythia: hard-process LHE writing, reading back with pylhe and Pythia, and the shower."""

import gzip
import json

import pylhe
import pytest

from bsmflow.generate import generate_lhe
from bsmflow.lhe import check_lhe
from bsmflow.model import build_param_card, format_param_card
from bsmflow.shower import shower_lhe

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}


@pytest.fixture(scope="module")
def signal_lhe(tmp_path_factory, repo):
    directory = tmp_path_factory.mktemp("lhe")
    card = directory / "param_card.dat"
    card.write_text(format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5)))
    record = generate_lhe(
        str(repo / "config/cards/lq/pythia.cmnd"),
        str(card),
        str(directory / "a.lhe.gz"),
        str(directory / "a.json"),
        sample="lq_m1000",
        chunk=0,
        n_events=60,
        seed=11,
        sqrt_s_gev=13000.0,
        pdf=PDF,
    )
    return directory, record


def events_text(path):
    text = gzip.open(path, "rt").read()
    return text[text.index("<event>") :]


def test_lhe_is_readable_by_pylhe_with_the_recorded_cross_section(signal_lhe):
    directory, record = signal_lhe
    lhe = pylhe.LHEFile.fromfile(str(directory / "a.lhe.gz"))
    init = lhe.init
    assert init.initInfo.beamA == 2212 and init.initInfo.energyA == pytest.approx(6500)
    assert init.initInfo.PDFsetA == 247000
    assert sum(p.xSection for p in init.procInfo) == pytest.approx(record["sigma_pb"], rel=1e-6)
    assert len(init.procInfo) == 2  # gg and qqbar -> S1 S1dag
    events = list(lhe.events)
    assert len(events) == 60 == check_lhe(directory / "a.lhe.gz")
    for event in events:
        ids = [(int(p.id), int(p.status)) for p in event.particles]
        assert (42, 2) in ids and (-42, 2) in ids  # S1dag and S1 as decayed resonances
        finals = sorted(i for i, status in ids if status == 1)
        assert finals == [-11, -2, 2, 11]  # S1dag -> u e-, S1 -> ubar e+
    # LO NNPDF2.3 at M = 1 TeV: 15-50% above the PDF4LHC15 LO reference of 3.712 fb (PHYSICS.md)
    assert 3.712e-3 * 1.1 < record["sigma_pb"] < 3.712e-3 * 1.6
    assert json.loads((directory / "a.json").read_text())["seed"] == 11


def test_same_seed_same_events_other_seed_other_events(signal_lhe, repo, tmp_path):
    directory, _ = signal_lhe
    card = str(directory / "param_card.dat")
    for seed, name in ((11, "same"), (12, "other")):
        generate_lhe(
            str(repo / "config/cards/lq/pythia.cmnd"),
            card,
            str(tmp_path / f"{name}.lhe.gz"),
            str(tmp_path / f"{name}.json"),
            sample="lq_m1000",
            chunk=0,
            n_events=60,
            seed=seed,
            sqrt_s_gev=13000.0,
            pdf=PDF,
        )
    reference = events_text(directory / "a.lhe.gz")
    assert events_text(tmp_path / "same.lhe.gz") == reference
    assert events_text(tmp_path / "other.lhe.gz") != reference


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


def test_truncated_lhe_is_named_in_the_error(signal_lhe, tmp_path):
    directory, _ = signal_lhe
    data = (directory / "a.lhe.gz").read_bytes()
    broken = tmp_path / "broken.lhe.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="broken.lhe.gz: unreadable LHE file"):
        check_lhe(broken)
    plain = tmp_path / "cut.lhe"
    plain.write_text(gzip.open(directory / "a.lhe.gz", "rt").read()[:5000])
    with pytest.raises(ValueError, match="cut.lhe: truncated LHE file"):
        check_lhe(plain)
