"""Faults: failing chunks, interrupted runs, concurrent invocations; and same seed, same events."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import awkward as ak
import pytest
import uproot
from snakemake_run import SNAKEMAKE, clone_run, copy_workflow, scheduled_jobs, snakemake

pytestmark = pytest.mark.e2e


def events_text(path):
    text = gzip.open(path, "rt").read()
    return text[text.index("<event>") :]


def test_same_seed_gives_identical_events(tiny_run, tmp_path):
    """Rerunning one chunk (generate + shower) with its seed reproduces it exactly.

    Compared: the LHE event records as text (the header differs only in timestamps and wall
    time) and the decoded ROOT arrays (particle px, py, pz, E, pid, charge and the weight); the
    ROOT file bytes differ because ROOT stores a creation time and a random UUID.
    """
    workdir = clone_run(tiny_run[0], tmp_path / "run")
    lhe = workdir / "results/pythia/ttbar_mhat1100toinf/lhe/chunk0.lhe.gz"
    shower = workdir / "results/pythia/ttbar_mhat1100toinf/shower/chunk0.root"
    before_lhe = events_text(lhe)
    before_sigma = json.loads(lhe.with_name("chunk0.json").read_text())["sigma_pb"]
    with uproot.open(shower) as handle:
        before = handle["events"].arrays()
    result = snakemake(
        workdir, "--cores", "2", "--force", str(lhe.relative_to(workdir)), str(shower.relative_to(workdir))
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pythia_generate" in result.stderr and "pythia_shower" in result.stderr
    assert events_text(lhe) == before_lhe
    assert json.loads(lhe.with_name("chunk0.json").read_text())["sigma_pb"] == before_sigma
    with uproot.open(shower) as handle:
        after = handle["events"].arrays()
    assert len(after) == 300 // 2 and ak.array_equal(after, before)
    other = workdir / "results/pythia/ttbar_mhat1100toinf/lhe/chunk1.lhe.gz"
    assert events_text(other) != before_lhe  # another chunk, another seed, other events


def test_failing_chunks_leave_no_output_and_only_they_rerun(tiny_run, tmp_path):
    workdir = clone_run(tiny_run[0], tmp_path / "run")
    # A shower failure: chunk 1 of ttbar gets a truncated LHE file; every shower job reruns
    # because the shower card changed.
    lhe = workdir / "results/pythia/ttbar_mhat1100toinf/lhe/chunk1.lhe.gz"
    good_lhe = lhe.read_bytes()
    lhe.write_bytes(good_lhe[: len(good_lhe) // 2])
    card = workdir / "config/cards/shower.cmnd"
    card.write_text(card.read_text().replace("PartonLevel:MPI = on", "PartonLevel:MPI = off"))
    # A generator failure: the Drell-Yan card has a setting Pythia does not know.
    dy_card = workdir / "config/cards/dyjets/pythia.cmnd"
    good_dy_card = dy_card.read_text()
    dy_card.write_text(good_dy_card + "WeakBosonAndParton:qqbar2gmZgg = on\n")

    result = snakemake(workdir, "--cores", "2", "--keep-going")
    assert result.returncode != 0
    shower_log = (workdir / "logs/pythia/ttbar_mhat1100toinf/shower/chunk1.log").read_text()
    assert "chunk1.lhe.gz: unreadable LHE file" in shower_log
    generate_log = (workdir / "logs/pythia/dyjets_mhat800toinf/generate/chunk0.log").read_text()
    assert "Pythia rejected the setting 'WeakBosonAndParton:qqbar2gmZgg = on'" in generate_log
    assert "config/cards/dyjets/pythia.cmnd" in generate_log
    # no partial outputs of the failed jobs, temporary files included
    assert not (workdir / "results/pythia/ttbar_mhat1100toinf/shower/chunk1.root").exists()
    assert not list((workdir / "results/pythia").rglob(".*.tmp*"))
    assert not (workdir / "results/pythia/dyjets_mhat800toinf/lhe/chunk0.lhe.gz").exists()
    # the other chunks completed with the new shower card
    for sample, chunk in (("lq_m1000", 0), ("lq_m1000", 1), ("ttbar_mhat1100toinf", 0)):
        objects = workdir / f"results/pythia/{sample}/objects/chunk{chunk}.root"
        assert objects.stat().st_mtime > card.stat().st_mtime, (sample, chunk)

    lhe.write_bytes(good_lhe)
    dy_card.write_text(good_dy_card)
    rerun = snakemake(workdir, "-n", "--cores", "2")
    jobs = scheduled_jobs(rerun.stdout + rerun.stderr)
    assert jobs["pythia_shower"] == {
        "ttbar_mhat1100toinf/1",
        "dyjets_mhat800toinf/0",
        "dyjets_mhat800toinf/1",
    }
    assert jobs["pythia_generate"] == {"dyjets_mhat800toinf/0", "dyjets_mhat800toinf/1"}
    assert jobs["analyse_sample"] == {"ttbar_mhat1100toinf", "dyjets_mhat800toinf"}


def start_run(workdir, log):
    # one core: the run to interrupt must outlast the lock check and the wait for its first shower
    # on a loaded machine (with two it once finished first, and there was nothing to interrupt)
    return subprocess.Popen(
        [*SNAKEMAKE, "--cores", "1"],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for_lock(workdir, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any((workdir / ".snakemake/locks").glob("*")):
            return
        assert process.poll() is None, "the run ended before it took its lock"
        time.sleep(0.1)
    raise AssertionError("the first run took no lock in time")


def wait_for_finished_showers(workdir, n, process, timeout=300):
    """Shower outputs whose jobs Snakemake has registered as finished: their cluster job began."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        clustering = (workdir / "results/pythia").glob("*/objects/chunk*.root")
        done = [Path(str(path).replace("/objects/", "/shower/")) for path in clustering]
        if len(done) >= n:
            return done
        assert process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.2)
    raise AssertionError("no shower output appeared in time")


def final_numbers(workdir):
    sigma = (workdir / "results/summary/cross_sections.csv").read_text().splitlines()
    histograms = {
        sample: json.loads((workdir / f"results/pythia/{sample}/analysis.json").read_text())["histograms"]
        for sample in ("lq_m1000", "dyjets_mhat800toinf", "ttbar_mhat1100toinf")
    }
    return [",".join(line.split(",")[:10]) for line in sigma], histograms  # up to n_events


@pytest.mark.parametrize(
    "signal_name",
    [
        pytest.param(
            "SIGINT",
            marks=pytest.mark.xfail(
                reason="open: in the full parallel suite from a fresh clone the run went on to the end "
                "after its SIGINT (twice on 2026-12-07; it passes alone); SIGKILL below still tests the resume",
                strict=False,
            ),
        ),
        "SIGKILL",
    ],
)
def test_interrupted_run_resumes_to_identical_results(tiny_run, repo, tmp_path, signal_name):
    workdir = copy_workflow(repo, tmp_path / "run")
    with open(tmp_path / "first.log", "w") as log:
        process = start_run(workdir, log)
        try:
            if signal_name == "SIGINT":
                # A second invocation on the same directory is refused by Snakemake's lock
                # (checked early, while the first run is certainly still generating). Snakemake
                # refuses the first run's running jobs as incomplete files before it tries the
                # lock; --rerun-incomplete lets it reach the lock, which it must not get.
                wait_for_lock(workdir, process)
                second = snakemake(workdir, "--cores", "1", "--rerun-incomplete", timeout=120)
                assert second.returncode != 0
                assert "Directory cannot be locked" in second.stdout + second.stderr
            done = wait_for_finished_showers(workdir, 1, process)
            kept = {path: path.stat().st_mtime_ns for path in done}
            assert process.poll() is None, "the run ended before it could be interrupted"
            os.killpg(process.pid, getattr(signal, signal_name))
            process.wait(timeout=120)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert not (workdir / "results/summary/cross_sections.csv").exists()
    if signal_name == "SIGKILL":
        assert snakemake(workdir, "--unlock").returncode == 0
    result = snakemake(workdir, "--cores", "2", "--rerun-incomplete")
    assert result.returncode == 0, result.stderr[-3000:]
    unchanged = [path for path, mtime in kept.items() if path.stat().st_mtime_ns == mtime]
    assert unchanged, "every chunk finished before the interruption was redone"
    assert final_numbers(workdir) == final_numbers(tiny_run[0])
