"""Variation groups, envelopes and fit modifiers on hand-made histograms."""

import numpy as np
import pytest

from bsmflow.analyse.variations import envelopes, fit_systematics, groups, symmetrised, total_band

SCALE = [
    "muR_1_muF_1",
    "muR_2_muF_2",
    "muR_0p5_muF_0p5",
    "muR_2_muF_1",
    "muR_1_muF_2",
    "muR_0p5_muF_1",
    "muR_1_muF_0p5",
]


def test_groups_and_unknown_weights():
    names = [*SCALE, "isr_mur_2", "isr_mur_0p5", "fsr_mur_2", "fsr_mur_0p5", "pdf_hessian_0000"]
    found = groups(names)
    assert list(found) == ["scale", "isr", "fsr", "pdf"]
    assert found["isr"] == ["isr_mur_0p5", "isr_mur_2"]  # up first: mu x 0.5, more radiation
    with pytest.raises(ValueError, match="unknown variation weights"):
        groups(["muR_1_muF_1", "whatever"])
    with pytest.raises(ValueError, match="needs both"):
        groups(["fsr_mur_2"])


def test_scale_envelope_is_bin_by_bin_and_the_fit_normalisation_uses_the_totals():
    nominal = np.array([10.0, 10.0])
    varied = {name: nominal.copy() for name in SCALE}
    varied["muR_2_muF_2"] = np.array([8.0, 12.0])  # no point moves the total, the shapes move
    varied["muR_0p5_muF_0p5"] = np.array([11.0, 9.0])
    low, high = envelopes(nominal, varied)["scale"]
    assert low.tolist() == [8.0, 9.0] and high.tolist() == [11.0, 12.0]
    modifiers = fit_systematics(nominal, varied, process="ttbar", shape_only=set())
    assert [m["type"] for m in modifiers] == ["histosys"]  # no normalisation change: no normsys
    assert modifiers[0]["name"] == "scale_ttbar"
    assert modifiers[0]["data"]["hi_data"] == pytest.approx([11 * 20 / 23, 12 * 20 / 23])


def test_shape_only_groups_and_same_sided_normalisations():
    nominal = np.array([6.0, 4.0])
    varied = {"fsr_mur_0p5": np.array([5.0, 3.0]), "fsr_mur_2": np.array([5.5, 3.5])}  # both down
    modifiers = fit_systematics(nominal, varied, process="signal", shape_only=set())
    norm = next(m for m in modifiers if m["type"] == "normsys")
    assert norm["data"] == pytest.approx({"hi": 0.8, "lo": 1.2})  # symmetrised with the larger shift
    assert [m["type"] for m in fit_systematics(nominal, varied, process="signal", shape_only={"fsr"})] == [
        "histosys"
    ]
    assert symmetrised(1.1, 0.95) == (1.1, 0.95)
    assert symmetrised(1.1, 1.02) == pytest.approx((1.1, 0.9))


def test_total_band_adds_the_groups_shifts_in_quadrature_on_each_side():
    nominal = np.array([10.0])
    bands = {"scale": (np.array([8.0]), np.array([13.0])), "isr": (np.array([11.0]), np.array([9.0]))}
    low, high = total_band(nominal, bands)
    assert high == pytest.approx([10 + np.hypot(3.0, 1.0)]) and low == pytest.approx(
        [10 - np.hypot(2.0, 1.0)]
    )
