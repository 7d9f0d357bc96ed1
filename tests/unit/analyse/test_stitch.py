"""Stitching slices of a background: hand-made records whose sums are known."""

import math

import pytest

from bsmflow.analyse.stitch import by_process, stitch
from bsmflow.generate.slices import stitching_weight


def slice_record(name, sigma_pb, n_events, values, variances, raw_final, weighted_final):
    return {
        "sample": name,
        "process": "dyjets",
        "mass_gev": None,
        "slice": {"variable": "mhat", "min_gev": 0.0, "max_gev": None},
        "generator": "pythia",
        "generator_version": "Pythia 8.317",
        "bsmflow_version": "0.1.0",
        "luminosity_fb": 100.0,
        "sigma_pb": sigma_pb,
        "sigma_err_pb": sigma_pb / 100,
        "n_events": n_events,
        "cutflow": [
            {"step": "all", "raw": n_events, "weighted": sigma_pb * 1e5, "weighted_err": 1.0},
            {"step": "final", "raw": raw_final, "weighted": weighted_final, "weighted_err": 3.0},
        ],
        "histograms": {"mlq_min": {"edges": [0.0, 1.0], "values": values, "variances": variances}},
    }


def test_stitching_weight_is_sigma_times_luminosity_over_events():
    # 2 pb x 100 fb^-1 = 200 000 events, generated as 4000: each stands for 50
    assert stitching_weight(2.0, 100.0, 4000) == pytest.approx(50.0)
    # a high slice: 0.01 pb with 1000 events -> 1 event each
    assert stitching_weight(0.01, 100.0, 1000) == pytest.approx(1.0)


def test_slices_add_bin_by_bin_with_their_variances():
    # low slice: 3 selected events of weight 50 in the bin; high slice: 7 events of weight 1
    low = slice_record("dyjets_mhat0to500", 2.0, 4000, [0.0, 150.0, 0.0], [0.0, 7500.0, 0.0], 3, 150.0)
    high = slice_record("dyjets_mhat500toinf", 0.01, 1000, [0.0, 7.0, 1.0], [0.0, 7.0, 1.0], 8, 8.0)
    total = stitch([low, high])
    assert total["sample"] == "dyjets" and total["slices"] == ["dyjets_mhat0to500", "dyjets_mhat500toinf"]
    assert total["histograms"]["mlq_min"]["values"] == [0.0, 157.0, 1.0]
    assert total["histograms"]["mlq_min"]["variances"] == [0.0, 7507.0, 1.0]
    assert total["sigma_pb"] == pytest.approx(2.01)
    assert total["sigma_err_pb"] == pytest.approx(math.hypot(0.02, 0.0001))
    assert total["n_events"] == 5000
    final = total["cutflow"][-1]
    assert (final["raw"], final["weighted"], final["weighted_err"]) == (
        11,
        158.0,
        pytest.approx(math.sqrt(18)),
    )


def test_one_sample_is_its_own_process_and_signals_are_kept_apart():
    only = slice_record("dyjets", 1.0, 100, [0, 1, 0], [0, 1, 0], 1, 1.0)
    assert stitch([only]) is only
    signal = dict(only, sample="lq_m1000", process="lq", mass_gev=1000)
    a = slice_record("dyjets_mhat0to500", 1.0, 100, [0, 1, 0], [0, 1, 0], 1, 1.0)
    b = slice_record("dyjets_mhat500toinf", 1.0, 100, [0, 2, 0], [0, 4, 0], 1, 2.0)
    grouped = by_process([signal, a, b])
    assert [r["sample"] for r in grouped] == ["lq_m1000", "dyjets"]
    assert grouped[1]["histograms"]["mlq_min"]["values"] == [0, 3, 0]


def test_records_that_do_not_belong_together_are_refused():
    a = slice_record("dyjets_mhat0to500", 1.0, 100, [0, 1, 0], [0, 1, 0], 1, 1.0)
    other = dict(slice_record("ttbar_mhat0toinf", 1.0, 100, [0, 1, 0], [0, 1, 0], 1, 1.0), process="ttbar")
    with pytest.raises(ValueError, match="only the slices of one background process"):
        stitch([a, other])
    rebinned = slice_record("dyjets_mhat500toinf", 1.0, 100, [0, 1, 0], [0, 1, 0], 1, 1.0)
    rebinned["histograms"]["mlq_min"]["edges"] = [0.0, 2.0]
    with pytest.raises(ValueError, match="dyjets_mhat500toinf: its mlq_min binning differs"):
        stitch([a, rebinned])
