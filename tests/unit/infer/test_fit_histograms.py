"""The fitted bins: the fit region on the binning, extra cuts and the rebinning rule."""

import numpy as np
import pytest

from bsmflow.infer.fit_histograms import FitHistogram, fill, fine_edges, merged_edges, rebin

BINNING = {"min_gev": 0.0, "max_gev": 3000.0, "width_gev": 50.0}


def test_fit_region_is_cut_from_the_binning():
    edges = fine_edges(BINNING, {"min_gev": 600.0, "max_gev": 800.0})
    assert edges.tolist() == [600.0, 650.0, 700.0, 750.0, 800.0]
    with pytest.raises(ValueError, match="the edges must be edges of the binning"):
        fine_edges(BINNING, {"min_gev": 625.0, "max_gev": 800.0})


def test_rebinning_merges_from_the_high_end_until_each_bin_has_enough_events():
    edges = np.array([0.0, 1, 2, 3, 4, 5, 6])
    entries = np.array([50, 3, 4, 0, 1, 2])
    # from the top: 2 -> +1 -> +0 -> +4 = 7 >= 5: [2, 6]; then 3 -> +50 = 53: [0, 2]
    assert merged_edges(edges, entries, 5).tolist() == [0.0, 2.0, 6.0]
    assert merged_edges(edges, entries, 1).tolist() == [
        0.0,
        1.0,
        2.0,
        4.0,
        5.0,
        6.0,
    ]  # the empty bin joins below


def test_a_low_remainder_joins_the_lowest_merged_bin():
    edges = np.array([0.0, 1, 2, 3])
    assert merged_edges(edges, np.array([1, 6, 6]), 5).tolist() == [0.0, 2.0, 3.0]


def test_too_few_background_events_in_the_region_is_an_error():
    with pytest.raises(ValueError, match="holds 4 unweighted background MC events, fewer than .* = 5"):
        merged_edges(np.array([0.0, 1, 2]), np.array([1, 3]), 5)


def test_fill_applies_the_st_cut_and_rebin_sums_everything():
    events = {
        "mlq_min": np.array([610.0, 640.0, 720.0, 790.0, 900.0]),
        "st": np.array([1000.0, 500.0, 1200.0, 1300.0, 1500.0]),
        "weight": np.array([2.0, 2.0, 3.0, 1.0, 4.0]),
    }
    edges = fine_edges(BINNING, {"min_gev": 600.0, "max_gev": 800.0})
    histogram = fill(events, "mlq_min", edges, {"st_min": 600.0})
    assert histogram.values.tolist() == [2.0, 0.0, 3.0, 1.0]  # 640 fails S_T, 900 is outside
    assert histogram.variances.tolist() == [4.0, 0.0, 9.0, 1.0]
    assert histogram.entries.tolist() == [1, 0, 1, 1]
    coarse = rebin(histogram, np.array([600.0, 700.0, 800.0]))
    assert coarse.values.tolist() == [2.0, 4.0] and coarse.variances.tolist() == [4.0, 10.0]
    assert coarse.entries.tolist() == [1, 2]
    with pytest.raises(ValueError, match="are not edges of"):
        rebin(histogram, np.array([600.0, 725.0, 800.0]))


def test_fit_histogram_is_a_plain_record():
    h = FitHistogram(np.array([0.0, 1.0]), np.array([1.0]), np.array([1.0]), np.array([1]))
    assert h.values.sum() == 1.0


def test_bins_also_merge_until_they_expect_enough_background():
    """Weighted slices: ten MC events of weight 0.05 are half an event; the rule merges on."""
    edges = np.array([0.0, 1, 2, 3, 4])
    entries = np.array([40, 20, 20, 20])
    values = np.array([20.0, 4.0, 1.0, 1.0])
    assert merged_edges(edges, entries, 10).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert merged_edges(edges, entries, 10, values, 3.0).tolist() == [0.0, 1.0, 4.0]
    assert merged_edges(edges, entries, 10, values, 30.0).tolist() == [0.0, 4.0]  # one bin
