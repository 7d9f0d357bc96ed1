"""The real DAG (Pythia, FastJet, Snakemake) on a tiny config in a scratch copy of the workflow."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from reference import assert_reference_cross_section
from snakemake_run import copy_workflow, snakemake

from bsmflow.generate.scale_weights import SCALE_IDS
from bsmflow.shower.pythia import SHOWER_VARIATIONS


@pytest.mark.e2e
def test_outputs_exist_and_generator_is_recorded(tiny_run):
    workdir, result = tiny_run
    assert "generator: pythia requested" in result.stderr
    summary = workdir / "results/summary"
    for name in ("cross_sections.csv", "cutflow.csv", "yields.csv", "histograms.csv", "histograms.root"):
        assert (summary / name).stat().st_size > 0, name
    for stem in ("mlq_min_M1000", "mlq_min_signal_shapes", "sigma_vs_mass"):
        for ext in ("png", "pdf"):
            assert (workdir / f"results/plots/{stem}.{ext}").stat().st_size > 1000
    table = pd.read_csv(summary / "cross_sections.csv")
    assert list(table.columns) == [
        "sample",
        "process",
        "mass_gev",
        "slice_variable",
        "slice_min_gev",
        "slice_max_gev",
        "generator",
        "sigma_pb",
        "sigma_err_pb",
        "n_events",
        "generator_version",
        "bsmflow_version",
        "level",
    ]
    assert set(table["level"]) == {"particle"}  # the default: particle level
    assert set(table["generator"]) == {"pythia"}
    assert table.set_index("sample")["n_events"].to_dict() == {
        "lq_m1000": 300,
        "dyjets_mhat800toinf": 300,
        "ttbar_mhat1100toinf": 300,
        "diboson_mhat0to800": 150,
        "diboson_mhat800toinf": 150,
    }
    sliced = table[table["process"] == "diboson"]
    assert sliced[["slice_variable", "slice_min_gev", "slice_max_gev"]].astype(object).where(
        sliced.notna(), None
    ).values.tolist() == [["mhat", 0.0, 800.0], ["mhat", 800.0, None]]
    assert len(list((workdir / "results/pythia/lq_m1000/lhe").glob("chunk*.lhe.gz"))) == 2


@pytest.mark.e2e
def test_cross_sections_are_in_the_right_range(tiny_run):
    workdir, _ = tiny_run
    table = pd.read_csv(workdir / "results/summary/cross_sections.csv").set_index("sample")
    # each within 3 sigma_stat + 3 % of the recorded high-statistics reference (tests/data)
    for sample in (
        "lq_m1000",
        "dyjets_mhat800toinf",
        "ttbar_mhat1100toinf",
        "diboson_mhat0to800",
        "diboson_mhat800toinf",
    ):
        assert_reference_cross_section("pythia", sample, *table.loc[sample, ["sigma_pb", "sigma_err_pb"]])
    # LO with NNPDF2.3 LO and mu^2 = mT1 mT2 lies above the PDF4LHC15 LO value 3.712 fb at mu = M
    # (docs/physics.md)
    assert table.loc["lq_m1000", "sigma_pb"] > 3.712e-3


@pytest.mark.e2e
def test_signal_mlq_min_peaks_near_the_generated_mass(tiny_run):
    workdir, _ = tiny_run
    record = json.loads((workdir / "results/pythia/lq_m1000/analysis.json").read_text())
    histogram = record["histograms"]["mlq_min"]
    values = np.array(histogram["values"][1:-1])
    edges = np.array(histogram["edges"])
    peak = edges[np.argmax(values)] + 25
    assert 900 < peak < 1050
    selected = record["cutflow"][-1]["raw"]
    assert selected > 0.7 * 300  # two isolated electrons and two jets in most signal events
    # histogram integral (incl. flow) = weighted events after the selection
    assert sum(histogram["values"]) == pytest.approx(record["cutflow"][-1]["weighted"], rel=1e-9)


@pytest.mark.e2e
def test_histogram_file_has_one_th1_per_sample(tiny_run):
    import uproot

    workdir, _ = tiny_run
    with uproot.open(workdir / "results/summary/histograms.root") as handle:
        names = {key.split(";")[0] for key in handle.keys()}
        samples = (
            "lq_m1000",
            "dyjets_mhat800toinf",
            "ttbar_mhat1100toinf",
            "diboson_mhat0to800",
            "diboson_mhat800toinf",
            "diboson",
        )
        nominal = {f"{o}_{s}" for o in ("mlq_min", "mlq_max") for s in samples}
        assert {name for name in names if "__" not in name} == nominal
        # every variation of every sample (7 scale points, 4 shower weights), m_LQ^min only
        assert {name for name in names if "__" in name} == {
            f"mlq_min_{s}__{v}" for s in samples for v in (*SCALE_IDS, *SHOWER_VARIATIONS)
        }
        nominal_point = handle["mlq_min_lq_m1000__muR_1_muF_1"].values(flow=True)
        assert nominal_point == pytest.approx(handle["mlq_min_lq_m1000"].values(flow=True), rel=1e-12)
        # the stitched diboson is the sum of its slices
        stitched = handle["mlq_min_diboson"].values(flow=True)
        parts = [handle[f"mlq_min_diboson_mhat{s}"].values(flow=True) for s in ("0to800", "800toinf")]
        assert stitched == pytest.approx(parts[0] + parts[1], rel=1e-12)
        assert handle["mlq_min_lq_m1000"].classname == "TH1D"
        assert len(handle["mlq_min_lq_m1000"].values()) == 60


@pytest.mark.e2e
def test_rerun_with_nothing_changed_runs_nothing(tiny_run):
    workdir, _ = tiny_run
    result = snakemake(workdir, "-n", "--cores", "2")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


@pytest.mark.e2e
def test_bad_config_stops_before_any_job(repo, tmp_path):
    workdir = copy_workflow(repo, tmp_path)
    result = snakemake(workdir, "--cores", "1", "--config", "chunk_size=0")
    assert result.returncode != 0
    assert "chunk_size = 0: 0 is less than the minimum of 1" in result.stderr
    assert not (workdir / "results").exists()


def test_snakemake_lint_passes(repo):
    result = snakemake(repo, "--lint", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.e2e
def test_html_report_includes_plots_and_tables(tiny_run):
    workdir, _ = tiny_run
    result = snakemake(workdir, "--report", "report.html", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (workdir / "report.html").read_text(errors="replace")
    for name in ("mlq_min_M1000.png", "sigma_vs_mass.png", "cross_sections.csv", "cutflow.csv"):
        assert name in html


@pytest.mark.e2e
def test_every_sample_has_a_manifest_of_what_shaped_it(tiny_run):
    import hashlib

    workdir, _ = tiny_run
    manifest = json.loads((workdir / "results/pythia/lq_m1000/manifest.json").read_text())
    assert manifest["sample"] == "lq_m1000" and manifest["mass_gev"] == 1000
    assert manifest["generator"] == "pythia" and manifest["generator_choice"] == "generator: pythia requested"
    assert manifest["config"]["model"]["yukawa"][0][0] == 0.1 and manifest["config"]["events"] == 300
    assert manifest["config"]["selection"]["mll_min"] == 130.0
    for card, digest in manifest["cards_sha256"].items():
        assert hashlib.sha256((workdir / card).read_bytes()).hexdigest() == digest
    assert set(manifest["cards_sha256"]) == {
        "config/cards/lq/pythia.cmnd",
        "config/cards/shower.cmnd",
        "results/model/S1/param_card_M1000.dat",
    }
    seeds = [value for chunk in manifest["seeds"] for key, value in chunk.items() if key != "chunk"]
    assert len(manifest["seeds"]) == 2 and len(set(seeds)) == 4
    versions = manifest["versions"]
    assert versions["generator"] == ["Pythia 8.317"] and versions["fastjet"][0].startswith("3.")
    assert {"pythia8mc", "fastjet", "snakemake", "bsmflow"} <= set(versions["manifest_environment"])
    assert manifest["workflow_commit"] == "unknown (not a git checkout)"  # the scratch copy
    assert manifest["n_events"] == 300 and manifest["started"] <= manifest["finished"]
    background = json.loads((workdir / "results/pythia/ttbar_mhat1100toinf/manifest.json").read_text())
    assert "model" not in background["config"]


def test_workflow_commit_of_a_git_checkout(repo):
    import re

    from bsmflow.provenance import workflow_commit

    assert re.fullmatch(r"[0-9a-f]{40}(\+dirty)?", workflow_commit(repo))


@pytest.mark.e2e
def test_inference_outputs_limits_and_plots(tiny_run):
    import pyhf

    workdir, _ = tiny_run
    table = pd.read_csv(workdir / "results/summary/limits.csv")
    assert list(table.columns) == [
        "mass_gev",
        "sigma_theory_fb",
        "sigma_theory_err_fb",
        "expected_limit_fb",
        "expected_m2_fb",
        "expected_m1_fb",
        "expected_p1_fb",
        "expected_p2_fb",
        "cls_expected_mu1",
        "z0_expected",
        "calculator",
        "level",
    ]
    row = table.iloc[0]
    assert row["mass_gev"] == 1000 and row["sigma_theory_fb"] == pytest.approx(6.83)  # NNLO+NNLL x BR 1
    band = [
        row[c]
        for c in ("expected_m2_fb", "expected_m1_fb", "expected_limit_fb", "expected_p1_fb", "expected_p2_fb")
    ]
    # the tiny backgrounds are a handful of MC events (one ttbar event of weight ~400 can land in
    # the region, with a 100 % MC error): the +2 sigma curve may stay above CLs = 0.05 until the
    # fits stop converging, which is reported as no limit (NaN), as documented
    finite = [value for value in band if not np.isnan(value)]
    assert finite == sorted(finite) and 0 < finite[0] and len(finite) >= 4 and not np.isnan(band[2])
    summary = json.loads((workdir / "results/summary/mass_limit.json").read_text())
    # one mass point: a bound (excluded or not, which the tiny backgrounds decide), never an
    # extrapolation
    assert summary["expected_mass_limit_gev"] is None
    excluded = band[2] < row["sigma_theory_fb"]
    assert summary["expected_mass_limit_bound"] == ("> 1000" if excluded else "< 1000")
    assert summary["normalisation"] == "reference" and summary["luminosity_fb"] == 139
    workspace = json.loads((workdir / "results/inference/lq_m1000/workspace.json").read_text())
    pyhf.schema.validate(workspace, "workspace.json")
    metadata = json.loads((workdir / "results/inference/lq_m1000/workspace_metadata.json").read_text())
    assert metadata["k_factor"] == pytest.approx(6.83 / metadata["generated_sigma_fb"], rel=1e-9)
    for stem in ("limits_brazil", "fit_M1000"):
        for ext in ("png", "pdf"):
            assert (workdir / f"results/plots/{stem}.{ext}").stat().st_size > 1000


def test_variations_reach_yields_workspace_and_records(tiny_run):
    """The default variations (scale and shower; no PDF set) in every output that takes them."""
    workdir, _ = tiny_run
    yields = pd.read_csv(workdir / "results/summary/yields.csv").set_index("sample")
    signal = yields.loc["lq_m1000"]
    assert (
        signal["yield_scale_down"] < 0.8 * signal["yield"] < signal["yield"] * 1.2 < signal["yield_scale_up"]
    )
    for group in ("isr", "fsr"):
        assert 0.5 * signal["yield"] < signal[f"yield_{group}_down"] < 1.5 * signal["yield"]
    assert signal[["yield_pdf_down", "yield_pdf_up"]].isna().all()
    assert signal["pdf_note"].startswith("PDF uncertainty not evaluated (variations.pdf: null")
    assert signal["yield_theory_down"] <= signal["yield_scale_down"]
    workspace = json.loads((workdir / "results/inference/lq_m1000/workspace.json").read_text())
    modifiers = {
        (sample["name"], m["name"], m["type"])
        for sample in workspace["channels"][0]["samples"]
        for m in sample["modifiers"]
    }
    # reference-normalised signal: its scale variation is shape only (one fitted bin here: nothing)
    assert not any(name == "scale_signal" and kind == "normsys" for _, name, kind in modifiers)
    assert ("signal", "fsr", "normsys") in modifiers and ("signal", "isr", "histosys") in modifiers
    # a sample with fewer than inference.variation_min_mc_events (10) effective MC events in the
    # fit region keeps no variation modifier, and is listed (the tiny backgrounds have a handful)
    metadata = json.loads((workdir / "results/inference/lq_m1000/workspace_metadata.json").read_text())
    for name, entries in metadata["background_mc_events_per_bin"].items():
        assert metadata["effective_mc_events"][name] <= sum(entries) + 1e-6
        starved = metadata["effective_mc_events"][name] < 10
        assert (name in metadata["variations_skipped"]) == starved
        assert starved == (not any(sample == name and m in ("isr", "fsr") for sample, m, _ in modifiers))
    record = json.loads((workdir / "results/pythia/lq_m1000/lhe/chunk0.json").read_text())
    assert record["variations"]["ids"] == list(SCALE_IDS) and record["variations"]["alpha_s_powers"] == [2]
    assert record["variations"]["method"].startswith("bsmflow, from each event's x1, x2, ids, Q_ren, Q_fac")
    manifest = json.loads((workdir / "results/pythia/lq_m1000/manifest.json").read_text())
    assert manifest["config"]["variations"] == {"scale": True, "shower": True, "pdf": None, "pdf_path": None}
    assert manifest["variations"]["lhe_weights"] == list(SCALE_IDS)
    assert manifest["variations"]["lhe_weights_computed_by"] == [record["variations"]["method"]]
    assert manifest["variations"]["shower_weights"] == list(SHOWER_VARIATIONS)
