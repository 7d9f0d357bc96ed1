"""Run the workflow in a scratch copy of the repository (shared by the end-to-end tests)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

SNAKEMAKE = [sys.executable, "-m", "snakemake"]
COPIED = ["workflow", "rules", "scripts", "config", "src", "environment.yml"]


def snakemake(workdir: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SNAKEMAKE, *args], cwd=workdir, capture_output=True, text=True, timeout=timeout, check=False
    )


def planned_jobs(workdir: Path, *args: str) -> int:
    """How many jobs a dry-run of the workflow in ``workdir`` plans (the `total` of its job table)."""
    plan = snakemake(workdir, "-n", "--quiet", "rules", *args, timeout=300)
    assert plan.returncode == 0, plan.stderr[-3000:]
    return next(int(line.split()[-1]) for line in plan.stdout.splitlines() if line.startswith("total"))


def copy_workflow(repo: Path, target: Path, config: str | None = "tiny") -> Path:
    """The workflow's files in ``target`` with tests/configs/<config>/config.yaml as the config
    (``None``: the default config/config.yaml)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    if config is not None:
        shutil.copy(repo / f"tests/configs/{config}/config.yaml", target / "config/config.yaml")
    return target


def clone_run(workdir: Path, target: Path) -> Path:
    """A copy of a finished run (files, results, Snakemake's metadata, mtimes preserved)."""
    shutil.copytree(workdir, target, symlinks=True)
    return target


JOB = re.compile(r"^(?:local)?rule (\w+):\n(?:    .*\n)*?    wildcards: (.*)$", re.MULTILINE)
ANY_JOB = re.compile(r"^(?:local)?rule (\w+):$", re.MULTILINE)


def scheduled_jobs(output: str) -> dict[str, set[str]]:
    """Rule -> set of 'sample/chunk' (or 'mass', or '' without wildcards) from a dry-run."""
    jobs: dict[str, set[str]] = {rule: set() for rule in ANY_JOB.findall(output)}
    for block in re.split(r"\n(?=\[|(?:local)?rule )", output):
        header = ANY_JOB.search(block)
        if not header:
            continue
        wildcards = re.search(r"^    wildcards: (.*)$", block, re.MULTILINE)
        label = ""
        if wildcards:
            values = dict(item.split("=", 1) for item in wildcards.group(1).split(", "))
            label = "/".join(values[k] for k in ("sample", "chunk", "mass") if k in values)
        jobs[header.group(1)].add(label)
    return jobs
