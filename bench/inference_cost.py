"""The inference stage's CPU time against the default scan's, measured in one run.

    python bench/inference_cost.py

Runs the default config in a scratch copy twice with `snakemake --cores 2`: first everything but
the inference (`--omit-from pyhf_inference`), then the rest (the inference jobs only), and compares
the CPU time (user + system) of each run's processes. Goal: inference < 5 % of the scan.
Also records the expected limits and the mass limit of that run. About 7 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, arguments, save, study_config
from snakemake_run import SNAKEMAKE, copy_workflow


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(workdir: Path, *args: str) -> float:
    before = cpu_seconds()
    done = subprocess.run([*SNAKEMAKE, "--cores", "2", *args], cwd=workdir, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return cpu_seconds() - before


def main() -> None:
    config = study_config(arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0])).smoke)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = copy_workflow(REPO, Path(scratch) / "run", config=config)
        scan = run(workdir, "--omit-from", "pyhf_inference")
        inference = run(workdir)
        limits = (workdir / "results/summary/limits.csv").read_text()
        mass_limit = json.loads((workdir / "results/summary/mass_limit.json").read_text())
    save(
        "inference_cost",
        {
            "what": "CPU time of the inference jobs (workspace, limits, summary, plots) vs the scan",
            "scan_cpu_s": round(scan, 1),
            "inference_cpu_s": round(inference, 1),
            "ratio": round(inference / scan, 4),
            "goal": "ratio < 0.05",
            "limits_csv": limits,
            "expected_mass_limit_gev": mass_limit["expected_mass_limit_gev"],
            "band": mass_limit["expected_mass_limit_band_gev"],
        },
    )


if __name__ == "__main__":
    main()
