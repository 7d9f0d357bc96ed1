"""Benchmark 3: wall time of the default scan with --cores 1 divided by --cores 2.

Both runs start from a fresh copy of the workflow with the default config (nothing cached),
one after the other on the same machine. Goal >= 1.8.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import REPO, arguments, save, study_config
from snakemake_run import copy_workflow, snakemake


def wall_time(cores: int, scratch: Path, config: str | None) -> float:
    workdir = copy_workflow(REPO, scratch / f"cores{cores}", config=config)
    start = time.perf_counter()
    result = snakemake(workdir, "--cores", str(cores), timeout=7200)
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-3000:]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    config = study_config(arguments(parser).smoke)
    with tempfile.TemporaryDirectory() as scratch:
        two = wall_time(2, Path(scratch), config)
        one = wall_time(1, Path(scratch), config)
    save(
        "core_scaling",
        {
            "what": "wall time of the default scan, --cores 1 / --cores 2 (fresh copies)",
            "cores_1_s": round(one, 1),
            "cores_2_s": round(two, 1),
            "ratio": round(one / two, 3),
            "goal": ">= 1.8",
        },
    )


if __name__ == "__main__":
    main()
