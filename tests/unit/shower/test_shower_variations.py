"""Shower variations against a real run: the FSR weight fsr_mur_2 (UncertaintyBands
fsr:muRfac = 2, a factor on mu) must reproduce the shape of a real run with
TimeShower:renormMultFac = 4 (a factor on pT^2, the same variation), in the number of charged
particles with pT > 2 GeV of real Pythia showers of M = 1 TeV leptoquark pairs: chi2
probability above 1 %. The variation applies to branchings above 3.5 GeV only
(UncertaintyBands:FSRpTmin2Fac = 50), the real run's to all: the all-pT multiplicity, which the
soft branchings make, is not reproduced (p = 0.006 measured), the pT > 2 GeV one is. The
unweighted nominal sample must fail the same test (probability below 1 %), so that the test can
tell. The LHE scale weights reach the shower file as Pythia reads them, the nominal exactly."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest
from scipy.stats import chi2

from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.param_card import build_param_card, format_param_card
from bsmflow.rootio import read_tree, read_variations
from bsmflow.shower.pythia import SHOWER_VARIATIONS, shower_lhe

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}
N_EVENTS = 1500
EDGES = np.arange(0, 201, 8)
PT_MIN = 2.0  # GeV
P_MIN = 0.01


def multiplicity_histogram(path, weight_name=None):
    events, metadata = read_tree(path, "events", ["particle", "weight"])
    particles = events["particle"]
    hard = (particles.charge != 0) & (np.hypot(particles.px, particles.py) > PT_MIN)
    counts = ak.to_numpy(ak.sum(hard, axis=1))
    weights = ak.to_numpy(events["weight"])
    if weight_name is not None:
        weights = read_variations(path, "events", metadata["variations"])[weight_name]
    values = np.histogram(counts, EDGES, weights=weights)[0]
    variances = np.histogram(counts, EDGES, weights=weights**2)[0]
    return values, variances


def shape_chi2_probability(a, b) -> float:
    """chi2 probability that two weighted histograms have the same shape (each normalised)."""
    (va, wa), (vb, wb) = a, b
    keep = (va > 0) | (vb > 0)
    na, nb = va.sum(), vb.sum()
    pulls = (va / na - vb / nb)[keep] ** 2 / (wa / na**2 + wb / nb**2)[keep]
    return float(chi2.sf(pulls.sum(), keep.sum() - 1))


@pytest.fixture(scope="module")
def showers(tmp_path_factory, repo):
    tmp = tmp_path_factory.mktemp("shower_variations")
    param_card = tmp / "param_card.dat"
    param_card.write_text(
        format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
    )
    lhe = str(tmp / "lq.lhe.gz")
    generate_lhe(
        str(repo / "config/cards/lq/pythia.cmnd"),
        str(param_card),
        {"pdg_id": 42, "yukawa_block": "YUKS1"},
        lhe,
        str(tmp / "lq.json"),
        GenerationSpec(
            "lq_m1000", 0, N_EVENTS, 3, 13000.0, PDF, {"scale": True, "pdf": None, "pdf_path": None}
        ),
    )
    card = repo / "config/cards/shower.cmnd"
    varied = tmp / "fsr4.cmnd"
    varied.write_text(card.read_text() + "TimeShower:renormMultFac = 4\n")
    shower_lhe(
        lhe, str(card), str(tmp / "weighted.root"), sample="lq", chunk=0, seed=5, shower_variations=True
    )
    shower_lhe(lhe, str(varied), str(tmp / "real.root"), sample="lq", chunk=0, seed=6)
    return tmp, lhe


def test_fsr_weights_reproduce_a_real_run_with_the_varied_scale(showers):
    tmp, _ = showers
    real = multiplicity_histogram(tmp / "real.root")
    weighted = multiplicity_histogram(tmp / "weighted.root", "fsr_mur_2")
    nominal = multiplicity_histogram(tmp / "weighted.root")
    agreement = shape_chi2_probability(weighted, real)
    control = shape_chi2_probability(nominal, real)
    assert agreement > P_MIN, (agreement, control)
    assert control < P_MIN, (agreement, control)


def test_shower_files_carry_the_lhe_scale_weights_and_the_shower_weights(showers):
    from bsmflow.generate.lhe import read_event_weights
    from bsmflow.generate.scale_weights import NOMINAL_ID, SCALE_IDS

    tmp, lhe = showers
    events, metadata = read_tree(tmp / "weighted.root", "events", ["weight"])
    assert metadata["variations"] == [*SCALE_IDS, *SHOWER_VARIATIONS]
    variations = read_variations(tmp / "weighted.root", "events", metadata["variations"])
    weight = ak.to_numpy(events["weight"])
    assert np.all(variations[NOMINAL_ID] == weight)  # the nominal scale point is the nominal weight
    nominal, named = read_event_weights(lhe)  # events in LHE order: every one is showered
    assert variations["muR_2_muF_2"] / weight == pytest.approx(named["muR_2_muF_2"] / nominal, rel=1e-9)
    # the real run's file has no variations
    _, plain = read_tree(tmp / "real.root", "events", ["weight"])
    assert plain["variations"] == list(SCALE_IDS)  # scale weights come with the LHE file
