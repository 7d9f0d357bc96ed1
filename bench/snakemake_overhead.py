"""Benchmark 4: Snakemake's own cost on a large scan (20 mass points x 4 processes x 20 chunks).

Dry-run from scratch (the whole DAG built and printed) and the no-op rerun (every output
present and up to date: 'Nothing to be done'). The outputs of the no-op case are empty files
created in DAG order, so only Snakemake's bookkeeping is timed. Goals: < 10 s and < 5 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from common import REPO, arguments, median, save
from snakemake_run import copy_workflow, snakemake

MASSES = list(range(500, 2500, 100))  # 20 points
CHUNKS = 20


def large_config(path: Path) -> None:
    config = yaml.safe_load(path.read_text())
    config["signal"]["masses_gev"] = MASSES
    config["signal"]["events"] = CHUNKS * config["chunk_size"]
    processes = config["backgrounds"]["processes"]
    for name in config["backgrounds"]["enabled"]:  # one unsliced sample per process
        processes[name] = {
            "events": CHUNKS * config["chunk_size"],
            "decay_filter": processes[name].get("decay_filter"),
        }
    path.write_text(yaml.safe_dump(config, sort_keys=False))


# the rules in DAG order: every output is touched after the outputs of the rules before it
RULE_ORDER = [
    "model_sm_ufo",
    "model_ufo",
    "model_param_card",
    "madgraph_process",
    "madgraph_gridpack",
    "pythia_generate",
    "madgraph_generate",
    "pythia_shower",
    "fastjet_cluster",
    "detector_response",
    "analyse_sample",
    "sample_manifest",
    "summary_tables",
    "summary_plots",
    "pyhf_inference",
    "inference_summary",
    "djr_check",
]
DIRECTORY_RULES = {"model_sm_ufo", "model_ufo"}


def touch_outputs(workdir: Path) -> int:
    """Create every output the workflow plans (its --summary) in DAG order: older inputs, newer
    outputs. The list comes from the workflow itself, so it follows any new rule or output."""
    summary = snakemake(workdir, "--summary", "--cores", "1")
    assert summary.returncode == 0, summary.stderr[-2000:]
    rows = [line.split("\t") for line in summary.stdout.splitlines()[1:] if "\t" in line]
    by_rule: dict[str, list[str]] = {}
    for row in rows:
        by_rule.setdefault(row[2], []).append(row[0])
    unknown = sorted(set(by_rule) - set(RULE_ORDER))
    assert not unknown, f"rules missing from RULE_ORDER: {unknown}"
    count = 0
    for rule in RULE_ORDER:
        for name in by_rule.get(rule, []):
            path = workdir / name
            if rule in DIRECTORY_RULES or name.endswith("/cards"):
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            count += 1
        time.sleep(0.05)  # strictly increasing mtimes between stages
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=3)
    args = arguments(parser)
    if args.smoke:  # 2 masses x 2 chunks, once
        global MASSES, CHUNKS
        MASSES, CHUNKS, args.repetitions = MASSES[:2], 2, 1
    with tempfile.TemporaryDirectory() as scratch:
        workdir = copy_workflow(REPO, Path(scratch) / "large", config=None)
        large_config(workdir / "config/config.yaml")
        dry, noop = [], []
        for _ in range(args.repetitions):
            start = time.perf_counter()
            result = snakemake(workdir, "-n", "--cores", "2", "--quiet", "rules")
            dry.append(time.perf_counter() - start)
            assert result.returncode == 0, result.stderr[-2000:]
        n_jobs = next(
            int(line.split()[-1])
            for line in result.stdout.splitlines()
            if line.split() and line.split()[0] == "total"
        )
        n_outputs = touch_outputs(workdir)
        for _ in range(args.repetitions):
            start = time.perf_counter()
            result = snakemake(workdir, "--cores", "2")
            noop.append(time.perf_counter() - start)
            assert "Nothing to be done" in result.stdout + result.stderr, result.stderr[-2000:]
    save(
        "snakemake_overhead",
        {
            "what": "snakemake dry-run from scratch and no-op rerun, 20 masses x 4 processes x 20 chunks",
            "jobs_in_dag": n_jobs,
            "outputs": n_outputs,
            "dry_run_s": [round(t, 2) for t in dry],
            "noop_s": [round(t, 2) for t in noop],
            "dry_run_median_s": round(median(dry), 2),
            "noop_median_s": round(median(noop), 2),
            "goals": "dry-run < 10 s, no-op < 5 s",
        },
    )


if __name__ == "__main__":
    main()
