"""Detector cards: the shipped ATLAS-like card loads and cites its sources; bad cards fail with
the file, the key and the value."""

import time

import numpy as np
import pytest
import yaml

from bsmflow.detector.card import CardError, compile_formula, load_card
from bsmflow.detector.checks import detector_errors


def test_the_atlas_like_card_loads_and_every_entry_cites_a_source(repo):
    card = load_card(repo / "config/detectors/atlas_like.yaml")
    assert set(card.responses) == {"electron", "muon", "jet"}
    formulas = [
        formula
        for response in card.responses.values()
        for formula in [*response.efficiency.values(), response.resolution, response.energy_scale]
        if formula is not None
    ]
    assert len(formulas) == 10 and all("[Delphes]" in f.source for f in formulas)
    electron = card.responses["electron"]
    pt, eta = np.array([500.0, 500.0, 50.0]), np.array([0.2, 2.0, 0.2])
    product = np.prod([f(pt, eta, pt * np.cosh(eta)) for f in electron.efficiency.values()], axis=0)
    # Delphes ATLAS: tracking 0.99 (0.90) above 100 GeV x identification 0.95 (0.85), barrel (endcap)
    np.testing.assert_allclose(product, [0.99 * 0.95, 0.90 * 0.85, 0.95 * 0.95])
    jet = card.responses["jet"]
    np.testing.assert_allclose(
        jet.energy_scale(np.array([900.0]), np.array([0.0]), None), np.sqrt(9 / 900 + 1)
    )


def write(tmp_path, data) -> str:
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


GOOD = {"formula": "0.9", "source": "a paper"}


@pytest.mark.parametrize(
    "block, message",
    [
        (
            {"electron": {"efficiency": [{"name": "id", **GOOD, "formula": "1.2"}]}},
            "must be finite and in [0, 1]",
        ),
        ({"electron": {"efficiency": [{"name": "id", "formula": "0.9"}]}}, "missing 'source'"),
        (
            {"electron": {"efficiency": [{"name": "id", **GOOD, "formula": "__import__('os')"}]}},
            "unknown name",
        ),
        (
            {"electron": {"efficiency": [{"name": "id", **GOOD, "formula": "pt.real"}]}},
            "Attribute is not allowed",
        ),
        ({"muon": {"resolution": {"variable": "mass", **GOOD}}}, "must be 'energy' or 'pt'"),
        (
            {"muon": {"resolution": {"variable": "pt", **GOOD, "formula": "-0.1"}}},
            "must be finite and in >= 0",
        ),
        ({"jet": {"energy_scale": {**GOOD, "formula": "1 / (pt - 100)"}}}, "must be finite"),
        ({"jets": {}}, "unknown key(s) ['jets']"),
    ],
)
def test_a_bad_card_names_the_file_the_key_and_the_value(tmp_path, block, message):
    path = write(tmp_path, block)
    with pytest.raises(CardError) as error:
        load_card(path)
    assert path in str(error.value) and message in str(error.value)


def test_a_formula_whose_evaluation_would_not_finish_is_refused_at_once(tmp_path):
    """Integer powers of constants are exact in Python: 9 ** 9 ** 9 has 370 million digits and
    hung the config check; as floats it overflows and the card is refused with file, key, value."""
    formula = "0.01 + 9 ** 9 ** 9 * 0"
    path = write(tmp_path, {"electron": {"efficiency": [{"name": "id", **GOOD, "formula": formula}]}})
    started = time.monotonic()
    with pytest.raises(CardError) as error:
        load_card(path)
    assert time.monotonic() - started < 5
    message = str(error.value)
    assert path in message and "electron.efficiency[0].formula" in message and repr(formula) in message
    assert "cannot be evaluated" in message


def test_formulas_take_the_delphes_functions_and_logic():
    code = compile_formula("(abs(eta) <= 1.5) * (pt > 10.0) * 0.95 + (abs(eta) > 1.5) * sqrt(0.5**2)", "f")
    values = eval(
        code, {"__builtins__": {}}, {"abs": np.abs, "sqrt": np.sqrt, "eta": np.array([0.0, 2.0]), "pt": 20.0}
    )
    np.testing.assert_allclose(values, [0.95, 0.5])


def test_config_names_a_missing_card_and_the_available_ones(repo):
    (message,) = detector_errors("cms_like", repo)
    assert "detector = 'cms_like'" in message and "config/detectors/cms_like.yaml" in message
    assert "atlas_like" in message
    assert detector_errors("none", repo) == [] and detector_errors("atlas_like", repo) == []
