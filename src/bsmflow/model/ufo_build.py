"""The UFO builder: the model file's new particles, parameters, vertices, coupling orders and
decays (source from :mod:`.ufo_source`) appended to a copy of an SM UFO, with the new parameters
in every restriction card."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import shutil
from pathlib import Path

from .modelfile import ModelSpec
from .ufo_read import UFOError, default_param_card, load_ufo, partial_widths_from_decays
from .ufo_source import (
    Writer,
    decay_source,
    gauge_vertices,
    parameter_source,
    particle_source,
    yukawa_vertices,
)

PROVENANCE = "bsmflow_provenance.json"


def base_ufo_path(base: str) -> Path:
    """The SM UFO to build on: 'ufo-sm' (PyPI package, MadGraph's sm model) or a directory."""
    if base == "ufo-sm":
        spec = importlib.util.find_spec("ufo_sm")
        if spec is None or not spec.submodule_search_locations:
            raise UFOError("base_ufo = 'ufo-sm': the PyPI package ufo-sm is not installed")
        return Path(list(spec.submodule_search_locations)[0])
    path = Path(base)
    if not (path / "__init__.py").is_file():
        raise UFOError(f"base_ufo = {base!r}: not a UFO directory (no __init__.py)")
    return path


def _strip_pkl(path: Path) -> None:
    for stale in list(path.glob("*.pkl")) + list(path.glob("__pycache__")):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


def build_ufo(
    spec: ModelSpec, out_dir: str | Path, values: dict[str, list[list[float]]] | None = None
) -> Path:
    """Write the UFO of a model file into out_dir (which must not exist).

    values: Yukawa matrices by name (default: the model file's). They, the default masses and the
    widths from decays.py go into every restrict_*.dat, which MadGraph applies on import: zero
    couplings are removed (a smaller, faster process), values of exactly 1 would be frozen (none
    of ours is), the rest stay free parameters of the param card.
    """
    out = Path(out_dir)
    base = base_ufo_path(spec.base_ufo)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("*.pkl", "__pycache__"))
    _strip_pkl(out)
    sm = load_ufo(base)
    particles = {p.pdg_code: p.name for p in sm.all_particles}
    colours = {p.pdg_code: p.color for p in sm.all_particles}
    masses = {p.pdg_code: p.mass.name for p in sm.all_particles}
    existing = {p.name for p in sm.all_parameters} | {p.name for p in sm.all_particles}
    for s in spec.scalars:
        for name in (s.name, s.mass_parameter, s.width_parameter):
            if name in existing:
                raise UFOError(f"{spec.source}: {name!r} already exists in the base UFO {base}")
        if s.pdg in particles:
            raise UFOError(f"{spec.source}: PDG id {s.pdg} already exists in the base UFO {base}")
        particles[s.pdg], particles[-s.pdg] = s.name, s.antiname
        colours[s.pdg], colours[-s.pdg] = s.color, (-s.color if s.color != 1 else 1)
        masses[s.pdg] = s.mass_parameter
    values = {y.name: [list(r) for r in y.values] for y in spec.yukawas} | dict(values or {})

    w = Writer(particles, [], {}, [])
    params, orders = [], []
    for s in spec.scalars:
        params.append(parameter_source(s.mass_parameter, s.mass_default, "MASS", [s.pdg]))
        params.append(parameter_source(s.width_parameter, 1.0, "DECAY", [s.pdg]))
        gauge_vertices(w, s)
    declared = set()
    for y in spec.yukawas:
        for i, j in itertools.product(range(3), range(3)):
            if y.parameter in declared:
                break  # a matrix shared by several terms is declared once
            params.append(
                parameter_source(
                    y.parameter_name(i + 1, j + 1), values[y.name][i][j], y.block, [i + 1, j + 1]
                )
            )
        declared.add(y.parameter)
        yukawa_vertices(w, y, spec.scalar(y.scalar), colours)
        if y.order not in {o.name for o in sm.all_orders} | set(orders):
            orders.append(y.order)

    header = f"\n\n# ---- added by bsmflow from {Path(spec.source).name}: {spec.name} ----\n"
    _append(out / "parameters.py", header + "\n".join(params))
    _append(out / "particles.py", header + "\n".join(particle_source(s) for s in spec.scalars))
    _append(out / "couplings.py", header + "\n".join(w.couplings))
    _append(
        out / "lorentz.py",
        header
        + "\n".join(
            f"{name} = Lorentz(name = '{name}',\n    spins = {key.split(':', 1)[0]},\n"
            f"    structure = '{key.split(':', 1)[1]}')\n"
            for key, name in w.lorentz.items()
        ),
    )
    _append(out / "vertices.py", header + "\n".join(w.vertices))
    _append(
        out / "coupling_orders.py",
        header
        + "\n".join(
            f"{o} = CouplingOrder(name = '{o}',\n    expansion_order = 99,\n    hierarchy = 1)\n"
            for o in orders
        ),
    )
    _append(
        out / "decays.py", header + "\n".join(decay_source(s, spec, masses, particles) for s in spec.scalars)
    )

    extra = {s.mass_parameter: s.mass_default for s in spec.scalars}
    extra |= {s.width_parameter: 1.0e-3 * s.mass_default for s in spec.scalars}  # replaced below
    for card in out.glob("restrict_*.dat"):
        _extend_restrict_card(card, spec, values, extra)
    default = default_param_card(out)  # restrict_default.dat, or the UFO's defaults without one
    for s in spec.scalars:
        width = sum(partial_widths_from_decays(out, default, s.pdg).values())
        if width > 0:
            extra[s.width_parameter] = width
    for card in out.glob("restrict_*.dat"):
        text = card.read_text()
        for s in spec.scalars:
            text = re.sub(rf"(?m)^DECAY {s.pdg} \S+", f"DECAY {s.pdg} {extra[s.width_parameter]:.6e}", text)
        card.write_text(text)
    (out / PROVENANCE).write_text(
        json.dumps(
            {
                "model": spec.name,
                "model_file": str(spec.source),
                "base_ufo": spec.base_ufo,
                "base_ufo_path": str(base),
                "base_ufo_note": (
                    "PyPI ufo-sm 1.0.0 = MadGraph's sm model with relative imports (no licence file in the "
                    "package; origin: MadGraph5_aMC@NLO models/sm, FeynRules 1.7.69 output)"
                    if spec.base_ufo == "ufo-sm"
                    else "user-given UFO"
                ),
                "yukawa": values,
            },
            indent=2,
        )
        + "\n"
    )
    return out


def _append(path: Path, text: str) -> None:
    with open(path, "a") as handle:
        handle.write(text + "\n")


def _extend_restrict_card(card: Path, spec: ModelSpec, values: dict, extra: dict[str, float]) -> None:
    """Add the new parameters to a restriction card (MadGraph removes what is zero there)."""
    lines = ["", "## ---- new parameters (bsmflow) ----", "Block MASS"]
    lines += [f"  {s.pdg} {extra[s.mass_parameter]:.6e} # {s.mass_parameter}" for s in spec.scalars]
    for y in {y.block: y for y in reversed(spec.yukawas)}.values():  # one block per shared matrix
        lines.append(f"Block {y.block}")
        for i, j in itertools.product(range(3), range(3)):
            lines.append(f"  {i + 1} {j + 1} {values[y.name][i][j]:.6e} # {y.parameter_name(i + 1, j + 1)}")
    for s in spec.scalars:
        lines.append(f"DECAY {s.pdg} {extra.get(s.width_parameter, 1.0):.6e} # {s.width_parameter}")
    text = card.read_text()
    # SLHA allows a block to appear once: merge the MASS entries into the existing block
    mass_lines = [line for line in lines if re.match(r"^\s+\d+ .* # M", line)]
    if re.search(r"(?im)^block\s+mass\b", text):
        text = re.sub(
            r"(?im)^(block\s+mass\b.*\n)", lambda m: m.group(1) + "\n".join(mass_lines) + "\n", text, count=1
        )
        lines = [line for line in lines if line not in mass_lines and line != "Block MASS"]
    card.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
