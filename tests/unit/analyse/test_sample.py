"""How a sample's cross section is made from its chunk records."""

import math

import numpy as np
import pytest

from bsmflow.analyse.sample import combine_cross_sections, relative_weights


def test_pythia_chunks_are_independent_estimates():
    chunks = [
        {"sample": "s", "n_events": 1000, "sigma_pb": 2.0, "sigma_err_pb": 0.1, "inputs": {}},
        {"sample": "s", "n_events": 500, "sigma_pb": 2.3, "sigma_err_pb": 0.2, "inputs": {}},
    ]
    sigma, error, total = combine_cross_sections(chunks)
    assert total == 1500 and sigma == pytest.approx((2000 + 1150) / 1500)
    assert error == pytest.approx(math.hypot(100, 100) / 1500)


def test_madgraph_chunks_share_their_gridpack_integration():
    def chunk(gridpack_sha256, n_events=1000):
        gridpack = {"path": "gridpack.tar.gz", "sha256": gridpack_sha256}
        return {
            "sample": "s",
            "n_events": n_events,
            "sigma_pb": 0.08,
            "sigma_err_pb": 0.001,
            "inputs": {"gridpack": gridpack},
        }

    assert combine_cross_sections([chunk("a"), chunk("a", n_events=300)]) == (0.08, 0.001, 1300)
    with pytest.raises(ValueError, match="chunks of s come from different gridpacks"):
        combine_cross_sections([chunk("a"), chunk("b")])


def test_event_weights_are_taken_relative_to_their_mean():
    relative, norm = relative_weights([0.0043] * 3)  # MadGraph: XWGTUP = sigma
    assert list(relative) == pytest.approx([1, 1, 1]) and norm == pytest.approx(0.0043)
    relative, norm = relative_weights([1.0, -1.0, 2.0])
    assert list(relative) == pytest.approx([0.75, -0.75, 1.5]) and norm == pytest.approx(4 / 3)


def test_histogram_binning_and_record_with_flow_bins():
    from bsmflow.analyse.sample import histogram_record, make_histogram

    histogram = make_histogram("mlq_min", {"min_gev": 100.0, "max_gev": 400.0, "width_gev": 50.0})
    axis = histogram.axes[0]
    assert axis.name == "mlq_min" and axis.label == r"$m_{\mathrm{LQ}}^{\min}$ [GeV]"
    assert axis.edges.tolist() == pytest.approx([100.0, 150.0, 200.0, 250.0, 300.0, 350.0, 400.0], rel=1e-12)
    histogram.fill([50.0, 120.0, 399.0, 500.0], weight=[1.0, 2.0, 3.0, 4.0])
    record = histogram_record(histogram)
    assert record["edges"] == axis.edges.tolist()
    assert record["values"] == [1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0]  # underflow first, overflow last
    assert record["variances"] == [1.0, 4.0, 0.0, 0.0, 0.0, 0.0, 9.0, 16.0]


def test_relative_weights_of_an_empty_chunk_and_of_zero_weights():
    assert relative_weights([])[0].tolist() == []
    assert relative_weights([0.0, 0.0])[0].tolist() == [0.0, 0.0]
    assert relative_weights([0.0, 0.0])[1] == 1.0
    assert relative_weights([2, 6])[0].dtype == float  # integer weights become floats: [0.5, 1.5]
    assert relative_weights([2, 6])[0].tolist() == [0.5, 1.5]


def test_shower_variations_are_normalised_to_the_nominal_total_and_scale_ones_are_not():
    from bsmflow.analyse.sample import make_histogram, normalise_shower_variations
    from bsmflow.conventions import VARIATION_PREFIX

    binning = {"min_gev": 0.0, "max_gev": 100.0, "width_gev": 50.0}
    histograms = {name: make_histogram("mlq_min", binning) for name in ("fsr_mur_2", "muR_2_muF_2")}
    for histogram in histograms.values():
        histogram.fill([10.0, 60.0], weight=[2.0, 1.0])
    selected = {VARIATION_PREFIX + name: [np.array([2.0, 1.0])] for name in histograms}
    factors = normalise_shower_variations(
        histograms, selected, {"fsr_mur_2": 80.0, "muR_2_muF_2": 70.0}, 100.0
    )
    assert factors == {"fsr_mur_2": 1.25}  # the scale variation changes the cross section: kept
    assert histograms["fsr_mur_2"].values().tolist() == [2.5, 1.25]
    assert histograms["fsr_mur_2"].variances().tolist() == [6.25, 1.5625]
    assert histograms["muR_2_muF_2"].values().tolist() == [2.0, 1.0]
    assert selected[VARIATION_PREFIX + "fsr_mur_2"][0].tolist() == [2.5, 1.25]
