"""Fixtures of the unit tests that need real generator output."""

import pytest

from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.param_card import build_param_card, format_param_card

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}


@pytest.fixture(scope="session")
def signal_lhe(tmp_path_factory, repo):
    directory = tmp_path_factory.mktemp("lhe")
    card = directory / "param_card.dat"
    card.write_text(
        format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
    )
    record = generate_lhe(
        str(repo / "config/cards/lq/pythia.cmnd"),
        str(card),
        {"pdg_id": 42, "yukawa_block": "YUKS1"},
        str(directory / "a.lhe.gz"),
        str(directory / "a.json"),
        GenerationSpec(
            sample="lq_m1000",
            chunk=0,
            n_events=60,
            seed=11,
            sqrt_s_gev=13000.0,
            pdf=PDF,
        ),
    )
    return directory, record
