"""Golden files of the rendered MadGraph command files (no MadGraph needed): what the process
and gridpack jobs feed to mg5_aMC for every shipped card. Regenerate after an intended change
with BSMFLOW_UPDATE_GOLDEN=1 (which rewrites them and fails on purpose), review the diff, then
run again without it."""

import os

import pytest

from bsmflow.generate.mg5 import (
    MadGraphError,
    beam_settings,
    launch_commands,
    process_commands,
    read_process_card,
    read_run_card,
)
from bsmflow.seeds import derive_seed

PROCESSES = ["lq", "dyjets", "ttbar", "diboson"]


def rendered(repo, process):
    cards = repo / "config/cards" / process / "madgraph"
    sample = "lq_m1000" if process == "lq" else process
    proc = process_commands(cards / "process.mg5", "/results/model/UFO", "/results/madgraph/process")
    settings = read_run_card(cards / "run.mg5") | beam_settings(
        13000.0, "nn23lo1", derive_seed(1, sample, 0, "gridpack")
    )
    settings |= {"gridpack": "True", "use_syst": "False"}
    param_card = "/results/model/S1/param_card_M1000.dat" if process == "lq" else None
    launch = launch_commands("/scratch/process", "grid", param_card, settings)
    return (proc + "----\n" + launch).replace(str(repo), "<repo>")


@pytest.mark.parametrize("process", PROCESSES)
def test_rendered_commands_match_golden_files(repo, process):
    golden = repo / "tests/golden/madgraph" / f"{process}.txt"
    text = rendered(repo, process)
    if os.environ.get("BSMFLOW_UPDATE_GOLDEN"):
        changed = not golden.exists() or golden.read_text() != text
        golden.write_text(text)
        # the update mode never passes: review the rewritten file, then run without the variable
        pytest.fail(f"{golden} {'rewritten' if changed else 'unchanged'}; unset BSMFLOW_UPDATE_GOLDEN")
    assert text == golden.read_text()


def test_signal_commands_carry_the_physics_choices(repo):
    text = rendered(repo, "lq")
    assert text.startswith("import model /results/model/UFO\n")
    assert "generate p p > s1 s1~, s1 > lqq lql-, s1~ > lqq~ lql+" in text
    assert "set run_card custom_fcts ['<repo>/config/cards/lq/madgraph/scale.f']" in text
    for line in (
        "set run_card ebeam1 6500",
        "set run_card pdlabel nn23lo1",
        "set run_card bwcutoff 50",
        "set run_card dynamical_scale_choice 0",
        "set run_card gridpack True",
        "shower=OFF",
    ):
        assert line in text.splitlines(), line
    assert "/results/model/S1/param_card_M1000.dat" in text.splitlines()


def test_card_errors_name_file_line_and_problem(tmp_path):
    card = tmp_path / "run.mg5"
    card.write_text("set run_card ptj 20\nset run_card ebeam1 7000\n")
    with pytest.raises(MadGraphError, match=r"run.mg5:2: run_card ebeam1 is set by the workflow"):
        read_run_card(card)
    card.write_text("set run_card custom_fcts nothere.f\n")
    with pytest.raises(MadGraphError, match=r"run.mg5:1: custom_fcts file .*nothere.f does not exist"):
        read_run_card(card)
    card.write_text("launch\n")
    with pytest.raises(MadGraphError, match=r"run.mg5:1: 'launch': expected 'set run_card <key> <value>'"):
        read_run_card(card)
    proc = tmp_path / "process.mg5"
    proc.write_text("define l = e+ e-\n")
    with pytest.raises(MadGraphError, match=r"process.mg5: no 'generate' line"):
        read_process_card(proc)
    proc.write_text("generate p p > t t~\noutput /tmp/x\n")
    with pytest.raises(MadGraphError, match=r"process.mg5:2: 'output /tmp/x': a process card holds only"):
        read_process_card(proc)
