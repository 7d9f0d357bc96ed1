"""Backgrounds computed once: the wall time of a second study that takes its backgrounds from the
shared output cache, against the first study that filled it, and the second study's results
against an uncached run of the same study.

    python bench/cache_reuse.py [--generator pythia|madgraph] [--cores N]

Three runs of the default config in fresh directories, one after the other, each `snakemake
--cores N`: (1) the default study with an empty cache (`--cache`, SNAKEMAKE_OUTPUT_CACHE in a
scratch directory); (2) another signal (every mass point + 100 GeV) with the same backgrounds,
`--cache`; (3) the same study as (2) without the cache. Reported: the three wall times, (2) / (1),
how many outputs (2) took from the cache, and bench/compare_results.py on (2) against (3).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from common import REPO, arguments, save, study_config
from snakemake_run import copy_workflow


def run(workdir: Path, config: dict, cores: int, cache: Path | None) -> dict:
    """One study in ``workdir``: its wall time and how many outputs came from the cache."""
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    env = {k: v for k, v in os.environ.items() if k != "SNAKEMAKE_OUTPUT_CACHE"}
    args = []
    if cache is not None:
        env["SNAKEMAKE_OUTPUT_CACHE"] = str(cache)
        args = ["--cache"]
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", str(cores), *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"{workdir}: snakemake failed\n{result.stderr[-4000:]}")
    # a stored output is moved "to cache." and then linked "from cache." too
    taken = result.stderr.count("from cache.") - result.stderr.count("to cache.")
    return {"wall_s": round(wall, 1), "from_cache": taken, "stored": result.stderr.count("to cache.")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator", choices=["pythia", "madgraph"], default="pythia")
    parser.add_argument("--cores", type=int, default=2)
    args = arguments(parser)
    name = study_config(args.smoke)
    source = REPO / (f"tests/configs/{name}/config.yaml" if name else "config/config.yaml")
    first = yaml.safe_load(source.read_text())  # a smoke run: the tiny config (fewer events fit nothing)
    first["generator"] = args.generator
    second = yaml.safe_load(yaml.safe_dump(first))
    second["signal"]["masses_gev"] = [m + 100 for m in first["signal"]["masses_gev"]]
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        cache.mkdir()
        runs = {}
        for label, config, cached in (
            ("first", first, True),
            ("second", second, True),
            ("second_uncached", second, False),
        ):
            workdir = copy_workflow(REPO, Path(scratch) / label, config=None)
            runs[label] = run(workdir, config, args.cores, cache if cached else None)
            print(label, runs[label], flush=True)
        compared = subprocess.run(
            [
                sys.executable,
                str(REPO / "bench/compare_results.py"),
                f"{scratch}/second",
                f"{scratch}/second_uncached",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    save(
        "cache_reuse",
        {
            "generator": args.generator,
            "cores": args.cores,
            "signal_masses": {
                "first": first["signal"]["masses_gev"],
                "second": second["signal"]["masses_gev"],
            },
            **runs,
            "second_over_first": round(runs["second"]["wall_s"] / runs["first"]["wall_s"], 3),
            "identical_to_uncached": compared.returncode == 0,
            "compare_results": compared.stdout.strip().splitlines()[-3:],
        },
    )
    if compared.returncode != 0:
        raise SystemExit(compared.stdout[-3000:])


if __name__ == "__main__":
    main()
