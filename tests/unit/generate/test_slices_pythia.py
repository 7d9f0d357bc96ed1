"""Real Pythia: slices of a process add up to one sample over the same range, the diboson
filter keeps only its channels, and two decay-channel strata add up to the whole process."""

import math

import awkward as ak
import numpy as np
import pylhe
import pytest
from scipy import stats

from bsmflow.analyse.stitch import stitch
from bsmflow.generate.filters import diboson_ll, ee_mumu
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.slices import stitching_weight
from bsmflow.generate.spec import GenerationSpec

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}
EDGES = [500.0, 700.0, 900.0, 1100.0, 1400.0, 2000.0, 4000.0]
LUMINOSITY_FB = 100.0


def generate(repo, tmp_path, name, cut, n_events, seed, process="ttbar", decay_filter=None):
    chunk = GenerationSpec(name, 0, n_events, seed, 13000.0, PDF)
    lhe = tmp_path / f"{name}.lhe.gz"
    record = generate_lhe(
        str(repo / f"config/cards/{process}/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(tmp_path / f"{name}.json"),
        chunk,
        slice=cut,
        decay_filter=decay_filter,
    )
    return record, list(pylhe.LHEFile.fromfile(str(lhe)).events)


def mass(event):
    top = [p for p in event.particles if abs(p.id) == 6]
    e, px, py, pz = (sum(getattr(p, c) for p in top) for c in ("e", "px", "py", "pz"))
    return math.sqrt(e * e - px * px - py * py - pz * pz)


def as_record(name, record, events):
    """An analysis-like record of the m(t tbar) histogram, weighted sigma L / N."""
    weight = stitching_weight(record["sigma_pb"], LUMINOSITY_FB, len(events))
    counts = np.histogram([mass(e) for e in events], EDGES)[0]
    values = [0.0, *(counts * weight), 0.0]
    total = len(events) * weight
    return {
        "sample": name,
        "process": "ttbar",
        "mass_gev": None,
        "generator": "pythia",
        "generator_version": record["generator_version"],
        "bsmflow_version": "test",
        "luminosity_fb": LUMINOSITY_FB,
        "sigma_pb": record["sigma_pb"],
        "sigma_err_pb": record["sigma_err_pb"],
        "n_events": len(events),
        "cutflow": [{"step": "all", "raw": len(events), "weighted": total, "weighted_err": 0.0}],
        "histograms": {"mtt": {"edges": EDGES, "values": values, "variances": [v * weight for v in values]}},
    }


def test_stitched_slices_equal_one_sample_over_the_same_range(repo, tmp_path):
    low, high = (
        {"variable": "mhat", "min_gev": 500.0, "max_gev": 900.0},
        {"variable": "mhat", "min_gev": 900.0, "max_gev": None},
    )
    whole = {"variable": "mhat", "min_gev": 500.0, "max_gev": None}
    parts = [
        as_record("ttbar_mhat500to900", *generate(repo, tmp_path, "low", low, 1500, 1)),
        as_record("ttbar_mhat900toinf", *generate(repo, tmp_path, "high", high, 1500, 2)),
    ]
    stitched = stitch(parts)
    reference = as_record("ttbar", *generate(repo, tmp_path, "whole", whole, 3000, 3))
    # cross sections: the slices partition the range
    pull = (stitched["sigma_pb"] - reference["sigma_pb"]) / math.hypot(
        stitched["sigma_err_pb"], reference["sigma_err_pb"]
    )
    assert abs(pull) < 4, (stitched["sigma_pb"], reference["sigma_pb"])
    # the m(t tbar) distribution at the luminosity, bin by bin (chi2 with MC errors of both)
    a = np.array(stitched["histograms"]["mtt"]["values"][1:-1])
    b = np.array(reference["histograms"]["mtt"]["values"][1:-1])
    variance = np.array(stitched["histograms"]["mtt"]["variances"][1:-1]) + np.array(
        reference["histograms"]["mtt"]["variances"][1:-1]
    )
    used = variance > 0
    chi2 = float(np.sum((a - b)[used] ** 2 / variance[used]))
    assert stats.chi2.sf(chi2, used.sum()) > 1e-3, (a, b, chi2)
    # the slices' events really lie in their slice
    assert parts[0]["histograms"]["mtt"]["values"][3:-1] == [0.0] * 4  # nothing above 900 GeV
    assert sum(parts[1]["histograms"]["mtt"]["values"][1:3]) == 0.0  # nothing below 900 GeV


def boson_decays(event):
    """(boson id, daughter ids) of the W and Z of an LHE event (mother indices are 1-based)."""
    decays = []
    for index, boson in enumerate(event.particles, start=1):
        if abs(boson.id) in (23, 24) and boson.status == 2:
            daughters = tuple(int(p.id) for p in event.particles if int(p.mother1) == index)
            decays.append((int(boson.id), daughters))
    return decays


def test_diboson_filter_keeps_its_channels_and_scales_sigma(repo, tmp_path):
    cut = {"variable": "mhat", "min_gev": 500.0, "max_gev": None}
    record, events = generate(repo, tmp_path, "vv", cut, 300, 4, "diboson", "diboson_ll")
    unfiltered, all_events = generate(repo, tmp_path, "vv_all", cut, 300, 4, "diboson")
    assert all(diboson_ll(boson_decays(event)) for event in events)
    assert not all(diboson_ll(boson_decays(event)) for event in all_events)
    fraction = record["filter_accepted"] / record["filter_tried"]
    assert 0.05 < fraction < 0.3  # the channels' branching ratios (about 0.15 here)
    assert record["sigma_pb"] == pytest.approx(unfiltered["sigma_pb"] * fraction, rel=0.1)


def test_channel_strata_add_up_to_the_whole_process(repo, tmp_path):
    """ttbar split by ee_mumu: the stratum keeps only ee and mumu, its complement everything else,
    and their cross sections add up to the unsplit one (2/9 and 7/9 of it: W -> e, mu, tau)."""
    cut = {"variable": "mhat", "min_gev": 1000.0, "max_gev": None}
    kept, kept_events = generate(repo, tmp_path, "sf", cut, 400, 6, "ttbar", "ee_mumu")
    rest, rest_events = generate(repo, tmp_path, "rest", cut, 400, 7, "ttbar", "not_ee_mumu")
    whole, whole_events = generate(repo, tmp_path, "all", cut, 2000, 8, "ttbar")
    assert all(ee_mumu(boson_decays(event)) for event in kept_events)
    assert not any(ee_mumu(boson_decays(event)) for event in rest_events)
    assert {len(boson_decays(event)) for event in kept_events + rest_events} == {2}
    fraction = kept["filter_accepted"] / kept["filter_tried"]
    assert fraction == pytest.approx(2 / 9, abs=3 * math.sqrt(2 / 9 * 7 / 9 / kept["filter_tried"]))
    total = kept["sigma_pb"] + rest["sigma_pb"]
    error = math.sqrt(kept["sigma_err_pb"] ** 2 + rest["sigma_err_pb"] ** 2 + whole["sigma_err_pb"] ** 2)
    assert abs(total - whole["sigma_pb"]) < 3 * error
    assert error < 0.05 * whole["sigma_pb"]  # the check is sharper than a wrong branching ratio (2/9)


def test_biased_generation_keeps_sigma_and_the_weighted_spectrum(repo, tmp_path):
    """Pythia's pT-hat bias: more events at high pT-hat, each weighted back. The cross section and
    the weighted pT-hat spectrum equal the unbiased ones; the shower stage reads the weights."""
    import pythia8mc

    cut = {"variable": "mhat", "min_gev": 800.0, "max_gev": 1200.0}
    plain, plain_events = generate(repo, tmp_path, "plain", cut, 4000, 5, "dyjets")
    chunk = GenerationSpec("biased", 0, 4000, 6, 13000.0, PDF)
    lhe = tmp_path / "biased.lhe.gz"
    biased = generate_lhe(
        str(repo / "config/cards/dyjets/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(tmp_path / "biased.json"),
        chunk,
        slice=cut,
        bias={"power": 1.0, "reference_gev": 100.0},
    )
    events = list(pylhe.LHEFile.fromfile(str(lhe)).events)
    pull = (biased["sigma_pb"] - plain["sigma_pb"]) / math.hypot(
        biased["sigma_err_pb"], plain["sigma_err_pb"]
    )
    assert abs(pull) < 4
    weights = np.array([e.eventinfo.weight for e in events])
    assert np.mean(weights) == pytest.approx(biased["sigma_pb"], rel=1e-6)  # mean XWGTUP = sigma
    assert weights.max() / weights.min() > 2  # weighted events

    def pt_hat(event):
        final = [p for p in event.particles if p.status == 1 and abs(p.id) < 22]  # the parton
        return math.hypot(final[0].px, final[0].py)

    high = 300.0
    biased_fraction = np.mean([pt_hat(e) > high for e in events])
    plain_fraction = np.mean([pt_hat(e) > high for e in plain_events])
    assert biased_fraction > 1.5 * plain_fraction  # the bias samples high pT-hat more often
    weighted = np.sum(weights * np.array([pt_hat(e) > high for e in events])) / weights.sum()
    error = math.sqrt(plain_fraction * (1 - plain_fraction) / len(plain_events)) * 2
    assert weighted == pytest.approx(plain_fraction, abs=3 * error)  # ... and weighs it back
    # the LHE file says weighted (IDWTUP = 4), so Pythia keeps each event's weight
    pythia = pythia8mc.Pythia("", False)
    for setting in (
        "Beams:frameType = 4",
        f"Beams:LHEF = {lhe}",
        "PartonLevel:all = off",
        "HadronLevel:all = off",
    ):
        pythia.readString(setting)
    pythia.init()
    batch = pythia.nextBatch(50, "skip")
    read = ak.to_numpy(ak.firsts(batch.info.weights))
    np.testing.assert_allclose(read / read.mean(), weights[:50] / weights[:50].mean(), rtol=1e-6)
