"""Every benchmark in bench/ still runs: each in its smoke mode (tiny inputs, seconds to a minute),
its result written to a scratch directory. The figures of a smoke run mean nothing; what is
tested is that the bench's code works against today's package and workflow, so that a bench
that rots fails make test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from snakemake_run import clone_run, snakemake

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"

# bench -> the keys its result must hold
SMOKE = {
    "shower_throughput": ["ratio_median", "bare_events_per_s"],
    "reconstruction_throughput": ["ratio_median", "cluster_events_per_s"],
    "snakemake_overhead": ["dry_run_median_s", "noop_median_s"],
    "peak_memory": ["peak_rss_mb"],
    "variation_cost": ["throughput_ratio_median"],
    "detector_cost": [],
    "core_scaling": ["ratio"],
    "inference_cost": ["ratio", "expected_mass_limit_gev"],
    "background_statistics": ["n_eff_ratio", "cpu_ratio"],
    "background_completeness": ["checks"],
    "cache_reuse": ["second_over_first", "identical_to_uncached"],
}


def run_bench(name: str, *args: str, results: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = os.environ | {"BENCH_RESULTS": str(results)}
    done = subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{name}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def test_every_bench_has_a_smoke_test():
    benches = {path.stem for path in BENCH.glob("*.py")} - {"common"}
    covered = set(SMOKE) | {
        "madgraph_gridpack",
        "gridpack_bias",
        "generator_statistics",
        "job_resources",
        "detector_levels",
        "compare_results",
        "reference_cross_sections",
        "planted_bugs",
        "mutation_score",
    }
    assert benches == covered, f"benches without a smoke test: {sorted(benches - covered)}"


@pytest.mark.parametrize("name", SMOKE)
def test_bench_runs_in_smoke_mode(name, tmp_path):
    run_bench(name, "--smoke", results=tmp_path)
    result = json.loads((tmp_path / f"{name}.json").read_text())
    assert all(key in result for key in SMOKE[name]), sorted(result)


def test_reference_cross_sections_smoke_leaves_the_recorded_table_alone(tmp_path):
    table = REPO / "tests/data/reference_cross_sections.json"
    before = table.read_text()
    run_bench("reference_cross_sections", "config/config.yaml", "--smoke", results=tmp_path)
    assert table.read_text() == before
    written = json.loads((tmp_path / "reference_cross_sections.json").read_text())
    assert written["pythia"]["lq_m1000"]["n_events"] == 20


def test_planted_bugs_are_still_plantable_and_the_first_is_caught(tmp_path):
    done = run_bench("planted_bugs", "--smoke", results=tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("caught: ") and len(lines) >= 4
    assert all(line.startswith("planted (not tested, --smoke): ") for line in lines[1:])


def test_mutation_score_reads_a_listing(tmp_path):
    listing = tmp_path / "listing.txt"
    killed = [f"    bsmflow.analyse.selection.x_select__mutmut_{i}: killed" for i in range(9)]
    listing.write_text(
        "\n".join([*killed, "    bsmflow.analyse.selection.x_pair__mutmut_1: survived"]) + "\n"
    )
    done = run_bench("mutation_score", "--listing", str(listing), results=tmp_path)
    assert "score: 9/10 = 90.0%" in done.stdout and "x_pair (survived)" in done.stdout


def test_compare_results_finds_a_run_identical_to_its_copy_and_a_changed_one_different(tiny_run, tmp_path):
    workdir, _ = tiny_run
    copy = clone_run(workdir, tmp_path / "copy")
    done = run_bench("compare_results", str(workdir), str(copy), results=tmp_path)
    assert "identical" in done.stdout
    yields = copy / "results/summary/yields.csv"
    yields.write_text(yields.read_text().replace("lq_m1000", "lq_m1001", 1))
    changed = subprocess.run(
        [sys.executable, str(BENCH / "compare_results.py"), str(workdir), str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert changed.returncode == 1


def test_detector_levels_on_a_tiny_run_at_both_levels(tiny_run, tmp_path):
    workdir, _ = tiny_run
    run = clone_run(workdir, tmp_path / "levels")
    detector = snakemake(run, "--cores", "2", "--config", "detector=atlas_like")
    assert detector.returncode == 0, detector.stderr[-3000:]
    run_bench("detector_levels", str(run), results=tmp_path)
    assert "mass_gev" in json.loads((tmp_path / "detector_levels.json").read_text())["rows"][0]


@pytest.mark.madgraph
def test_madgraph_gridpack_bench_in_smoke_mode(mg5, tmp_path):
    run_bench("madgraph_gridpack", "--smoke", results=tmp_path, timeout=1800)
    assert json.loads((tmp_path / "madgraph_gridpack.json").read_text())["k"] == 2


@pytest.mark.madgraph
def test_gridpack_bias_on_a_tiny_madgraph_run(mg5, repo, tmp_path):
    from snakemake_run import copy_workflow

    workdir = copy_workflow(repo, tmp_path / "mg", config="tiny_madgraph")
    sample = "ttbar_mhat1100to1500"
    done = snakemake(workdir, "--cores", "2", f"results/madgraph/{sample}/lhe/chunk0.lhe.gz", timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    run_bench("gridpack_bias", str(workdir), sample, "--events", "100", results=tmp_path, timeout=1800)
    assert (tmp_path / "gridpack_bias.json").is_file()


def test_job_resources_of_a_tiny_run(tiny_run, tmp_path):
    workdir, _ = tiny_run
    run_bench("job_resources", str(workdir), "--smoke", results=tmp_path)
    rules = json.loads((tmp_path / "job_resources_smoke.json").read_text())["rules"]
    assert {"pythia_generate", "pythia_shower", "fastjet_cluster", "pyhf_inference"} <= set(rules)
    assert all(entry["jobs"] > 0 and entry["max_rss_mb"] > 0 for entry in rules.values())


@pytest.mark.madgraph
def test_generator_statistics_in_smoke_mode(mg5, tmp_path):
    run_bench("generator_statistics", "--smoke", results=tmp_path, timeout=1800)
    record = json.loads((tmp_path / "generator_statistics_smoke.json").read_text())
    assert record["madgraph"]["integration_cpu_s"] > 0 and record["pythia"]["integration_cpu_s"] == 0
