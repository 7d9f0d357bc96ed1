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
from common import REPO, median, save
from snakemake_run import copy_workflow, snakemake

MASSES = list(range(500, 2500, 100))  # 20 points


def large_config(path: Path) -> dict:
    config = yaml.safe_load(path.read_text())
    config["signal"]["masses_gev"] = MASSES
    config["signal"]["events"] = 20 * config["chunk_size"]
    processes = config["backgrounds"]["processes"]
    for name in config["backgrounds"]["enabled"]:  # one unsliced sample per process
        processes[name] = {
            "events": 20 * config["chunk_size"],
            "decay_filter": processes[name].get("decay_filter"),
        }
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return config


def touch_outputs(workdir: Path, config: dict) -> int:
    """Create every output in DAG order (older inputs, newer outputs)."""
    samples = [f"lq_m{m}" for m in MASSES] + list(config["backgrounds"]["enabled"])
    stages = [
        [f"results/model/S1/param_card_M{m}.dat" for m in MASSES],
        [
            f"results/pythia/{s}/lhe/chunk{c}.{ext}"
            for s in samples
            for c in range(20)
            for ext in ("lhe.gz", "json")
        ],
        [f"results/pythia/{s}/shower/chunk{c}.root" for s in samples for c in range(20)],
        [f"results/pythia/{s}/objects/chunk{c}.root" for s in samples for c in range(20)],
        [f"results/pythia/{s}/analysis.json" for s in samples],
        [f"results/pythia/{s}/manifest.json" for s in samples]
        + [
            f"results/summary/{n}"
            for n in ("cross_sections.csv", "cutflow.csv", "yields.csv", "histograms.csv", "histograms.root")
        ]
        + [
            f"results/plots/{stem}.{ext}"
            for stem in [f"mlq_min_M{m}" for m in MASSES] + ["mlq_min_signal_shapes", "sigma_vs_mass"]
            for ext in ("png", "pdf")
        ],
    ]
    count = 0
    for stage in stages:
        for name in stage:
            path = workdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            count += 1
        time.sleep(0.05)  # strictly increasing mtimes between stages
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = copy_workflow(REPO, Path(scratch) / "large", config=None)
        config = large_config(workdir / "config/config.yaml")
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
        n_outputs = touch_outputs(workdir, config)
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
