"""The images, built and used for real: containers/bsmflow-hep.def turned into a root filesystem
by the STAND-IN image builder (tests/container_standin.py: debootstrap for the base image,
%files, %post in a chroot, %environment, %test), and the tiny workflow run with
`snakemake --sdm apptainer` through the STAND-IN `apptainer` (bubblewrap), every job inside
that root filesystem with only the binds Snakemake asks for. Apptainer itself cannot be
installed here; these stand-ins are named as such everywhere.

The built root filesystem is cached per hash of the definition and its %files (under
~/.cache/bsmflow/standin-images): the first run on a machine builds it (about 75 s for the
debootstrap base, 95 s for %post), later runs reuse it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import container_standin as standin
import pytest
import yaml
from snakemake_run import SNAKEMAKE, copy_workflow, planned_jobs

pytestmark = pytest.mark.container
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))


@pytest.fixture(scope="module")
def tools():
    reason = standin.missing_tools()
    if reason:
        pytest.skip(f"stand-in image builder unavailable: {reason}")


@pytest.fixture(scope="module")
def hep_image(tools):
    """The root filesystem of containers/bsmflow-hep.def (built once per definition hash)."""
    return standin.build(REPO / "containers/bsmflow-hep.def", REPO)


def small_definition(tmp_path: Path, post: str, test: str = "") -> Path:
    path = tmp_path / "small.def"
    path.write_text(
        "Bootstrap: docker\nFrom: python:3.11.7-slim-bookworm\n\n%files\n    note.txt /opt/note.txt\n\n"
        f"%post\n    {post}\n\n%environment\n    export GREETING=hello\n\n%test\n    {test or 'true'}\n"
    )
    (tmp_path / "note.txt").write_text(f"{tmp_path}\n")
    return path


def test_the_builder_runs_every_section_of_a_definition(tools, tmp_path):
    definition = small_definition(tmp_path, "cp /opt/note.txt /opt/copied.txt", 'test "$GREETING" = hello')
    image = standin.build(definition, tmp_path, images=tmp_path / "images")
    rootfs = image / "rootfs"
    assert (rootfs / "opt/copied.txt").read_text() == f"{tmp_path}\n"  # %files, then %post
    assert "GREETING=hello" in (rootfs / standin.ENVIRONMENT_FILE).read_text()
    record = json.loads((image / "build.json").read_text())
    assert record["stand_in_for"] == "python:3.11.7-slim-bookworm" and "%test" in record["log"][-1]
    built = (image / "build.json").stat().st_mtime_ns
    assert standin.build(definition, tmp_path, images=tmp_path / "images") == image  # cached, not rebuilt
    assert (image / "build.json").stat().st_mtime_ns == built


def test_a_failing_post_step_fails_the_build_and_leaves_nothing(tools, tmp_path):
    definition = small_definition(tmp_path, "echo first step\n    false\n    echo never")
    with pytest.raises(standin.BuildError, match=r"%post failed \(exit 1\)"):
        standin.build(definition, tmp_path, images=tmp_path / "images")
    assert not list((tmp_path / "images").iterdir())  # nothing half-built is kept


def test_a_package_missing_from_the_image_fails_its_test_section(tools, tmp_path):
    definition = small_definition(tmp_path, "true", 'python -c "import pythia8mc"')
    with pytest.raises(standin.BuildError, match=r"%test failed[\s\S]*No module named 'pythia8mc'"):
        standin.build(definition, tmp_path, images=tmp_path / "images")


def test_the_hep_image_has_the_stack_and_sees_only_what_is_bound(hep_image, tmp_path):
    rootfs = hep_image / "rootfs"
    done = standin.exec_in(
        rootfs, ["python", "-c", "import sys, bsmflow, pyhepmc; print(sys.version)"], binds=[], capture=True
    )
    assert done.returncode == 0 and done.stdout.startswith("3.11."), done.stderr
    host_file = tmp_path / "data.txt"
    host_file.write_text("on the host\n")
    unbound = standin.exec_in(rootfs, ["cat", str(host_file)], binds=[], capture=True)
    assert unbound.returncode != 0 and "No such file or directory" in unbound.stderr
    bound = standin.exec_in(rootfs, ["cat", str(host_file)], binds=[f"{tmp_path}:{tmp_path}"], capture=True)
    assert bound.returncode == 0 and bound.stdout == "on the host\n"
    host_python = standin.exec_in(rootfs, [sys.executable, "-c", "print(1)"], binds=[], capture=True)
    assert host_python.returncode != 0  # the host's Python (and its packages) is not in the image


def run_in_image(workdir: Path, tmp_path: Path, image: Path, *args: str) -> subprocess.CompletedProcess:
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    for path in set(config["containers"].values()):
        standin.write_image_pointer(workdir / path, image)
    bin_dir = tmp_path / "bin"
    standin.install_apptainer(bin_dir)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "APPTAINER_STAND_IN_LOG": str(tmp_path / "calls.jsonl"),
    }
    return subprocess.run(
        [*SNAKEMAKE, "--cores", "2", "--sdm", "apptainer", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.mark.e2e
def test_tiny_workflow_inside_the_image_gives_the_results_of_the_run_without(hep_image, tiny_run, tmp_path):
    from compare_results import compare

    workdir = copy_workflow(REPO, tmp_path / "run")
    result = run_in_image(workdir, tmp_path, hep_image)
    assert result.returncode == 0, result.stderr[-5000:]
    calls = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    total = planned_jobs(workdir, "--forceall")
    assert len(calls) == total - 1  # every job but the local target rule `all`
    assert {call["rootfs"] for call in calls} == {str(hep_image / "rootfs")}
    assert all(call["home"] == str(workdir) for call in calls)
    assert compare(tiny_run[0], workdir) == []  # same seeds, same events, histograms and tables


@pytest.mark.e2e
def test_a_job_reading_a_path_snakemake_did_not_bind_fails(hep_image, tmp_path):
    outside = tmp_path / "outside" / "S1_leptoquark.yaml"  # a model file outside the working directory
    outside.parent.mkdir()
    outside.write_text((REPO / "config/models/S1_leptoquark.yaml").read_text())
    workdir = copy_workflow(REPO, tmp_path / "run")
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    config["model"]["file"] = str(outside)
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    result = run_in_image(workdir, tmp_path, hep_image, "--until", "model_ufo")
    assert result.returncode != 0
    log = (
        (workdir / "logs/model/S1/ufo.log").read_text()
        if (workdir / "logs/model/S1/ufo.log").exists()
        else ""
    )
    assert str(outside) in result.stderr + log and "No such file or directory" in result.stderr + log


def test_the_madgraph_image_builds_without_its_download(tools):
    """Everything of containers/bsmflow-madgraph.def but the MadGraph download (its release page
    is not reachable here): the compilers, the Python stack, bsmflow and its %environment."""
    unreachable = ("launchpad.net", "/opt/madgraph", "mg5.tar.gz")
    image = standin.build(REPO / "containers/bsmflow-madgraph.def", REPO, skip_post=unreachable)
    record = json.loads((image / "build.json").read_text())
    assert len(record["skipped_lines"]) == 6  # %post: download, unpack, clean, auto_update; %test: 2
    compilers = standin.exec_in(
        image / "rootfs",
        ["sh", "-c", "gfortran --version && g++ --version && echo $MG5_AMC"],
        binds=[],
        capture=True,
    )
    assert compilers.returncode == 0, compilers.stderr
    assert "GNU Fortran" in compilers.stdout and compilers.stdout.strip().endswith(
        "/opt/madgraph/bin/mg5_aMC"
    )
