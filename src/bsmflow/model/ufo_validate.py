"""Validation of any UFO, whichever its source: charge and colour conservation at every vertex,
and every referenced coupling, Lorentz structure, coupling order and parameter defined."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from .ufo_read import load_ufo

_KNOWN_FUNCTIONS = {
    "complex",
    "complexconjugate",
    "cmath",
    "sqrt",
    "pi",
    "abs",
    "re",
    "im",
    "csc",
    "sec",
    "acsc",
    "asec",
    "cot",
    "arg",
    "reglog",
    "reglogp",
    "reglogm",
    "recms",
    "grreglog",
    "regsqrt",
    "cond",
    "atan",
    "atan2",
    "cos",
    "sin",
    "tan",
    "asin",
    "acos",
    "exp",
    "log",
    "conjugate",
    "math",
    "symbols",
    "ZERO",
    "MU_R",
    "I",
    "case",
    "theta_function",
}


def _names(expression: str) -> set[str]:
    text = re.sub(r"cmath\.\w+", " ", str(expression))
    return {m for m in re.findall(r"[A-Za-z_]\w*", text) if not re.fullmatch(r"[eE]\d*", m)}


def validate_ufo(path: str | Path) -> list[str]:
    """Structural problems of a UFO (empty list when none): every vertex conserves charge and
    colour, every referenced coupling, Lorentz structure and parameter exists."""
    ufo = load_ufo(path)
    problems = []
    params = {p.name for p in ufo.all_parameters}
    functions = (
        {f.name for f in getattr(ufo.function_library, "all_functions", [])}
        if hasattr(ufo, "function_library")
        else set()
    )
    known = params | functions | _KNOWN_FUNCTIONS
    for p in ufo.all_parameters:
        if p.nature == "internal":
            missing = _names(p.value) - known
            if missing:
                problems.append(f"parameter {p.name}: unknown names {sorted(missing)}")
    coupling_names = {c.name for c in ufo.all_couplings}
    lorentz_names = {lo.name for lo in ufo.all_lorentz}
    orders = {o.name for o in ufo.all_orders}
    for c in ufo.all_couplings:
        missing = _names(c.value) - known
        if missing:
            problems.append(f"coupling {c.name}: unknown names {sorted(missing)}")
        for order in c.order or {}:
            if order not in orders:
                problems.append(f"coupling {c.name}: coupling order {order} is not declared")
    for v in ufo.all_vertices:
        charge = sum(Fraction(p.charge).limit_denominator(100) for p in v.particles)
        if charge != 0:
            problems.append(
                f"vertex {v.name} {[p.name for p in v.particles]}: charge {charge} is not conserved"
            )
        triality = sum({3: 1, -3: -1, 6: 2, -6: -2}.get(p.color, 0) for p in v.particles)
        if triality % 3:
            problems.append(f"vertex {v.name} {[p.name for p in v.particles]}: colour triality {triality}")
        for lo in v.lorentz:
            if lo.name not in lorentz_names:
                problems.append(f"vertex {v.name}: Lorentz structure {lo.name} does not exist")
            elif len(lo.spins) != len(v.particles) or any(
                s != p.spin for s, p in zip(lo.spins, v.particles, strict=True)
            ):
                problems.append(f"vertex {v.name}: Lorentz {lo.name} spins {lo.spins} do not match the legs")
        for (ic, il), c in v.couplings.items():
            if c.name not in coupling_names:
                problems.append(f"vertex {v.name}: coupling {c.name} does not exist")
            if ic >= len(v.color) or il >= len(v.lorentz):
                problems.append(f"vertex {v.name}: coupling index ({ic},{il}) out of range")
    for p in ufo.all_particles:
        for attr in ("mass", "width"):
            if getattr(p, attr).name not in params:
                problems.append(f"particle {p.name}: {attr} parameter {getattr(p, attr).name} does not exist")
    return problems
