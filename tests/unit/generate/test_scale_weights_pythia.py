"""Scale weights against real Pythia runs at the varied scale (SigmaProcess:renormMultFac and
factorMultFac multiply Q^2, so mu x 2 is a factor 4): per subprocess (for the signal gg -> S S*
and q qbar -> S S* separately), the cross section reweighted to (mu_R, mu_F) = (2, 2) and
(0.5, 0.5) must agree with the real run within 1 % or 3 standard deviations. The same comparison
with the alpha_s power off by one must fail: the test can tell."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pylhe
import pytest

from bsmflow.generate import pythia as pythia_generation
from bsmflow.generate.lhe import read_event_weights
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.param_card import build_param_card, format_param_card

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}
N_EVENTS = 20000
POINTS = {"muR_2_muF_2": 4.0, "muR_0p5_muF_0p5": 0.25}  # weight id -> Pythia's factor on Q^2


def generate(tmp_path: Path, process: str, name: str, extra: list[str], scale: bool, seed: int, repo: Path):
    card = tmp_path / f"{name}.cmnd"
    card.write_text((repo / f"config/cards/{process}/pythia.cmnd").read_text() + "\n".join(extra) + "\n")
    param_card, keys = None, None
    if process == "lq":
        param_card = tmp_path / "param_card.dat"
        param_card.write_text(
            format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
        )
        keys = {"pdg_id": 42, "yukawa_block": "YUKS1"}
    chunk = GenerationSpec(
        process, 0, N_EVENTS, seed, 13000.0, PDF, {"scale": scale, "pdf": None, "pdf_path": None}
    )
    lhe = tmp_path / f"{name}.lhe.gz"
    record = generate_lhe(
        str(card), param_card and str(param_card), keys, str(lhe), str(tmp_path / f"{name}.json"), chunk
    )
    return record, lhe


def reweighted_per_process(record: dict, lhe: Path, weight_id: str) -> dict[str, float]:
    """sigma of each subprocess code reweighted: its sigma x sum(w_id) / sum(w) over its events."""
    codes = np.array([event.eventinfo.pid for event in pylhe.LHEFile.fromfile(str(lhe)).events])
    nominal, named = read_event_weights(lhe)
    return {
        code: sigma * named[weight_id][codes == int(code)].sum() / nominal[codes == int(code)].sum()
        for code, sigma in record["processes"].items()
        if np.any(codes == int(code))
    }


def discrepancies(nominal, lhe, real_runs) -> dict[tuple[str, str], tuple[float, float]]:
    """(weight id, code) -> (relative difference, its statistical error) of reweighted vs real."""
    result = {}
    for weight_id, real in real_runs.items():
        for code, sigma in reweighted_per_process(nominal, lhe, weight_id).items():
            real_sigma = real["processes"][code]
            share = real_sigma / real["sigma_pb"]
            stat = math.hypot(
                nominal["sigma_err_pb"] / nominal["sigma_pb"], real["sigma_err_pb"] / real["sigma_pb"]
            )
            result[(weight_id, code)] = (sigma / real_sigma - 1, stat / math.sqrt(share))
    return result


@pytest.fixture(scope="module", params=["lq", "ttbar"])
def runs(request, tmp_path_factory, repo):
    process = request.param
    tmp_path = tmp_path_factory.mktemp(f"scale_{process}")
    nominal, lhe = generate(tmp_path, process, "nominal", [], True, 1, repo)
    real_runs = {
        weight_id: generate(
            tmp_path,
            process,
            weight_id,
            [f"SigmaProcess:renormMultFac = {factor}", f"SigmaProcess:factorMultFac = {factor}"],
            False,
            2,
            repo,
        )[0]
        for weight_id, factor in POINTS.items()
    }
    return process, tmp_path, nominal, lhe, real_runs


def test_reweighted_cross_sections_agree_with_real_runs_at_the_varied_scale(runs):
    process, _, nominal, lhe, real_runs = runs
    found = discrepancies(nominal, lhe, real_runs)
    if process == "lq":  # gg -> S S* and q qbar -> S S*, each on its own
        assert len({code for _, code in found}) == 2
    for key, (difference, stat) in found.items():
        assert abs(difference) < max(0.01, 3 * stat), (process, key, difference, stat)
    # the variation is large compared with the tolerance: the comparison has teeth
    assert nominal["variations"]["sigma_ratio"]["muR_2_muF_2"] < 0.85


def test_the_comparison_fails_with_the_alpha_s_power_off_by_one(runs, monkeypatch, repo):
    process, tmp_path, _, _, real_runs = runs
    monkeypatch.setattr(pythia_generation, "alpha_s_power", lambda particles: 3)  # the truth is 2
    wrong, lhe = generate(tmp_path, process, "wrong_power", [], True, 1, repo)
    found = discrepancies(wrong, lhe, real_runs)
    assert all(abs(difference) > max(0.01, 3 * stat) for difference, stat in found.values()), found
