"""Hand-made analysis records shared by the summary tests."""

import pytest

EDGES = [0.0, 500.0, 1000.0]


def record(sample, process, mass_gev, raw_final, weighted_final):
    return {
        "sample": sample,
        "process": process,
        "mass_gev": mass_gev,
        "generator": "pythia",
        "generator_version": "Pythia 8.317",
        "bsmflow_version": "0.1.0",
        "sigma_pb": 0.004,
        "sigma_err_pb": 0.0001,
        "n_events": 200,
        "luminosity_fb": 139.0,
        "cutflow": [
            {"step": "all", "raw": 200, "weighted": 556.0, "weighted_err": 39.3},
            {
                "step": "2_leptons",
                "raw": raw_final + 10,
                "weighted": weighted_final + 27.8,
                "weighted_err": 3.2,
            },
            {"step": "min_2_jets", "raw": raw_final, "weighted": weighted_final, "weighted_err": 3.0},
        ],
        "histograms": {
            name: {"edges": EDGES, "values": [0.0, 1.0, 2.0, 0.5], "variances": [0.0, 0.25, 1.0, 0.04]}
            for name in ("mlq_min", "mlq_max")
        },
    }


@pytest.fixture
def records():
    """A 1 TeV signal and a ttbar background, with a two-step cutflow and 2-bin histograms."""
    return [record("lq_m1000", "lq", 1000, 150, 417.0), record("ttbar", "ttbar", None, 20, 55.6)]
