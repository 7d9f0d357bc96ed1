"""The second shipped model, S1 with left-handed couplings (config/models/S1_left.yaml), which
Pythia does not have: one Yukawa matrix yL in two SU(2) components, (u^c)bar e and -(d^c)bar nu.
From the built UFO (ufoamp, no MadGraph): both partial widths against y^2 M / 16 pi, the param
card's width and branching ratios, the shared matrix declared once; and the builder's checks of
terms that share a matrix."""

import math

import numpy as np
import pytest
from analytic_pair import M_S, dsigma_dt_gg, mandelstam, two_body
from ufoamp.process import Process
from ufoamp.ufo_model import load

from bsmflow.model.modelfile import ModelFileError, load_model_file
from bsmflow.model.param_card import model_param_card
from bsmflow.model.ufo_build import build_ufo

S = 42  # s1 = S1^dagger


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("ufo") / "S1_LQ_left"
    build_ufo(load_model_file(repo / "config/models/S1_left.yaml"), out)
    return out


@pytest.fixture(scope="module")
def model(built):
    return load(str(built))


def width(model, final, y, mass=M_S):
    proc = Process(model, [S], final, overrides={"MS1": mass, "yl1x1": y})
    proc.amp.color_mode = "tensor"
    momenta = [
        np.array([mass, 0, 0, 0]),
        np.array([mass / 2, 0, 0, mass / 2]),
        np.array([mass / 2, 0, 0, -mass / 2]),
    ]
    return proc.m2(momenta) / (16 * math.pi * mass)  # massless products, |M|^2 averaged over colour


@pytest.mark.parametrize("y", [0.1, 1.3])
def test_both_components_decay_with_y2_m_over_16pi(model, y):
    analytic = y**2 * M_S / (16 * math.pi)
    assert width(model, [2, 11], y) == pytest.approx(analytic, rel=1e-12)  # S1dag -> u e-
    assert width(model, [1, 12], y) == pytest.approx(analytic, rel=1e-12)  # S1dag -> d nu_e
    assert width(model, [1, -12], y) == 0  # lepton number: d nu_e, not d nu_e~
    assert width(model, [3, 14], y) == 0  # yL_22 = 0


def test_qcd_pair_production_is_that_of_any_colour_triplet(model):
    proc = Process(model, [21, 21], [S, -S], overrides={"MS1": M_S, "WS1": 0.0, "yl1x1": 0.1})
    proc.amp.color_mode = "tensor"
    momenta = two_body(3000.0, 0.3)
    s, t, u = mandelstam(momenta)
    got = proc.m2(momenta) / (16 * math.pi * s**2)
    assert got == pytest.approx(dsigma_dt_gg(s, t, u, proc.params["aS"].real), rel=1e-10)


def test_param_card_width_and_branching_ratios(built):
    y = 0.3
    _, card = model_param_card(built, 1500.0, [[y, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42, "YUKS1L")
    assert card.width_gev == pytest.approx(2 * y**2 * 1500.0 / (16 * math.pi), rel=1e-9)
    assert {(c.quark, c.lepton): c.branching_ratio for c in card.channels} == pytest.approx(
        {(2, 11): 0.5, (1, 12): 0.5}
    )


def test_the_shared_matrix_is_declared_once_and_signs_its_second_term(built):
    parameters = (built / "parameters.py").read_text()
    assert parameters.count("name = 'yl1x1'") == 1 and parameters.count("lhablock = 'YUKS1L'") == 9
    couplings = (built / "couplings.py").read_text()
    assert "value = 'complex(0,1)*yl1x1'" in couplings and "value = '-complex(0,1)*yl1x1'" in couplings
    restrict = (built / "restrict_default.dat").read_text()
    assert restrict.count("Block YUKS1L") == 1


def test_terms_that_share_a_matrix_must_agree(repo, tmp_path):
    text = (repo / "config/models/S1_left.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("    sign: -1\n", "    sign: -2\n"))
    with pytest.raises(ModelFileError, match=r"yukawas.yL_dnu.sign = -2: allowed 1 or -1"):
        load_model_file(bad)
    second_values = text.rindex("values: [[0.1")
    bad.write_text(text[:second_values] + text[second_values:].replace("[[0.1", "[[0.2", 1))
    with pytest.raises(ModelFileError, match=r"yukawas.yL_dnu.values = .*shares parameter 'yl' with yL_ue"):
        load_model_file(bad)
    bad.write_text(
        text.replace(
            "    parameter: yl\n    order: LQ\n    sign: -1", "    parameter: yd\n    order: LQ\n    sign: -1"
        )
    )
    with pytest.raises(ModelFileError, match=r"block = 'YUKS1L': holds the matrix 'yl' already"):
        load_model_file(bad)
