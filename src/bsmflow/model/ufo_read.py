"""Reading a UFO directory: import it as a Python package, evaluate its parameters and the
partial widths of its decays.py at the values of a param card, and its default param card."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path

from .slha import SLHA, read_slha


class UFOError(ValueError):
    """A UFO directory that cannot be built, imported or validated."""


def load_ufo(path: str | Path):
    """Import a UFO directory as a Python package under a private name (relative imports work)."""
    path = Path(path).resolve()
    if not (path / "__init__.py").is_file():
        raise UFOError(f"{path}: not a UFO directory (no __init__.py)")
    name = f"_bsmflow_ufo_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # any import failure of user-provided Python
        raise UFOError(f"{path}: the UFO does not import as a Python package: {error!r}") from error
    for part in ("particles", "parameters", "couplings", "lorentz", "vertices", "coupling_orders"):
        if not hasattr(module, part):
            raise UFOError(f"{path}: the UFO has no module {part}.py")
    return module


def default_param_card(ufo_dir: str | Path) -> SLHA:
    """The param card MadGraph uses on `import model <dir>`: restrict_default.dat if present,
    else every external parameter at its UFO default."""
    ufo_dir = Path(ufo_dir)
    restrict = ufo_dir / "restrict_default.dat"
    if restrict.is_file():
        return read_slha(restrict)
    card = SLHA()
    for p in load_ufo(ufo_dir).all_parameters:
        if p.nature == "external":
            card.set(p.lhablock, tuple(p.lhacode), float(p.value), p.name)
    return card


def partial_widths_from_decays(ufo_dir: str | Path, card: SLHA, pdg: int) -> dict[tuple[int, int], float]:
    """Evaluate the UFO's decays.py partial widths of a particle at the values of a param card
    (external parameters from the card, internal ones from their UFO expressions)."""
    ufo = load_ufo(ufo_dir)
    values = evaluate_parameters(ufo, card)
    decay = next((d for d in ufo.all_decays if d.particle.pdg_code == pdg), None)
    if decay is None:
        raise UFOError(f"{ufo_dir}: decays.py has no decay of PDG {pdg}")
    env = dict(values) | {"cmath": __import__("cmath"), "complexconjugate": lambda z: z.conjugate()}
    return {
        tuple(p.pdg_code for p in products): float(eval(expr, env).real)
        for products, expr in decay.partial_widths.items()
    }


def evaluate_parameters(ufo, card: SLHA) -> dict[str, complex]:
    """Numerical values of every UFO parameter at a param card (internal ones in file order)."""
    import cmath

    env: dict = {"cmath": cmath, "complexconjugate": lambda z: complex(z).conjugate(), "ZERO": 0.0}
    for f in getattr(ufo.function_library, "all_functions", []):
        env.setdefault(f.name, eval(f"lambda {', '.join(f.arguments)}: {f.expr}", dict(env)))
    for p in ufo.all_parameters:
        if p.nature == "external":
            env[p.name] = card.get(p.lhablock, tuple(p.lhacode), float(p.value))
        else:
            env[p.name] = eval(p.value, env)
    return {p.name: env[p.name] for p in ufo.all_parameters}
