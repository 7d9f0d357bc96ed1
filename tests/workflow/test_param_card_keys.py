"""The param card's PDG id and Yukawa block reach Pythia generation from the config: a model with
a non-default Yukawa block name, end to end on the Pythia path (model stage -> generation)."""

import json
import math

import pytest
from snakemake_run import copy_workflow, snakemake


@pytest.mark.e2e
def test_a_non_default_yukawa_block_reaches_pythia(repo, tmp_path):
    workdir = copy_workflow(repo, tmp_path / "run")
    model = workdir / "config/models/S1_leptoquark.yaml"
    model.write_text(model.read_text().replace("block: YUKS1", "block: YLQ"))
    config = workdir / "config/config.yaml"
    config.write_text(config.read_text().replace("yukawa_block: YUKS1", "yukawa_block: YLQ"))
    target = "results/pythia/lq_m1000/lhe/chunk0.json"
    result = snakemake(workdir, "--cores", "2", target)
    assert result.returncode == 0, result.stderr[-4000:]
    card = (workdir / "results/model/S1/param_card_M1000.dat").read_text()
    assert "BLOCK YLQ" in card and "YUKS1" not in card
    settings = dict(s.split(" = ", 1) for s in json.loads((workdir / target).read_text())["settings"])
    # kCoup = y^2 / (4 pi alpha_em(M^2)) with y11 = 0.1 and alpha_em(1 TeV) = 1/124.4 (Pythia's
    # running); a block that is not read gives y = 0 and kCoup = 0
    assert float(settings["LeptoQuark:kCoup"]) == pytest.approx(0.1**2 / (4 * math.pi / 124.4), rel=0.01)
