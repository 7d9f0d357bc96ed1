"""Real Pythia: hard-process generation written as LHE, read back with pylhe; seeds."""

import gzip
import json

import pylhe
import pytest
from reference import assert_reference_cross_section

from bsmflow.generate.lhe import check_lhe
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}


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
    # within 3 sigma_stat + 3 % of the recorded high-statistics reference (tests/data)
    assert_reference_cross_section("pythia", "lq_m1000", record["sigma_pb"], record["sigma_err_pb"])
    assert json.loads((directory / "a.json").read_text())["seed"] == 11


def test_same_seed_same_events_other_seed_other_events(signal_lhe, repo, tmp_path):
    directory, _ = signal_lhe
    card = str(directory / "param_card.dat")
    for seed, name in ((11, "same"), (12, "other")):
        generate_lhe(
            str(repo / "config/cards/lq/pythia.cmnd"),
            card,
            {"pdg_id": 42, "yukawa_block": "YUKS1"},
            str(tmp_path / f"{name}.lhe.gz"),
            str(tmp_path / f"{name}.json"),
            GenerationSpec(
                sample="lq_m1000",
                chunk=0,
                n_events=60,
                seed=seed,
                sqrt_s_gev=13000.0,
                pdf=PDF,
            ),
        )
    reference = events_text(directory / "a.lhe.gz")
    assert events_text(tmp_path / "same.lhe.gz") == reference
    assert events_text(tmp_path / "other.lhe.gz") != reference
