"""Apptainer images: definition files, a container for every rule, and the wiring of
`--sdm apptainer` checked end to end with a stand-in `apptainer`.

Apptainer cannot be installed on the project's machines (not in Debian bookworm, not on PyPI),
so the end-to-end test puts a TEST DOUBLE named `apptainer` first on PATH: it answers
`--version` and runs the payload of `apptainer exec` on the host, recording each call. It proves
Snakemake's wiring (images, binds, working directory), not the images themselves.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
import yaml
from snakemake_run import SNAKEMAKE, copy_workflow, planned_jobs

STAND_IN = textwrap.dedent(
    """\
    #!{python}
    # TEST DOUBLE for apptainer: prints a version, runs `exec` payloads on the host.
    import json, os, sys
    args = sys.argv[1:]
    if args == ["--version"]:
        print("apptainer version 1.3.4")
        sys.exit(0)
    while args and args[0] in ("--quiet", "--silent"):
        args = args[1:]
    assert args[0] == "exec", args
    args, options = args[1:], {{"bind": []}}
    while args[0].startswith("--"):
        name, value, args = args[0][2:], args[1], args[2:]
        options["bind"].append(value) if name == "bind" else options.__setitem__(name, value)
    image, shell, flag, command = args[0], args[1], args[2], args[3]
    with open(os.environ["APPTAINER_STAND_IN_LOG"], "a") as log:
        log.write(json.dumps({{"image": image, "shell": shell, "cwd": os.getcwd(), **options}}) + "\\n")
    os.chdir(options.get("pwd", os.getcwd()))
    os.execvp(shell, [shell, flag, command])
    """
)


def install_stand_in(workdir, tmp_path, config):
    """Placeholder image files where the config points and the TEST DOUBLE `apptainer` in
    tmp_path/bin; returns that directory."""
    for image in set(config["containers"].values()):
        (workdir / image).parent.mkdir(parents=True, exist_ok=True)
        (workdir / image).write_bytes(b"placeholder image for the apptainer test double\n")
    stand_in = tmp_path / "bin" / "apptainer"
    stand_in.parent.mkdir()
    stand_in.write_text(STAND_IN.format(python=sys.executable))
    stand_in.chmod(0o755)
    return stand_in.parent


def rules_and_containers(repo):
    found = {}
    for smk in sorted((repo / "rules").glob("*.smk")):
        for block in re.split(r"\n(?=rule )", smk.read_text()):
            name = re.match(r"rule (\w+):", block)
            if name:
                container = re.search(r"    container:\n\s+(.+)\n", block)
                found[name.group(1)] = container.group(1) if container else None
    return found


def test_every_rule_declares_a_container_from_the_config_mapping(repo):
    found = rules_and_containers(repo)
    assert {"model_ufo", "model_param_card", "pythia_generate", "pythia_shower", "fastjet_cluster"} <= set(
        found
    )
    for rule, container in found.items():
        assert container and container.startswith("STUDY.container("), rule
    config = yaml.safe_load((repo / "config/config.yaml").read_text())
    for stage, image in config["containers"].items():
        assert re.search(r"_\d+\.\d+\.\d+(-\d+\.\d+\.\d+)?\.sif$", image), (stage, image)  # versioned names


def test_definition_files_parse_and_carry_what_the_stages_need(repo):
    from spython.main.parse.parsers import SingularityParser

    hep = list(SingularityParser(str(repo / "containers/bsmflow-hep.def")).recipe.values())[0]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", hep.fromHeader)  # pinned base image
    assert any(line.startswith("src ") for line in hep.files)
    install = "\n".join(hep.install)
    assert (
        "-r /opt/bsmflow/requirements.txt" in install
        and "pip install --no-cache-dir --no-deps /opt/bsmflow" in install
    )
    test_section = (repo / "containers/bsmflow-hep.def").read_text().split("%test", 1)[1]
    assert (
        "import pythia8mc, fastjet, uproot, awkward, vector, hist, pylhe, pyhepmc, mplhep, bsmflow"
        in test_section
    )
    madgraph = list(SingularityParser(str(repo / "containers/bsmflow-madgraph.def")).recipe.values())[0]
    install = "\n".join(madgraph.install)
    assert "gfortran" in install and "MG5_aMC_v3.5.7" in install and "auto_update = 0" in install
    assert any("3.5.7" in label for label in madgraph.labels)


@pytest.mark.e2e
def test_tiny_workflow_runs_through_apptainer_wiring(repo, tmp_path):
    workdir = copy_workflow(repo, tmp_path / "run")
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    bin_dir = install_stand_in(workdir, tmp_path, config)
    calls = tmp_path / "apptainer_calls.jsonl"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "APPTAINER_STAND_IN_LOG": str(calls),
    }
    result = subprocess.run(
        [*SNAKEMAKE, "--cores", "2", "--sdm", "apptainer"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    records = [json.loads(line) for line in calls.read_text().splitlines()]
    total = planned_jobs(workdir, "--forceall")
    assert len(records) == total - 1  # every job but the local target rule `all`
    images = set(config["containers"].values())
    for record in records:
        assert record["image"] in images  # paths relative to the working directory, as configured
        assert record["home"] == str(workdir) and record["cwd"] == str(workdir)
        for bind in record["bind"]:
            host = bind.split(":")[0]
            assert os.path.exists(host), bind
    assert (workdir / "results/summary/cross_sections.csv").exists()


def test_madgraph_from_the_container_when_none_is_installed(repo, tmp_path):
    """generator auto without a local MadGraph: with --sdm apptainer the MadGraph rules are
    planned with the image's mg5_aMC (dry-run through the TEST DOUBLE apptainer); without
    containers auto falls back to Pythia and says why."""
    workdir = copy_workflow(repo, tmp_path / "run")
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    config["generator"] = "auto"
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config))
    bin_dir = install_stand_in(workdir, tmp_path, config)
    env = {key: value for key, value in os.environ.items() if key != "MG5_AMC"}
    env["PATH"] = f"{bin_dir}:{os.path.dirname(sys.executable)}:/usr/bin:/bin"
    env["APPTAINER_STAND_IN_LOG"] = str(tmp_path / "calls.jsonl")

    def plan(*args):
        done = subprocess.run(
            [*SNAKEMAKE, "-n", *args],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout + done.stderr

    inside = plan("--sdm", "apptainer")
    image = config["containers"]["madgraph"]
    assert f"generator: auto found MadGraph /opt/madgraph/bin/mg5_aMC in the image {image}" in inside
    assert "madgraph_gridpack" in inside and "pythia_generate" not in inside
    outside = plan()
    assert "generator: auto -> pythia (no MadGraph found" in outside and "madgraph_gridpack" not in outside
