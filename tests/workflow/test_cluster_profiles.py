"""Cluster profiles: the tiny workflow on a real SLURM cluster (slurm-wlm on localhost) with
profiles/slurm, and a dry-run through the HTCondor executor with profiles/htcondor."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from slurm_cluster import LocalCluster, ensure_installed
from snakemake_run import SNAKEMAKE, copy_workflow, planned_jobs, scheduled_jobs, snakemake

from bsmflow.provenance import CACHED_RULES

# Test-only settings, kept out of the user-facing profile: no slurmdbd here, so job states
# come from squeue; a short first status check keeps the test fast.
TEST_OPTIONS = [
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "2",
    "--jobs",
    "4",
]
SUBMITTED = re.compile(r"Job \d+ has been submitted with SLURM jobid (\d+)")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = ensure_installed()
    if reason:
        pytest.skip(reason)
    local = LocalCluster(tmp_path_factory.mktemp("slurm"))
    try:
        env = local.start()
        yield local, env
    finally:
        local.stop()


def run_on_slurm(workdir, env, *args, timeout=900):
    command = [*SNAKEMAKE, "--workflow-profile", "profiles/slurm", *TEST_OPTIONS, *args]
    return subprocess.run(
        command, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def workflow_copy(repo, target):
    workdir = copy_workflow(repo, target)
    shutil.copytree(repo / "profiles", workdir / "profiles")
    return workdir


@pytest.fixture(scope="module")
def first_study(cluster, repo, tmp_path_factory):
    """The tiny workflow on SLURM, its outputs stored in a shared output cache (--cache)."""
    local, env = cluster
    cache = tmp_path_factory.mktemp("shared_cache")
    env = env | {"SNAKEMAKE_OUTPUT_CACHE": str(cache)}
    workdir = workflow_copy(repo, tmp_path_factory.mktemp("first") / "run")
    total = planned_jobs(workdir)
    result = run_on_slurm(workdir, env, "--cache", *CACHED_RULES)
    return workdir, result, total, cache, env


@pytest.mark.slurm
def test_tiny_workflow_runs_every_job_as_a_slurm_job(cluster, first_study):
    local, _ = cluster
    workdir, result, total, _, _ = first_study
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert (workdir / "results/summary/cross_sections.csv").exists()
    assert (workdir / "results/plots/mlq_min_M1000.png").exists()
    slurm_ids = SUBMITTED.findall(log)
    assert len(slurm_ids) == total - 1  # every job but the local target rule `all`
    controller = local.log()
    for job_id in slurm_ids:
        assert re.search(rf"_job_complete: JobId={job_id} WEXITSTATUS 0", controller), job_id


@pytest.mark.slurm
def test_a_second_study_on_slurm_takes_its_backgrounds_from_the_shared_cache(first_study, repo, tmp_path):
    """Another signal, the same backgrounds: every background output is a link into the cache the
    first study's SLURM jobs filled, and no background job computed anything (their logs stay
    empty). A cached job is still a (seconds-long) SLURM job: Snakemake links the files in the job,
    as it stores them there. The cached rules are named after --cache: a bare --cache does not
    reach the jobs on the cluster."""
    _, first, _, cache, env = first_study
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(list(cache.iterdir())) > 30
    workdir = workflow_copy(repo, tmp_path / "second")
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("masses_gev: [1000]", "masses_gev: [1300]"))
    result = run_on_slurm(workdir, env, "--cache", *CACHED_RULES)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    for sample in ("dyjets_mhat800toinf", "ttbar_mhat1100toinf", "diboson_mhat0to800"):
        outputs = [
            p
            for part in ("lhe", "shower", "objects")
            for p in (workdir / "results/pythia" / sample / part).iterdir()
        ]
        assert outputs and all(p.is_symlink() and p.resolve().parent == cache for p in outputs), sample
        for stage in ("generate", "shower", "cluster"):
            logs = list((workdir / "logs/pythia" / sample / stage).iterdir())
            assert logs and all(entry.stat().st_size == 0 for entry in logs), logs
    assert (workdir / "logs/pythia/lq_m1300/generate/chunk0.log").stat().st_size > 0
    assert (workdir / "results/summary/limits.csv").is_file()


@pytest.mark.slurm
def test_failing_job_is_reported_while_the_others_complete(cluster, repo, tmp_path):
    _, env = cluster
    workdir = workflow_copy(repo, tmp_path / "run")
    card = workdir / "config/cards/dyjets/pythia.cmnd"
    card.write_text(card.read_text() + "WeakBosonAndParton:qqbar2gmZgg = on\n")
    targets = [
        "results/pythia/dyjets_mhat800toinf/lhe/chunk0.lhe.gz",
        "results/pythia/ttbar_mhat1100toinf/lhe/chunk0.lhe.gz",
    ]
    result = run_on_slurm(workdir, env, *targets, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"Error in rule pythia_generate", log) and "dyjets" in log
    assert (workdir / targets[1]).exists()
    assert not (workdir / targets[0]).exists()
    assert (
        "Pythia rejected the setting"
        in (workdir / "logs/pythia/dyjets_mhat800toinf/generate/chunk0.log").read_text()
    )


@pytest.fixture(scope="module")
def htcondor_path(repo):
    """The pinned HTCondor plugin and bindings (requirements-htcondor.txt, what `make env-htcondor`
    adds) installed into a private directory, cached per file content: only the snakemake calls
    that get it on PYTHONPATH load them."""
    pins = (repo / "requirements-htcondor.txt").read_bytes()
    target = Path.home() / ".cache/bsmflow" / f"htcondor-{hashlib.sha256(pins).hexdigest()[:12]}"
    if not (target / ".installed").exists():
        shutil.rmtree(target, ignore_errors=True)
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
        done = subprocess.run(
            [*command, "-r", str(repo / "requirements-htcondor.txt")], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        (target / ".installed").touch()
    return target


@pytest.mark.e2e
def test_htcondor_profile_plans_the_whole_workflow(repo, tmp_path, htcondor_path):
    """Dry-run through the HTCondor executor plugin with the project's profile (no schedd is
    needed to plan; submitting needs an access point, see docs/clusters.md)."""
    workdir = workflow_copy(repo, tmp_path / "run")
    env = dict(os.environ, PYTHONPATH=str(htcondor_path))
    command = [*SNAKEMAKE, "--workflow-profile", "profiles/htcondor", "-n"]
    result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    # the profile's plugin options (htcondor-jobdir) parse only when the pinned plugin is
    # installed; the plan is exactly the plain dry-run's
    plain = snakemake(workdir, "-n", timeout=300)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert scheduled_jobs(log) == scheduled_jobs(plain.stdout + plain.stderr)
    assert len(scheduled_jobs(log)["pythia_shower"]) == 8  # 3 samples x 2 chunks + 2 one-chunk slices


@pytest.mark.e2e
def test_plain_runs_do_not_load_the_htcondor_bindings(repo, tmp_path):
    """Without the HTCondor extra, snakemake prints no CONDOR_CONFIG warning (the bindings warn
    on import when no condor_config exists, as on a laptop)."""
    workdir = workflow_copy(repo, tmp_path / "run")
    result = snakemake(workdir, "-n", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "CONDOR_CONFIG" not in result.stdout + result.stderr


def test_every_rule_has_resources_in_both_cluster_profiles(repo):
    """A rule added without a resource entry would run with the defaults on a cluster: a
    gridpack killed at 15 minutes. Every rule (but the local target `all`) is sized in both."""
    import yaml

    rules = {
        match
        for path in (repo / "rules").glob("*.smk")
        for match in re.findall(r"^rule (\w+):", path.read_text(), re.MULTILINE)
    }
    assert {"madgraph_gridpack", "detector_response", "pyhf_inference", "djr_check"} <= rules
    for profile in ("slurm", "htcondor"):
        sized = set(yaml.safe_load((repo / f"profiles/{profile}/config.yaml").read_text())["set-resources"])
        assert rules - sized == set(), (profile, sorted(rules - sized))
        assert sized - rules == set(), (profile, sorted(sized - rules))
