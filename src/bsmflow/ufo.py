"""UFO model directories: built from a model file on top of an SM UFO, copied from a ready UFO, or
written by FeynRules; validated the same way whichever the source.

The builder adds, for every new scalar S with the UFO particle P = +PDG (colour c, charge Q):
  * gauge vertices from (D S)^dag (D S) with D = d - i g_s T^a G^a - i e Q A - i g_Z (T3 - Q sw^2) Z,
    the sign convention of the SM UFO (fermion-photon vertex i e Q gamma^mu): P~ P V with
    i g (p_P - p_P~)^mu, and the seagulls P~ P V V' with i g g' (1 + delta_VV') g^mu nu;
  * Yukawa vertices y_ij (B_i)bar P_X F_j S + h.c. with chirality projectors, written with the SM
    UFO's spinor-slot order (leg 1 the column spinor, leg 2 the row spinor: ProjX(2,1));
    charge-conjugated B gives fermion-number-violating ("clashing arrow") vertices;
  * one coupling order per Yukawa matrix, hierarchy 1 (MadGraph keeps those diagrams by default);
  * the tree-level partial widths S -> f f' in decays.py.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import shutil
import sys
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .modelfile import ModelSpec, Scalar, Yukawa
from .slha import SLHA, read_slha

BASE_UFO_FILES = (
    "__init__.py",
    "object_library.py",
    "function_library.py",
    "parameters.py",
    "particles.py",
    "couplings.py",
    "lorentz.py",
    "vertices.py",
    "coupling_orders.py",
    "decays.py",
    "write_param_card.py",
)
PROVENANCE = "bsmflow_provenance.json"


class UFOError(ValueError):
    """A UFO directory that cannot be built, imported or validated."""


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


def _frac(q: Fraction) -> str:
    return f"({q.numerator}./{q.denominator}.)" if q.denominator != 1 else f"({q.numerator}.)"


def _pyname(name: str) -> str:
    """The Python identifier a UFO uses for a particle name ('e+' -> 'e__plus__')."""
    for orig, sub in (("+", "__plus__"), ("-", "__minus__"), ("~", "__tilde__")):
        name = name.replace(orig, sub)
    return name


@dataclass
class _Writer:
    """Accumulates the source appended to the base UFO's files."""

    particles_by_pdg: dict[int, str]
    couplings: list[str]
    lorentz: dict[str, str]
    vertices: list[str]
    n_coupling: int = 0
    n_vertex: int = 0

    def coupling(self, value: str, order: dict[str, int]) -> str:
        self.n_coupling += 1
        name = f"GC_BSM{self.n_coupling}"
        self.couplings.append(
            f"{name} = Coupling(name = '{name}',\n    value = '{value}',\n    order = {order!r})\n"
        )
        return name

    def lorentz_structure(self, spins: list[int], structure: str) -> str:
        """Named like FeynRules does, spin letters in leg order then a number: MadGraph reads
        the letters (helicity recycling fails with 'split amp are not supported' otherwise)."""
        key = f"{spins}:{structure}"
        if key not in self.lorentz:
            letters = "".join({1: "S", 2: "F", 3: "V"}[spin] for spin in spins)
            self.lorentz[key] = f"{letters}{101 + len(self.lorentz)}"  # 101+: clear of the SM's names
        return self.lorentz[key]

    def vertex(self, pdgs: list[int], colors: list[str], lorentz: list[str], couplings: dict) -> None:
        self.n_vertex += 1
        name = f"V_BSM{self.n_vertex}"
        parts = ", ".join(f"P.{_pyname(self.particles_by_pdg[p])}" for p in pdgs)
        lor = ", ".join(f"L.{name_}" for name_ in lorentz)
        coup = ", ".join(f"({c},{l_}):C.{g}" for (c, l_), g in couplings.items())
        self.vertices.append(
            f"{name} = Vertex(name = '{name}',\n    particles = [ {parts} ],\n    color = {colors!r},\n"
            f"    lorentz = [ {lor} ],\n    couplings = {{{coup}}})\n"
        )


def _gauge_vertices(w: _Writer, s: Scalar) -> None:
    """Vertices of (D S)^dag (D S): legs [anti-triplet, triplet, bosons...] (for a colour
    singlet [P~, P, ...]); q is the charge of the triplet (second) leg."""
    legs, q = ([s.pdg, -s.pdg], -s.charge) if s.color == -3 else ([-s.pdg, s.pdg], s.charge)
    coloured = s.color != 1
    ident = ["Identity(1,2)"] if coloured else ["1"]
    e_q = f"ee*{_frac(q)}"
    z_q = f"-(ee*{_frac(q)}*sw)/cw"  # g_Z (T3 - Q sw^2) with T3 = 0, g_Z = e / (sw cw)
    vss = w.lorentz_structure([1, 1, 3], "P(3,2) - P(3,1)")
    vvss = w.lorentz_structure([1, 1, 3, 3], "Metric(3,4)")
    if coloured:
        w.vertex(legs + [21], ["T(3,2,1)"], [vss], {(0, 0): w.coupling("complex(0,1)*G", {"QCD": 1})})
        gg = w.coupling("complex(0,1)*G**2", {"QCD": 2})
        w.vertex(
            legs + [21, 21], ["T(3,-1,1)*T(4,2,-1)", "T(3,2,-1)*T(4,-1,1)"], [vvss], {(0, 0): gg, (1, 0): gg}
        )
    if q == 0:
        return
    w.vertex(legs + [22], ident, [vss], {(0, 0): w.coupling(f"complex(0,1)*{e_q}", {"QED": 1})})
    w.vertex(legs + [23], ident, [vss], {(0, 0): w.coupling(f"complex(0,1)*{z_q}", {"QED": 1})})
    for bosons, value in (
        ([22, 22], f"2*({e_q})**2"),
        ([23, 23], f"2*({z_q})**2"),
        ([22, 23], f"2*({e_q})*({z_q})"),
    ):
        w.vertex(legs + bosons, ident, [vvss], {(0, 0): w.coupling(f"complex(0,1)*{value}", {"QED": 2})})
    if coloured:
        for boson, value in ((22, e_q), (23, z_q)):
            w.vertex(
                legs + [21, boson],
                ["T(3,2,1)"],
                [vvss],
                {(0, 0): w.coupling(f"2*complex(0,1)*G*({value})", {"QCD": 1, "QED": 1})},
            )


def _colour(pdgs: list[int], colours: dict[int, int]) -> str:
    """'Identity(a,b)' joining the triplet and anti-triplet legs of a Yukawa vertex, or '1'."""
    legs = [i + 1 for i, p in enumerate(pdgs) if colours[p] != 1]
    return f"Identity({legs[0]},{legs[1]})" if legs else "1"


def yukawa_legs(y: Yukawa, s: Scalar, i: int, j: int) -> tuple[list[int], list[int]]:
    """Outgoing PDG ids of the two Yukawa vertices [column leg, row leg, scalar]:
    the term y (B)bar P F S as written, and its hermitian conjugate y* (F)bar P' B S^dag."""
    from .modelfile import FERMIONS

    b, f = FERMIONS[y.bar.family][0][i], FERMIONS[y.field.family][0][j]
    # S annihilates its quantum: the outgoing leg is the conjugate of the field's quantum.
    s_out = -s.pdg if s.field_is_particle else s.pdg
    term = [-f, -b if y.bar.conjugate else b, s_out]
    conj = [b if y.bar.conjugate else -b, f, -s_out]
    return term, conj


def _yukawa_vertices(w: _Writer, y: Yukawa, s: Scalar, colours: dict[int, int]) -> None:
    projector = y.projector
    opposite = "ProjM" if projector == "ProjP" else "ProjP"
    lor_term = w.lorentz_structure([2, 2, 1], f"{projector}(2,1)")
    lor_conj = w.lorentz_structure([2, 2, 1], f"{opposite}(2,1)")
    for i, j in itertools.product(range(3), range(3)):
        term, conj = yukawa_legs(y, s, i, j)
        name = y.parameter_name(i + 1, j + 1)
        w.vertex(
            term,
            [_colour(term, colours)],
            [lor_term],
            {(0, 0): w.coupling(f"complex(0,1)*{name}", {y.order: 1})},
        )
        w.vertex(
            conj,
            [_colour(conj, colours)],
            [lor_conj],
            {(0, 0): w.coupling(f"complex(0,1)*complexconjugate({name})", {y.order: 1})},
        )


def _particle_source(s: Scalar) -> str:
    charge = f"{s.charge.numerator}/{s.charge.denominator}" if s.charge.denominator != 1 else str(s.charge)
    return (
        f"{s.name} = Particle(pdg_code = {s.pdg},\n    name = '{s.name}',\n    antiname = '{s.antiname}',\n"
        f"    spin = 1,\n    color = {s.color},\n    mass = Param.{s.mass_parameter},\n"
        f"    width = Param.{s.width_parameter},\n    texname = '{s.name}',\n"
        f"    antitexname = '{s.antiname}',\n    charge = {charge},\n    GhostNumber = 0,\n"
        f"    LeptonNumber = 0,\n    Y = 0)\n\n{_pyname(s.antiname)} = {s.name}.anti()\n"
    )


def _parameter_source(name: str, value: float, block: str, code: list[int]) -> str:
    return (
        f"{name} = Parameter(name = '{name}',\n    nature = 'external',\n    type = 'real',\n"
        f"    value = {value!r},\n    texname = '\\\\text{{{name}}}',\n    lhablock = '{block}',\n"
        f"    lhacode = {code!r})\n"
    )


def _decay_source(s: Scalar, spec: ModelSpec, masses: dict[int, str], particles: dict[int, str]) -> str:
    """Tree-level partial widths of S (P = +PDG) to two fermions for a chiral coupling:
    Gamma = |y|^2 (M^2 - m1^2 - m2^2) sqrt(lambda(M^2, m1^2, m2^2)) / (16 pi M^3)."""
    widths = {}
    for y in (y for y in spec.yukawas if y.scalar == s.field):
        for i, j in itertools.product(range(3), range(3)):
            term, conj = yukawa_legs(y, s, i, j)
            legs = term if term[2] == -s.pdg else conj  # the vertex with incoming P
            m1, m2 = masses.get(abs(legs[0]), "ZERO"), masses.get(abs(legs[1]), "ZERO")
            M, name = s.mass_parameter, y.parameter_name(i + 1, j + 1)
            lam = f"({M}**4 + {m1}**4 + {m2}**4 - 2*{M}**2*{m1}**2 - 2*{M}**2*{m2}**2 - 2*{m1}**2*{m2}**2)"
            key = f"(P.{_pyname(particles[legs[0]])},P.{_pyname(particles[legs[1]])})"
            widths[key] = (
                f"'(abs({name})**2*({M}**2 - {m1}**2 - {m2}**2)*cmath.sqrt({lam}))"
                f"/(16.*cmath.pi*abs({M})**3)'"
            )
    body = ",\n        ".join(f"{k}: {v}" for k, v in widths.items())
    return (
        f"Decay_{s.name} = Decay(name = 'Decay_{s.name}',\n    particle = P.{s.name},\n"
        f"    partial_widths = {{{body}}})\n"
    )


def _strip_pkl(path: Path) -> None:
    for stale in list(path.glob("*.pkl")) + list(path.glob("__pycache__")):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


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

    w = _Writer(particles, [], {}, [])
    params, orders = [], []
    for s in spec.scalars:
        params.append(_parameter_source(s.mass_parameter, s.mass_default, "MASS", [s.pdg]))
        params.append(_parameter_source(s.width_parameter, 1.0, "DECAY", [s.pdg]))
        _gauge_vertices(w, s)
    for y in spec.yukawas:
        for i, j in itertools.product(range(3), range(3)):
            params.append(
                _parameter_source(
                    y.parameter_name(i + 1, j + 1), values[y.name][i][j], y.block, [i + 1, j + 1]
                )
            )
        _yukawa_vertices(w, y, spec.scalar(y.scalar), colours)
        if y.order not in {o.name for o in sm.all_orders} | set(orders):
            orders.append(y.order)

    header = f"\n\n# ---- added by bsmflow from {Path(spec.source).name}: {spec.name} ----\n"
    _append(out / "parameters.py", header + "\n".join(params))
    _append(out / "particles.py", header + "\n".join(_particle_source(s) for s in spec.scalars))
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
        out / "decays.py", header + "\n".join(_decay_source(s, spec, masses, particles) for s in spec.scalars)
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
    for y in spec.yukawas:
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


# ---------------------------------------------------------------------------- validation ----

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


def copy_ufo(source: str | Path, out_dir: str | Path) -> Path:
    """A ready UFO directory, copied (MadGraph may rewrite a model in place on import)."""
    source = Path(source)
    if not (source / "__init__.py").is_file():
        raise UFOError(f"model.ufo = {str(source)!r}: not a UFO directory (no __init__.py)")
    shutil.copytree(source, out_dir, ignore=shutil.ignore_patterns("*.pkl", "__pycache__"))
    return Path(out_dir)


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
        tuple(p.pdg_code for p in products): float(eval(expr, env).real)  # noqa: S307 - UFO expressions
        for products, expr in decay.partial_widths.items()
    }


def evaluate_parameters(ufo, card: SLHA) -> dict[str, complex]:
    """Numerical values of every UFO parameter at a param card (internal ones in file order)."""
    import cmath

    env: dict = {"cmath": cmath, "complexconjugate": lambda z: complex(z).conjugate(), "ZERO": 0.0}
    for f in getattr(ufo.function_library, "all_functions", []):
        env.setdefault(f.name, eval(f"lambda {', '.join(f.arguments)}: {f.expr}", dict(env)))  # noqa: S307
    for p in ufo.all_parameters:
        if p.nature == "external":
            env[p.name] = card.get(p.lhablock, tuple(p.lhacode), float(p.value))
        else:
            env[p.name] = eval(p.value, env)  # noqa: S307 - UFO expressions
    return {p.name: env[p.name] for p in ufo.all_parameters}


def make_ufo(
    out_dir: str | Path,
    source: str,
    yukawa: list[list[float]],
    yukawa_block: str,
    model_file: str | None = None,
    ufo: str | None = None,
    feynrules: dict | None = None,
    **_provenance,
) -> Path:
    """The model stage's UFO from the configured source, validated; nothing is left at out_dir
    when any step fails. `_provenance` (package version and the like) only reaches the job's
    params so that Snakemake reruns on change."""
    import logging

    from .io import atomic_output
    from .modelfile import load_model_file

    with atomic_output(out_dir) as tmp:
        if source == "builder":
            spec = load_model_file(model_file)
            names = [y.block for y in spec.yukawas]
            if yukawa_block.upper() not in names:
                raise UFOError(f"model.yukawa_block = {yukawa_block!r}: {model_file} declares {names}")
            first = next(y for y in spec.yukawas if y.block == yukawa_block.upper())
            build_ufo(spec, tmp, values={first.name: yukawa})
        elif source == "ufo":
            copy_ufo(ufo, tmp)
        else:
            from .feynrules import run_feynrules

            run_feynrules(
                feynrules["wolframscript"],
                feynrules["path"],
                feynrules["model_files"],
                feynrules["lagrangian"],
                tmp,
            )
        problems = validate_ufo(tmp)
        if problems:
            raise UFOError(f"{source} UFO failed validation:\n  " + "\n  ".join(problems))
        logging.info("UFO from %s written to %s and validated", source, out_dir)
    return Path(out_dir)


def make_sm_ufo(out_dir: str | Path) -> Path:
    """The plain SM UFO (PyPI ufo-sm, without its stale pickle), validated, for backgrounds."""
    from .io import atomic_output

    with atomic_output(out_dir) as tmp:
        copy_ufo(base_ufo_path("ufo-sm"), tmp)
        problems = validate_ufo(tmp)
        if problems:
            raise UFOError("ufo-sm failed validation:\n  " + "\n  ".join(problems))
    return Path(out_dir)
