from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from snakemake_run import copy_workflow, snakemake  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def tiny_run(repo, tmp_path_factory):
    """The whole DAG run once on tests/configs/tiny in a scratch copy: (workdir, result)."""
    workdir = copy_workflow(repo, tmp_path_factory.mktemp("tiny"))
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stderr[-5000:]
    return workdir, result
