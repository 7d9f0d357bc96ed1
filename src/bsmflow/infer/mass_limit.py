"""Where the expected limit on sigma x BR crosses the theory curve."""

from __future__ import annotations

import math


def crossing(masses: list[float], limit_fb: list[float], theory_fb: list[float]) -> dict:
    """The mass limit: the highest mass below which every scan point is excluded, interpolated.

    A point is excluded when its limit is below the theory cross section. Between two scan points,
    ln(limit) - ln(theory) is taken linear in M (log-linear interpolation of both curves) and the
    crossing is where it vanishes. Returns {"value": M in GeV or None, "bound": "> M_max",
    "< M_min" or None}: no crossing inside the scanned range is reported as a bound, never
    extrapolated.
    """
    points = sorted(zip(masses, limit_fb, theory_fb, strict=True))
    if any(math.isnan(limit) for _, limit, _ in points):
        return {"value": None, "bound": "undetermined (a mass point has no limit on this curve)"}
    difference = [math.log(limit) - math.log(theory) for _, limit, theory in points]
    if difference[0] >= 0:
        return {"value": None, "bound": f"< {points[0][0]:g}"}
    for (m0, _, _), (m1, _, _), d0, d1 in zip(points, points[1:], difference, difference[1:], strict=False):
        if d1 >= 0:
            return {"value": m0 + (m1 - m0) * (-d0) / (d1 - d0), "bound": None}
    return {"value": None, "bound": f"> {points[-1][0]:g}"}
