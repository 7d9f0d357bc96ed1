from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from snakemake_run import copy_workflow, snakemake

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


@pytest.fixture(scope="session")
def mg5():
    """A MadGraph installation from MG5_AMC or mg5_aMC on PATH (tests marked `madgraph`); skips
    with the reason when there is none or it is unusable (too old, auto-update on)."""
    from bsmflow.generate.checks import find_madgraph
    from bsmflow.generate.mg5 import MadGraphError, installation

    found = find_madgraph(None)
    if found is None:
        pytest.skip("MadGraph not found: set MG5_AMC to bin/mg5_aMC or put mg5_aMC on PATH")
    try:
        return installation(found)
    except MadGraphError as error:
        pytest.skip(f"MadGraph at {found} unusable: {error}")
