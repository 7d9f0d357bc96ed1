"""Detector level and HepMC3 output end to end on the finished tiny run (tests/configs/tiny).

The detector-level results are made beside the particle-level ones without rerunning the
generation, shower or clustering; editing the card reruns only the detector stage and what
follows; HepMC3 files are written on request and switching them off reruns nothing.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from snakemake_run import clone_run, scheduled_jobs, snakemake

from bsmflow.shower.hepmc import read_hepmc

pytestmark = pytest.mark.e2e
SAMPLES = {
    "lq_m1000": 2,
    "dyjets_mhat800toinf": 2,
    "ttbar_mhat1100toinf": 2,
    "diboson_mhat0to800": 1,
    "diboson_mhat800toinf": 1,
}
AFTER_DETECTOR = {
    "detector_response": {f"{s}/{c}" for s, n in SAMPLES.items() for c in range(n)},
    "analyse_sample": set(SAMPLES),
    "sample_manifest": set(SAMPLES),
    "pyhf_inference": {"lq_m1000"},
    **{rule: {""} for rule in ("summary_tables", "summary_plots", "inference_summary", "all")},
}
DETECTOR = ("--config", "detector=atlas_like")


def run(workdir, *args):
    result = snakemake(workdir, "--cores", "2", *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def dry_run(workdir, *args):
    return scheduled_jobs(run(workdir, "-n", *args))


@pytest.fixture(scope="module")
def both_levels(tiny_run, tmp_path_factory):
    """The tiny run plus its detector level (atlas_like): (workdir, jobs the detector run scheduled,
    particle-level file times before it)."""
    workdir = clone_run(tiny_run[0], tmp_path_factory.mktemp("detector") / "run")
    before = {path: path.stat().st_mtime_ns for path in (workdir / "results").rglob("*") if path.is_file()}
    jobs = dry_run(workdir, *DETECTOR)
    run(workdir, *DETECTOR)
    return workdir, jobs, before


def test_detector_level_reuses_generation_shower_and_clustering(both_levels):
    _, jobs, _ = both_levels
    assert jobs == AFTER_DETECTOR


def test_both_levels_side_by_side_and_particle_level_untouched(both_levels):
    workdir, _, before = both_levels
    for path, mtime in before.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was rewritten by the detector-level run"
    detector = workdir / "results/detector/atlas_like"
    for name in (
        "summary/yields.csv",
        "summary/limits.csv",
        "summary/mass_limit.json",
        "plots/mlq_min_M1000.png",
    ):
        assert (detector / name).is_file() and (workdir / "results" / name).is_file()
    particle = pd.read_csv(workdir / "results/summary/yields.csv").set_index("sample")
    reconstructed = pd.read_csv(detector / "summary/yields.csv").set_index("sample")
    assert set(particle["level"]) == {"particle"} and set(reconstructed["level"]) == {"detector:atlas_like"}
    ratio = reconstructed.loc["lq_m1000", "yield"] / particle.loc["lq_m1000", "yield"]
    assert 0.7 < ratio < 0.95  # two electrons of ~0.9 efficiency each
    limits = pd.read_csv(detector / "summary/limits.csv")
    assert set(limits["level"]) == {"detector:atlas_like"}
    assert json.loads((detector / "summary/mass_limit.json").read_text())["level"] == "detector:atlas_like"
    manifest = json.loads((workdir / "results/pythia/lq_m1000/detector/atlas_like/manifest.json").read_text())
    assert manifest["level"] == "detector:atlas_like" and manifest["config"]["detector"] == "atlas_like"
    assert "config/detectors/atlas_like.yaml" in manifest["cards_sha256"]
    assert {"generate", "shower", "detector"} <= set(manifest["seeds"][0])


def test_editing_the_card_reruns_only_the_detector_stage_and_what_follows(both_levels, tmp_path):
    workdir = clone_run(both_levels[0], tmp_path / "edited")
    card = workdir / "config/detectors/atlas_like.yaml"
    card.write_text(card.read_text().replace("* 0.95", "* 0.96", 1))
    assert dry_run(workdir, *DETECTOR) == AFTER_DETECTOR
    assert "Nothing to be done" in run(workdir, "-n")  # particle level: unaffected


def test_a_missing_card_stops_before_any_job(both_levels, tmp_path):
    result = snakemake(both_levels[0], "-n", "--config", "detector=cms_like")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "detector = 'cms_like'" in output and "available: none, ['atlas_like']" in output, output[-2000:]


def test_hepmc_files_on_request_and_off_again_reruns_nothing(both_levels, tmp_path):
    workdir = clone_run(both_levels[0], tmp_path / "hepmc")
    study = workdir / "hepmc.yaml"
    study.write_text(yaml.safe_dump({"hepmc": {"write": True, "record": "final"}}))
    jobs = dry_run(workdir, "--configfile", str(study))
    assert jobs["pythia_shower"] == {f"{s}/{c}" for s, n in SAMPLES.items() for c in range(n)}
    assert "pythia_generate" not in jobs
    run(workdir, "--configfile", str(study))
    events = read_hepmc(str(workdir / "results/pythia/lq_m1000/hepmc/chunk0.final.hepmc3.gz"))
    assert len(events) == 150 and events[0].cross_section.xsec() > 0
    assert "Nothing to be done" in run(workdir, "-n")
