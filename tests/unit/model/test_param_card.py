import math

import pytest

from bsmflow.generate.pythia import pythia_leptoquark_settings
from bsmflow.model.param_card import build_param_card, format_param_card, partial_width, read_param_card

Y11 = [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]]


def test_width_is_y_squared_m_over_16_pi():
    card = build_param_card(1000, Y11, 172.5, 42)
    assert card.width_gev == pytest.approx(0.01 * 1000 / (16 * math.pi), rel=1e-12)
    assert card.width_gev / card.mass_gev == pytest.approx(1.99e-4, rel=1e-2)  # docs/physics.md: 0.01/(16 pi)


def test_branching_ratios_follow_the_couplings():
    yukawa = [[0.1, 0.2, 0], [0, 0, 0], [0, 0, 0]]
    card = build_param_card(1500, yukawa, 172.5, 42)
    ratios = {(c.quark, c.lepton): c.branching_ratio for c in card.channels}
    assert ratios == {(2, 11): pytest.approx(0.2), (2, 13): pytest.approx(0.8)}


def test_top_channel_has_its_phase_space_suppression():
    assert partial_width(1000, 1.0, 172.5) == pytest.approx(1000 / (16 * math.pi) * (1 - 0.1725**2) ** 2)
    assert partial_width(150, 1.0, 172.5) == 0.0


def test_stable_leptoquark_is_rejected():
    with pytest.raises(ValueError, match="every coupling is zero"):
        build_param_card(1000, [[0] * 3] * 3, 172.5, 42)


def test_param_card_round_trips(tmp_path):
    card = build_param_card(2000, [[0.1, 0, 0.3], [0, 0, 0], [0.5, 0, 0]], 172.5, 42)
    path = tmp_path / "card.dat"
    path.write_text(format_param_card(card, "YUKS1"))
    back = read_param_card(path, 42, "YUKS1")
    assert back.mass_gev == card.mass_gev and back.yukawa == card.yukawa
    assert back.width_gev == pytest.approx(card.width_gev, rel=1e-6)
    assert [(c.quark, c.lepton) for c in back.channels] == [(c.quark, c.lepton) for c in card.channels]
    assert [c.branching_ratio for c in back.channels] == pytest.approx(
        [c.branching_ratio for c in card.channels], rel=1e-6
    )


def test_pythia_settings_reproduce_the_width_through_kcoup():
    """Pythia itself computes the LQ width from kCoup when the width is not forced: it must be
    the param card's y^2 M / (16 pi) (Pythia's quark mass changes it by 3e-7)."""
    import pythia8mc

    from bsmflow.generate.pythia import hard_process_settings

    card = build_param_card(1000, Y11, 172.5, 42)
    pythia = pythia8mc.Pythia("", False)
    for setting in [*hard_process_settings(13000.0, 13, 5), "LeptoQuark:all = on"]:
        assert pythia.readString(setting)
    alpha_em = pythia8mc.AlphaEM()
    alpha_em.init(pythia.mode("SigmaProcess:alphaEMorder"), pythia.settings)
    settings = pythia_leptoquark_settings(card, alpha_em.alphaEM(1000.0**2))
    assert "42:doForceWidth = on" in settings
    for setting in settings:
        if not setting.startswith(("42:doForceWidth", "42:mWidth")):
            assert pythia.readString(setting)
    assert pythia.init()
    assert pythia.particleData.mWidth(42) == pytest.approx(0.01 * 1000 / (16 * math.pi), rel=1e-5)
    forced = dict(s.split(" = ") for s in settings)
    assert forced["42:0:products"] == "2 11"
    assert float(forced["42:mWidth"]) == pytest.approx(card.width_gev, rel=1e-6)


def test_pythia_refuses_several_channels():
    card = build_param_card(1000, [[0.1, 0.1, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42)
    with pytest.raises(ValueError, match="one quark-lepton pair"):
        pythia_leptoquark_settings(card, 1 / 128)
