"""Normalisation of the analysis, exactly: sigma x L / N per event, the cutflow, the yield and the
histogram integral, for Pythia's unit weights and MadGraph's sigma-valued ones. Every expected
number is written out in events, so a pb/fb slip or a lost 1/N fails."""

import json
import math

import awkward as ak
import numpy as np
import pytest
import uproot

from bsmflow.analyse.sample import analyse_sample

SIGMA_PB = 0.004  # 4 fb
LUMINOSITY_FB = 139.0  # sigma x L = 556 events
SELECTION = {"jet_lepton_overlap_dr": 0.4, "n_leptons": 2, "min_jets": 2, "mll_min": 130.0, "st_min": 0.0}
BINNING = {"min_gev": 0.0, "max_gev": 3000.0, "width_gev": 50.0}


def lepton(pt, phi, pid):
    return {"pt": pt, "eta": 0.0, "phi": phi, "mass": 0.0, "pid": pid, "charge": -math.copysign(1, pid)}


def jet(pt, phi):
    return {"pt": pt, "eta": 0.0, "phi": phi, "mass": 0.0}


PASSING = ([lepton(300, 0.0, 11), lepton(200, 2.0, -11)], [jet(300, 3.0), jet(250, -1.5)])
ONE_JET = ([lepton(300, 0.0, 11), lepton(200, 2.0, -11)], [jet(300, 3.0)])


def write_chunk(directory, chunk, events, weight, gridpack=None):
    """An objects file as the cluster stage writes it and a generation record as the generate
    stage writes it, for one chunk of hand-built events."""
    objects = directory / f"chunk{chunk}.root"
    with uproot.recreate(objects) as out:
        out["objects"] = {
            "lepton": ak.Array([leptons for leptons, _ in events]),
            "jet": ak.Array([jets for _, jets in events]),
            "weight": np.full(len(events), weight),
        }
        out["metadata"] = "{}"
    record = directory / f"chunk{chunk}.json"
    inputs = {"gridpack": {"path": "gridpack.tar.gz", "sha256": gridpack}} if gridpack else {}
    record.write_text(
        json.dumps(
            {
                "sample": "s",
                "chunk": chunk,
                "generator": "madgraph" if gridpack else "pythia",
                "generator_version": "test",
                "n_events": len(events),
                "sigma_pb": SIGMA_PB,
                "sigma_err_pb": 0.0001,
                "settings": [],
                "inputs": inputs,
            }
        )
    )
    return str(objects), str(record)


def analyse(tmp_path, weight, gridpack=None):
    """Two chunks of two events; three of the four events pass the selection."""
    first = write_chunk(tmp_path, 0, [PASSING, ONE_JET], weight, gridpack)
    second = write_chunk(tmp_path, 1, [PASSING, PASSING], weight, gridpack)
    return analyse_sample(
        [first[0], second[0]],
        [first[1], second[1]],
        str(tmp_path / "analysis.json"),
        sample="s",
        process="lq",
        mass_gev=1000,
        selection=SELECTION,
        binning=BINNING,
        luminosity_fb=LUMINOSITY_FB,
    )


@pytest.fixture(params=["pythia", "madgraph"])
def record(request, tmp_path):
    """Pythia's LHE weights are 1; MadGraph's (event_norm average) are sigma in pb."""
    if request.param == "pythia":
        return analyse(tmp_path, 1.0)
    return analyse(tmp_path, SIGMA_PB, gridpack="abc")


def test_all_events_weigh_sigma_times_luminosity(record):
    first = record["cutflow"][0]
    assert first["step"] == "all" and first["raw"] == 4
    assert first["weighted"] == pytest.approx(556.0, rel=1e-12)  # 4 fb x 139 fb^-1
    assert first["weighted_err"] == pytest.approx(139.0 * math.sqrt(4), rel=1e-12)  # 139 per event
    assert record["event_weight_fb"] == pytest.approx(1.0, rel=1e-12)  # 4 fb / 4 events


def test_yield_is_sigma_luminosity_selected_over_generated(record):
    final = record["cutflow"][-1]
    assert final["raw"] == 3
    assert final["weighted"] == pytest.approx(556.0 * 3 / 4, rel=1e-12)


def test_histogram_integral_with_flow_bins_equals_the_yield(record):
    for observable in ("mlq_min", "mlq_max"):
        values = record["histograms"][observable]["values"]
        assert sum(values) == pytest.approx(417.0, rel=1e-12), observable
        assert sum(record["histograms"][observable]["variances"]) == pytest.approx(3 * 139.0**2, rel=1e-12)
