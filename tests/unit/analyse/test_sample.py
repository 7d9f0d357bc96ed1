"""How a sample's cross section is made from its chunk records."""

import math

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
    assert list(relative_weights([0.0043] * 3)) == pytest.approx([1, 1, 1])  # MadGraph: XWGTUP = sigma
    assert list(relative_weights([1.0, -1.0, 2.0])) == pytest.approx([0.75, -0.75, 1.5])
