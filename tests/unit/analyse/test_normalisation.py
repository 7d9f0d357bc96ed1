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
SELECTION = {"jet_lepton_overlap_dr": 0.4, "n_leptons": 2, "min_jets": 2, "mll_min": 130.0, "st_min": 600.0}
BINNING = {"min_gev": 0.0, "max_gev": 3000.0, "width_gev": 50.0}


def lepton(pt, phi, pid):
    return {"pt": pt, "eta": 0.0, "phi": phi, "mass": 0.0, "pid": pid, "charge": -math.copysign(1, pid)}


def jet(pt, phi):
    return {"pt": pt, "eta": 0.0, "phi": phi, "mass": 0.0}


PASSING = ([lepton(300, 0.0, 11), lepton(200, 2.0, -11)], [jet(300, 3.0), jet(250, -1.5)])
ONE_JET = ([lepton(300, 0.0, 11), lepton(200, 2.0, -11)], [jet(300, 3.0)])
LOW_ST = ([lepton(100, 0.0, 13), lepton(100, 2.5, -13)], [jet(100, 1.2), jet(100, -1.5)])  # S_T = 400


def write_chunk(directory, chunk, events, weight, gridpack=None, n_events=None):
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
                "n_events": len(events) if n_events is None else n_events,
                "sigma_pb": SIGMA_PB,
                "sigma_err_pb": 0.0001,
                "settings": ["PhaseSpace:mHatMin = 800.", f"Random:seed = {chunk + 7}"],
                "inputs": inputs,
            }
        )
    )
    return str(objects), str(record)


def analyse(tmp_path, weight, gridpack=None, claimed=None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    """Two chunks, of two and three events; three of the five events pass the selection (one
    fails the jet count, one only the S_T cut)."""
    first = write_chunk(tmp_path, 0, [PASSING, ONE_JET], weight, gridpack)
    second = write_chunk(tmp_path, 1, [PASSING, PASSING, LOW_ST], weight, gridpack, claimed)
    return analyse_sample(
        [first[0], second[0]],
        [first[1], second[1]],
        str(tmp_path / "analysis.json"),
        str(tmp_path / "selected.root"),
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
    assert first["step"] == "all" and first["raw"] == 5
    assert first["weighted"] == pytest.approx(556.0, rel=1e-12)  # 4 fb x 139 fb^-1
    assert first["weighted_err"] == pytest.approx(111.2 * math.sqrt(5), rel=1e-12)  # 111.2 per event
    assert record["event_weight_fb"] == pytest.approx(0.8, rel=1e-12)  # 4 fb / 5 events


def test_yield_is_sigma_luminosity_selected_over_generated(record):
    steps = [(step["step"], step["raw"]) for step in record["cutflow"]]
    assert steps == [
        ("all", 5),
        ("2_leptons", 5),
        ("same_flavour", 5),
        ("min_2_jets", 4),
        ("mll_gt_130", 4),
        ("st_gt_600", 3),
    ]
    assert record["cutflow"][-1]["weighted"] == pytest.approx(556.0 * 3 / 5, rel=1e-12)
    assert record["cutflow"][3]["weighted"] == pytest.approx(556.0 * 4 / 5, rel=1e-12)


def test_histogram_integral_with_flow_bins_equals_the_yield(record):
    for observable in ("mlq_min", "mlq_max"):
        histogram = record["histograms"][observable]
        assert len(histogram["edges"]) == 61 and histogram["edges"][:2] == [0.0, 50.0]
        assert len(histogram["values"]) == 62  # 60 bins, underflow and overflow
        assert sum(histogram["values"]) == pytest.approx(333.6, rel=1e-12), observable
        assert sum(histogram["variances"]) == pytest.approx(3 * 111.2**2, rel=1e-12)
    # the passing event pairs (l1 j2, l2 j1): m = sqrt(2 pT pT' (1 - cos dphi)) = 373.3 and 234.9
    # GeV (|diff| 138 GeV against 158 GeV for (l1 j1, l2 j2)); all three selected events are it
    m_min = math.sqrt(2 * 200 * 300 * (1 - math.cos(1.0)))
    m_max = math.sqrt(2 * 300 * 250 * (1 - math.cos(1.5)))
    for observable, mass in (("mlq_min", m_min), ("mlq_max", m_max)):
        values = record["histograms"][observable]["values"]
        filled = 1 + int(mass // 50)  # index 0 is the underflow
        assert values[filled] == pytest.approx(333.6, rel=1e-12), observable


def test_record_describes_the_sample(record, tmp_path):
    assert {key: record[key] for key in ("sample", "process", "mass_gev", "n_events", "n_chunks")} == {
        "sample": "s",
        "process": "lq",
        "mass_gev": 1000,
        "n_events": 5,
        "n_chunks": 2,
    }
    assert record["generator"] in ("pythia", "madgraph") and record["generator_version"] == "test"
    assert record["sigma_pb"] == SIGMA_PB and record["luminosity_fb"] == LUMINOSITY_FB
    assert record["generator_settings"] == ["PhaseSpace:mHatMin = 800."]  # seeds differ per chunk
    assert record["selection"] == SELECTION
    assert record["stage"] == "analyse"
    assert sorted(record["inputs"]) == ["generation_0", "generation_1", "objects_0", "objects_1"]
    assert json.loads((tmp_path / "analysis.json").read_text()) == record


def test_pythia_chunk_errors_combine_and_madgraph_shares_its_integration(tmp_path):
    pythia = analyse(tmp_path / "p", 1.0)
    madgraph = analyse(tmp_path / "m", SIGMA_PB, gridpack="abc")
    assert pythia["sigma_err_pb"] == pytest.approx(math.hypot(2e-4, 3e-4) / 5, rel=1e-12)
    assert madgraph["sigma_err_pb"] == 0.0001
    assert (pythia["generator"], madgraph["generator"]) == ("pythia", "madgraph")


def test_events_missing_from_the_object_files_are_an_error(tmp_path):
    with pytest.raises(
        ValueError, match="s: the object files come from 5 LHE events, the generator records 6"
    ):
        analyse(tmp_path, 1.0, claimed=4)
    assert not (tmp_path / "analysis.json").exists()


def test_selected_events_file_holds_every_selected_event_with_its_weight(record, tmp_path):
    with uproot.open(tmp_path / "selected.root") as handle:
        events = handle["selected"].arrays(library="np")
    assert sorted(events) == ["mlq_max", "mlq_min", "st", "weight"]
    assert events["weight"].tolist() == pytest.approx([111.2] * 3, rel=1e-12)
    assert events["st"].tolist() == [1050.0] * 3
    assert events["mlq_min"].tolist() == pytest.approx([math.sqrt(2 * 200 * 300 * (1 - math.cos(1.0)))] * 3)
    assert events["mlq_max"].tolist() == pytest.approx([math.sqrt(2 * 300 * 250 * (1 - math.cos(1.5)))] * 3)
