"""Python source of the UFO objects the builder appends to an SM UFO. For every new scalar S with
the UFO particle P = +PDG (colour c, charge Q):
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

import itertools
from dataclasses import dataclass
from fractions import Fraction

from .modelfile import FERMIONS, ModelSpec, Scalar, Yukawa


def fraction_text(q: Fraction) -> str:
    return f"({q.numerator}./{q.denominator}.)" if q.denominator != 1 else f"({q.numerator}.)"


def python_name(name: str) -> str:
    """The Python identifier a UFO uses for a particle name ('e+' -> 'e__plus__')."""
    for orig, sub in (("+", "__plus__"), ("-", "__minus__"), ("~", "__tilde__")):
        name = name.replace(orig, sub)
    return name


@dataclass
class Writer:
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
        parts = ", ".join(f"P.{python_name(self.particles_by_pdg[p])}" for p in pdgs)
        lor = ", ".join(f"L.{name_}" for name_ in lorentz)
        coup = ", ".join(f"({c},{l_}):C.{g}" for (c, l_), g in couplings.items())
        self.vertices.append(
            f"{name} = Vertex(name = '{name}',\n    particles = [ {parts} ],\n    color = {colors!r},\n"
            f"    lorentz = [ {lor} ],\n    couplings = {{{coup}}})\n"
        )


def gauge_vertices(w: Writer, s: Scalar) -> None:
    """Vertices of (D S)^dag (D S): legs [anti-triplet, triplet, bosons...] (for a colour
    singlet [P~, P, ...]); q is the charge of the triplet (second) leg."""
    legs, q = ([s.pdg, -s.pdg], -s.charge) if s.color == -3 else ([-s.pdg, s.pdg], s.charge)
    coloured = s.color != 1
    ident = ["Identity(1,2)"] if coloured else ["1"]
    e_q = f"ee*{fraction_text(q)}"
    z_q = f"-(ee*{fraction_text(q)}*sw)/cw"  # g_Z (T3 - Q sw^2) with T3 = 0, g_Z = e / (sw cw)
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


def yukawa_colour(pdgs: list[int], colours: dict[int, int]) -> str:
    """'Identity(a,b)' joining the triplet and anti-triplet legs of a Yukawa vertex, or '1'."""
    legs = [i + 1 for i, p in enumerate(pdgs) if colours[p] != 1]
    return f"Identity({legs[0]},{legs[1]})" if legs else "1"


def yukawa_legs(y: Yukawa, s: Scalar, i: int, j: int) -> tuple[list[int], list[int]]:
    """Outgoing PDG ids of the two Yukawa vertices [column leg, row leg, scalar]:
    the term y (B)bar P F S as written, and its hermitian conjugate y* (F)bar P' B S^dag."""
    b, f = FERMIONS[y.bar.family][0][i], FERMIONS[y.field.family][0][j]
    # S annihilates its quantum: the outgoing leg is the conjugate of the field's quantum.
    s_out = -s.pdg if s.field_is_particle else s.pdg
    term = [-f, -b if y.bar.conjugate else b, s_out]
    conj = [b if y.bar.conjugate else -b, f, -s_out]
    return term, conj


def yukawa_vertices(w: Writer, y: Yukawa, s: Scalar, colours: dict[int, int]) -> None:
    projector = y.projector
    opposite = "ProjM" if projector == "ProjP" else "ProjP"
    lor_term = w.lorentz_structure([2, 2, 1], f"{projector}(2,1)")
    lor_conj = w.lorentz_structure([2, 2, 1], f"{opposite}(2,1)")
    i_sign = "complex(0,1)" if y.sign == 1 else "-complex(0,1)"
    for i, j in itertools.product(range(3), range(3)):
        term, conj = yukawa_legs(y, s, i, j)
        name = y.parameter_name(i + 1, j + 1)
        w.vertex(
            term,
            [yukawa_colour(term, colours)],
            [lor_term],
            {(0, 0): w.coupling(f"{i_sign}*{name}", {y.order: 1})},
        )
        w.vertex(
            conj,
            [yukawa_colour(conj, colours)],
            [lor_conj],
            {(0, 0): w.coupling(f"{i_sign}*complexconjugate({name})", {y.order: 1})},
        )


def particle_source(s: Scalar) -> str:
    charge = f"{s.charge.numerator}/{s.charge.denominator}" if s.charge.denominator != 1 else str(s.charge)
    return (
        f"{s.name} = Particle(pdg_code = {s.pdg},\n    name = '{s.name}',\n    antiname = '{s.antiname}',\n"
        f"    spin = 1,\n    color = {s.color},\n    mass = Param.{s.mass_parameter},\n"
        f"    width = Param.{s.width_parameter},\n    texname = '{s.name}',\n"
        f"    antitexname = '{s.antiname}',\n    charge = {charge},\n    GhostNumber = 0,\n"
        f"    LeptonNumber = 0,\n    Y = 0)\n\n{python_name(s.antiname)} = {s.name}.anti()\n"
    )


def parameter_source(name: str, value: float, block: str, code: list[int]) -> str:
    return (
        f"{name} = Parameter(name = '{name}',\n    nature = 'external',\n    type = 'real',\n"
        f"    value = {value!r},\n    texname = '\\\\text{{{name}}}',\n    lhablock = '{block}',\n"
        f"    lhacode = {code!r})\n"
    )


def decay_source(s: Scalar, spec: ModelSpec, masses: dict[int, str], particles: dict[int, str]) -> str:
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
            key = f"(P.{python_name(particles[legs[0]])},P.{python_name(particles[legs[1]])})"
            widths[key] = (
                f"'(abs({name})**2*({M}**2 - {m1}**2 - {m2}**2)*cmath.sqrt({lam}))"
                f"/(16.*cmath.pi*abs({M})**3)'"
            )
    body = ",\n        ".join(f"{k}: {v}" for k, v in widths.items())
    return (
        f"Decay_{s.name} = Decay(name = 'Decay_{s.name}',\n    particle = P.{s.name},\n"
        f"    partial_widths = {{{body}}})\n"
    )
