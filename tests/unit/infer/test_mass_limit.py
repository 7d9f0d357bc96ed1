"""The crossing of the expected limit with the theory curve, on synthetic curves."""

import math

import pytest

from bsmflow.infer.mass_limit import crossing

MASSES = [1000.0, 1500.0, 2000.0]


def test_crossing_is_interpolated_log_linearly():
    theory = [10.0, 1.0, 0.1]
    limit = [0.1, 0.5, 1.0]  # ln(limit/theory): ln(0.01), ln(0.5), ln(10)
    result = crossing(MASSES, limit, theory)
    d0, d1 = math.log(0.5), math.log(10.0)
    assert result == {"value": pytest.approx(1500 + 500 * (-d0) / (d1 - d0), rel=1e-12), "bound": None}


def test_no_crossing_gives_a_bound_never_an_extrapolation():
    assert crossing(MASSES, [0.01, 0.01, 0.01], [10.0, 1.0, 0.1]) == {"value": None, "bound": "> 2000"}
    assert crossing(MASSES, [20.0, 20.0, 20.0], [10.0, 1.0, 0.1]) == {"value": None, "bound": "< 1000"}


def test_points_are_sorted_by_mass_first():
    assert crossing([2000.0, 1000.0, 1500.0], [1.0, 0.1, 0.5], [0.1, 10.0, 1.0])["value"] == pytest.approx(
        crossing(MASSES, [0.1, 0.5, 1.0], [10.0, 1.0, 0.1])["value"]
    )


def test_a_curve_without_a_limit_at_some_mass_gives_no_mass_limit():
    result = crossing(MASSES, [0.1, 0.5, float("nan")], [10.0, 1.0, 0.1])
    assert result["value"] is None and result["bound"].startswith("undetermined")
