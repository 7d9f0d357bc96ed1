"""The DJR smoothness check on distributions whose shape is known, and the matching-card checks."""

import numpy as np
import pytest

from bsmflow.cards import card_value
from bsmflow.generate.checks import matching_errors
from bsmflow.summarise.djr import P_MIN, check_sample, smoothness, window


def smooth_sample(rng, n):
    """A broad hump in log10(d): log-normal around 40 GeV, 0.35 decades wide."""
    return 10 ** rng.normal(np.log10(40.0), 0.35, n)


def test_a_smooth_distribution_passes_and_a_hole_fails():
    rng = np.random.default_rng(1)
    values = smooth_sample(rng, 3000)
    low, high = window(45.0, 30.0)
    assert (low, high) == (15.0, 90.0)
    assert smoothness("djr12", values, low, high).smooth
    holed = values[(values < 12.0) | (values > 28.0)]  # the gap a qCut of 12 GeV below xqcut leaves
    result = smoothness("djr12", holed, 6.0, 60.0)
    assert not result.smooth and result.p_value < P_MIN


def test_a_step_at_the_merging_scale_fails():
    rng = np.random.default_rng(2)
    values = smooth_sample(rng, 3000)
    doubled = np.concatenate([values, values[(values > 30.0) & (values < 60.0)]])  # double counting
    assert not smoothness("djr12", doubled, 15.0, 120.0).smooth


def test_check_sample_tests_the_merging_transitions():
    rng = np.random.default_rng(3)
    rates = {name: smooth_sample(rng, 2000) for name in ("djr01", "djr12", "djr23")}
    assert [c.rate for c in check_sample(rates, 45.0, 30.0)] == ["djr12", "djr23"]
    with pytest.raises(ValueError, match="djr12: no events between"):
        smoothness("djr12", np.array([1.0, 2.0]), 100.0, 200.0)


def test_matching_card_must_agree_with_the_run_card(tmp_path, repo):
    assert matching_errors(repo / "config/cards/dyjets/madgraph") == []
    assert matching_errors(repo / "config/cards/ttbar/madgraph") == []  # no matching card
    cards = tmp_path / "madgraph"
    cards.mkdir()
    (cards / "run.mg5").write_text("set run_card ickkw 1\nset run_card xqcut 30\n")
    (cards / "matching.cmnd").write_text("JetMatching:merge = on\nJetMatching:qCut = 20.\n")
    (problem,) = matching_errors(cards)
    assert "JetMatching:qCut = 20 must lie above the run card's xqcut = 30" in problem
    (cards / "run.mg5").write_text("set run_card xqcut 30\n")
    (problem,) = matching_errors(cards)
    assert "needs 'set run_card ickkw 1'" in problem
    assert card_value(["JetMatching:qCut = 45."], "jetmatching:qcut") == 45.0
