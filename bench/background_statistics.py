"""Effective statistics of the background where the signal is, and what they cost: the default
backgrounds against those of commit cb73955 (one unsliced sample of 6000 events per process with
the generator-level cuts of its cards, in its chunks of 1000 events), measured side by side in
one run.

    python bench/background_statistics.py [--baseline-commit cb73955] [--seed S] [--name N]
    python bench/background_statistics.py --pool bench/results/<run>.json ... --name <pooled>

Both sides run the workflow's background chains (Pythia path, 2 cores) up to the selected
events, with the same code and seed. N_eff = (sum w)^2 / sum w^2 of the total background in the
inference's fit region (config inference.fit_region); CPU = the summed CPU times the backgrounds'
generation, shower and clustering jobs record (``cpu_time_s``, each job's process from its start;
before the between-study cache these were the Snakemake benchmark files' wall times).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np
import yaml
from common import REPO, SMOKE_EVENTS, arguments, chain_cpu_seconds, save, shrink
from snakemake_run import copy_workflow

from bsmflow.plan.samples import samples


def baseline_cards(commit: str, target: Path) -> None:
    """config/cards of ``commit`` extracted to ``target`` (git archive)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "config/cards"], cwd=REPO, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def baseline_config(commit: str) -> dict:
    """config/config.yaml of ``commit``."""
    text = subprocess.run(
        ["git", "show", f"{commit}:config/config.yaml"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    return yaml.safe_load(text)


def run_side(workdir: Path, config: dict) -> dict:
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    backgrounds = [s for s in samples(config) if not s.is_signal]
    targets = [f"results/pythia/{s.name}/selected.root" for s in backgrounds]
    subprocess.run(
        [sys.executable, "-m", "snakemake", *targets, "--cores", "2", "--quiet"], cwd=workdir, check=True
    )
    region = config["inference"]["fit_region"]
    weights, cpu, by_process, by_sample = [], 0.0, {}, {}
    for sample in backgrounds:
        import uproot

        with uproot.open(workdir / f"results/pythia/{sample.name}/selected.root") as handle:
            events = handle["selected"].arrays(library="np")
        inside = (events["mlq_min"] >= region["min_gev"]) & (events["mlq_min"] < region["max_gev"])
        inside &= events["st"] > region["st_min"]
        weights.append(events["weight"][inside])
        seconds = chain_cpu_seconds(workdir, "pythia", sample.name)
        figures = {
            "mc_events": int(inside.sum()),
            "yield": float(events["weight"][inside].sum()),
            "sum_w2": float((events["weight"][inside] ** 2).sum()),
            "cpu_s": seconds,
        }
        by_sample[sample.name] = {"events": sample.events, **figures}
        entry = by_process.setdefault(sample.process, dict.fromkeys(figures, 0))
        for key, value in figures.items():
            entry[key] += value
        cpu += seconds
    w = np.concatenate(weights)
    return {
        "n_eff": float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0,
        "yield": float(w.sum()),
        "mc_events": int(len(w)),
        "generated_events": sum(s.events for s in backgrounds),
        "cpu_s": cpu,
        "by_process": by_process,
        "by_sample": by_sample,
    }


def pooled(results: list[dict]) -> dict:
    """Both sides over several runs (seeds): N_eff = mean(sum w)^2 / mean(sum w^2), the effective
    statistics of the expected variance. One run's N_eff swings with its rare events of large
    weight: a baseline whose ttbar (weight ~20 per event, ~2 region events expected) puts none in
    the region shows a large N_eff for a prediction that lacks ttbar altogether."""
    sides = {}
    for side in ("before", "after"):
        yields = np.array([r[side]["yield"] for r in results])
        sum_w2 = np.array([r[side]["yield"] ** 2 / r[side]["n_eff"] for r in results])
        sides[side] = {
            "mean_yield": float(yields.mean()),
            "mean_sum_w2": float(sum_w2.mean()),
            "n_eff": float(yields.mean() ** 2 / sum_w2.mean()),
            "mean_cpu_s": float(np.mean([r[side]["cpu_s"] for r in results])),
        }
    return {
        "seeds": [r["seed"] for r in results],
        "per_seed": [
            {"seed": r["seed"], "n_eff_ratio": r["n_eff_ratio"], "cpu_ratio": r["cpu_ratio"]} for r in results
        ],
        **sides,
        "n_eff_ratio": sides["after"]["n_eff"] / sides["before"]["n_eff"],
        "cpu_ratio": sides["after"]["mean_cpu_s"] / sides["before"]["mean_cpu_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-commit", help="default cb73955; HEAD in a smoke run (a shallow clone)")
    parser.add_argument("--seed", type=int, help="base seed of both sides (default: the config's)")
    parser.add_argument("--name", default="background_statistics", help="name of the result file")
    parser.add_argument("--pool", nargs="+", metavar="RESULT", help="pool earlier result files (no run)")
    args = arguments(parser)
    if args.pool:
        save(args.name, pooled([json.loads(Path(path).read_text()) for path in args.pool]))
        return
    default = yaml.safe_load((REPO / "config/config.yaml").read_text())
    default["generator"] = "pythia"
    if args.seed is not None:
        default["seed"] = args.seed
    if args.smoke:
        shrink(default)
    args.baseline_commit = args.baseline_commit or ("HEAD" if args.smoke else "cb73955")
    baseline = yaml.safe_load(yaml.safe_dump(default))
    baseline["cards_dir"] = "baseline/config/cards"
    # the baseline's own chunking (1000 events per job at cb73955): its jobs' start-up is part
    # of what its backgrounds cost
    baseline["chunk_size"] = baseline_config(args.baseline_commit)["chunk_size"]
    baseline_events = SMOKE_EVENTS if args.smoke else 6000
    baseline["backgrounds"] = {
        "enabled": ["dyjets", "ttbar", "diboson"],
        "processes": {name: {"events": baseline_events} for name in ("dyjets", "ttbar", "diboson")},
    }
    with tempfile.TemporaryDirectory() as scratch:
        before_dir = copy_workflow(REPO, Path(scratch) / "before", config=None)
        baseline_cards(args.baseline_commit, before_dir / "baseline")
        before = run_side(before_dir, baseline)
        after = run_side(copy_workflow(REPO, Path(scratch) / "after", config=None), default)
    result = {
        "baseline": f"commit {args.baseline_commit}: one sample of 6000 events per background",
        "seed": default["seed"],
        "fit_region": default["inference"]["fit_region"],
        "before": before,
        "after": after,
        # None when the baseline put no event in the region (a smoke run's few events)
        "n_eff_ratio": after["n_eff"] / before["n_eff"] if before["n_eff"] > 0 else None,
        "cpu_ratio": after["cpu_s"] / before["cpu_s"],
    }
    save(args.name, result)


if __name__ == "__main__":
    main()
