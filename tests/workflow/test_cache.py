"""Backgrounds computed once: two studies of the tiny config with different signals share one
Snakemake output cache (`--cache`, SNAKEMAKE_OUTPUT_CACHE). The second study runs no background
job (every output of its background chains is the first study's, taken from the cache) and its
results are identical to an uncached run of the same study (bench/compare_results.py)."""

import os
import subprocess
import sys

import pytest
from snakemake_run import copy_workflow, snakemake

BACKGROUNDS = ["dyjets_mhat800toinf", "ttbar_mhat1100toinf", "diboson_mhat0to800", "diboson_mhat800toinf"]


def other_signal(repo, target):
    """The tiny study with a 1.3 TeV leptoquark instead of 1 TeV: the same backgrounds."""
    workdir = copy_workflow(repo, target)
    config = workdir / "config/config.yaml"
    text = config.read_text()
    assert "masses_gev: [1000]" in text
    config.write_text(text.replace("masses_gev: [1000]", "masses_gev: [1300]"))
    return workdir


def background_outputs(workdir, sample):
    base = workdir / "results/pythia" / sample
    return [p for part in ("lhe", "shower", "objects") for p in (base / part).iterdir()] + [
        base / "analysis.json",
        base / "selected.root",
    ]


@pytest.mark.e2e
def test_a_second_study_takes_every_background_output_from_the_cache(repo, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("SNAKEMAKE_OUTPUT_CACHE", str(cache))
    first = snakemake(copy_workflow(repo, tmp_path / "first"), "--cores", "2", "--cache")
    assert first.returncode == 0, first.stderr[-4000:]
    stored = len(list(cache.iterdir()))
    assert stored > 30

    second_dir = other_signal(repo, tmp_path / "second")
    second = snakemake(second_dir, "--cores", "2", "--cache")
    assert second.returncode == 0, second.stderr[-4000:]
    for sample in BACKGROUNDS:
        for output in background_outputs(second_dir, sample):
            assert output.is_symlink() and output.resolve().parent == cache, output
        for stage in ("generate", "shower", "cluster"):
            # Snakemake creates the log files; a job that ran would have written to them
            logs = list((second_dir / "logs/pythia" / sample / stage).iterdir())
            assert logs and all(log.stat().st_size == 0 for log in logs), logs
    signal_lhe = second_dir / "results/pythia/lq_m1300/lhe/chunk0.lhe.gz"
    assert (
        signal_lhe.is_symlink() and (second_dir / "logs/pythia/lq_m1300/generate/chunk0.log").stat().st_size
    )
    assert (second_dir / "results/summary/limits.csv").is_file()

    monkeypatch.delenv("SNAKEMAKE_OUTPUT_CACHE")
    uncached_dir = other_signal(repo, tmp_path / "uncached")
    uncached = snakemake(uncached_dir, "--cores", "2")
    assert uncached.returncode == 0, uncached.stderr[-4000:]
    assert not (uncached_dir / "results/pythia/ttbar_mhat1100toinf/lhe/chunk0.lhe.gz").is_symlink()
    compared = subprocess.run(
        [sys.executable, str(repo / "bench/compare_results.py"), str(second_dir), str(uncached_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo / "bench")},
        check=False,
    )
    assert compared.returncode == 0, compared.stdout[-3000:] + compared.stderr[-3000:]
    assert "identical" in compared.stdout


def test_a_code_change_gives_new_cache_entries(repo, tmp_path):
    """The digest of a stage's code is a param of its rules: an edit of the shower's code gives its
    jobs and those after it new cache keys (and reruns them), not the generation's."""
    import shutil

    from bsmflow.provenance import code_digest

    package = shutil.copytree(repo / "src/bsmflow", tmp_path / "bsmflow")
    before = {stage: code_digest(stage, package) for stage in ("generate", "shower", "analyse")}
    assert before["generate"] == code_digest("generate")
    with open(package / "shower/spec.py", "a") as module:
        module.write("\n# an edit\n")
    after = {stage: code_digest(stage, package) for stage in before}
    assert after["generate"] == before["generate"]
    assert after["shower"] != before["shower"] and after["analyse"] != before["analyse"]


def test_the_cached_rules_are_named_once(repo):
    """The rules with a cache: directive, bsmflow.provenance.CACHED_RULES and the Makefile's list
    (what make run passes after --cache) are the same set."""
    import re

    from bsmflow.provenance import CACHED_RULES

    declared = {
        match.group(1)
        for path in (repo / "rules").glob("*.smk")
        for match in re.finditer(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", path.read_text(), re.S | re.M)
        if "cache: CACHE_OUTPUTS" in match.group(2)
    }
    makefile = re.search(r"^CACHED_RULES = (.*)$", (repo / "Makefile").read_text(), re.M).group(1).split()
    assert declared == set(CACHED_RULES) == set(makefile)
