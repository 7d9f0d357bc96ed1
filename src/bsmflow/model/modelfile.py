"""Declarative model files (config/models/*.yaml) for renormalizable scalar extensions of the SM.

A model file declares new scalars by gauge representation and their Yukawa couplings to SM
fermion bilinears; :mod:`bsmflow.ufo` turns it into a UFO directory. Every problem is reported as
``<file>: <key> = <value>: <what is wrong>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

# SM fermion families by the name used in model files: PDG ids per generation, colour, charge.
FERMIONS = {
    "u": ((2, 4, 6), 3, Fraction(2, 3)),
    "d": ((1, 3, 5), 3, Fraction(-1, 3)),
    "e": ((11, 13, 15), 1, Fraction(-1)),
    "nu": ((12, 14, 16), 1, Fraction(0)),
}
SU3 = {"1": 1, "3": 3, "3bar": -3}


class ModelFileError(ValueError):
    """A model file that cannot describe a consistent model."""


@dataclass(frozen=True)
class Scalar:
    """A new complex scalar. ``color`` and ``charge`` are those of the UFO particle with the
    positive PDG id (the field itself, or its conjugate when ``pdg_particle == 'conjugate'``)."""

    field: str
    name: str
    pdg: int
    color: int
    charge: Fraction
    hypercharge: Fraction
    field_is_particle: bool
    mass_parameter: str
    mass_default: float
    width_parameter: str

    @property
    def antiname(self) -> str:
        return f"{self.name}~"


@dataclass(frozen=True)
class FermionSlot:
    family: str
    chirality: str
    conjugate: bool = False


@dataclass(frozen=True)
class Yukawa:
    """sign y_ij (B_i)bar P F_j S + h.c., B optionally charge-conjugated ((B^c)bar = B^T C).
    Terms that share ``parameter`` (and block) share one matrix: the components of one SU(2)
    contraction, e.g. y (Q^c)bar i sigma_2 L S1 = y [(u^c)bar e - (d^c)bar nu] S1 (sign -1)."""

    name: str
    scalar: str
    block: str
    parameter: str
    order: str
    bar: FermionSlot
    field: FermionSlot
    values: tuple[tuple[float, ...], ...]
    sign: int = 1

    def parameter_name(self, i: int, j: int) -> str:
        return f"{self.parameter}{i}x{j}"

    @property
    def projector(self) -> str:
        """Chirality projector acting on F in the term as written."""
        return "ProjP" if self.field.chirality == "R" else "ProjM"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    base_ufo: str
    scalars: tuple[Scalar, ...]
    yukawas: tuple[Yukawa, ...]
    source: str = ""

    def scalar(self, field: str) -> Scalar:
        return next(s for s in self.scalars if s.field == field)


def _fraction(text, where: str) -> Fraction:
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise ModelFileError(f"{where} = {text!r}: not a number or fraction such as 1/3") from None


def _need(mapping: dict, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise ModelFileError(f"{where}.{key}: missing")
    return mapping[key]


def _slot(raw, where: str) -> FermionSlot:
    family = _need(raw, "fermion", where)
    if family not in FERMIONS:
        raise ModelFileError(f"{where}.fermion = {family!r}: allowed {sorted(FERMIONS)}")
    chirality = _need(raw, "chirality", where)
    if chirality not in ("L", "R"):
        raise ModelFileError(f"{where}.chirality = {chirality!r}: allowed 'L' or 'R'")
    if family == "nu" and chirality == "R":
        raise ModelFileError(f"{where}: the SM has no right-handed neutrino")
    return FermionSlot(family, chirality, bool(raw.get("conjugate", False)))


def _scalar(field: str, raw: dict, where: str) -> Scalar:
    su3 = str(_need(raw, "su3", where))
    if su3 not in SU3:
        raise ModelFileError(f"{where}.su3 = {su3!r}: allowed {sorted(SU3)}")
    su2 = str(_need(raw, "su2", where))
    if su2 != "1":
        raise ModelFileError(f"{where}.su2 = {su2!r}: only SU(2) singlets ('1') are supported")
    hypercharge = _fraction(_need(raw, "hypercharge", where), f"{where}.hypercharge")
    pdg = _need(raw, "pdg", where)
    if not isinstance(pdg, int) or pdg <= 0:
        raise ModelFileError(f"{where}.pdg = {pdg!r}: a positive integer")
    pdg_particle = raw.get("pdg_particle", "field")
    if pdg_particle not in ("field", "conjugate"):
        raise ModelFileError(f"{where}.pdg_particle = {pdg_particle!r}: allowed 'field' or 'conjugate'")
    field_is_particle = pdg_particle == "field"
    sign = 1 if field_is_particle else -1
    name = str(_need(raw, "name", where))
    if not name.isidentifier():
        raise ModelFileError(f"{where}.name = {name!r}: a UFO particle name must be an identifier")
    mass = _need(raw, "mass", where)
    width = _need(raw, "width", where)
    return Scalar(
        field=field,
        name=name,
        pdg=pdg,
        color=sign * SU3[su3] if SU3[su3] != 1 else 1,
        charge=sign * hypercharge,  # SU(2) singlet: Q = Y
        hypercharge=hypercharge,
        field_is_particle=field_is_particle,
        mass_parameter=str(_need(mass, "parameter", f"{where}.mass")),
        mass_default=float(_need(mass, "default", f"{where}.mass")),
        width_parameter=str(_need(width, "parameter", f"{where}.width")),
    )


def _outgoing(slot: FermionSlot, role: str, generation: int) -> tuple[int, int, Fraction]:
    """PDG id, colour and charge of the outgoing particle a fermion field slot stands for in the
    term as written: (B)bar creates B; (B^c)bar and F annihilate B, F (outgoing antiparticles)."""
    pdgs, color, charge = FERMIONS[slot.family]
    particle = role == "bar" and not slot.conjugate
    pdg = pdgs[generation] if particle else -pdgs[generation]
    return pdg, (color if particle else -color if color != 1 else 1), (charge if particle else -charge)


def check_yukawa(yukawa: Yukawa, scalar: Scalar, where: str) -> None:
    """Chirality, colour and charge of y (B)bar P F S: a consistent, gauge-invariant term."""
    bar, field = yukawa.bar, yukawa.field
    # (B)bar P_X F needs B of the opposite chirality; (B^c)bar P_X F needs B of the same one.
    if (bar.chirality == field.chirality) != bar.conjugate:
        raise ModelFileError(
            f"{where}: (({bar.family}_{bar.chirality}{'^c' if bar.conjugate else ''})bar "
            f"{field.family}_{field.chirality}) is not a scalar bilinear: the chiralities must "
            f"{'agree' if bar.conjugate else 'differ'}"
        )
    _, cb, qb = _outgoing(bar, "bar", 0)
    _, cf, qf = _outgoing(field, "field", 0)
    # the field S annihilates its particle: outgoing conjugate of the field's quantum
    qs = -scalar.hypercharge
    cs = -field_su3(scalar) if field_su3(scalar) != 1 else 1
    if qb + qf + qs != 0:
        raise ModelFileError(
            f"{where}: the term violates electric charge ({qb} + {qf} + {qs} = {qb + qf + qs} "
            f"for the outgoing states)"
        )
    colours = sorted(c for c in (cb, cf, cs) if c != 1)
    if colours not in ([], [-3, 3]):
        raise ModelFileError(f"{where}: colour {cb} x {cf} x {cs} has no singlet built from delta_ij")
    if bar.chirality == field.chirality == "R":
        # right-handed singlets: Y = Q; (B)bar carries -Y(B), (B^c)bar = B^T C carries +Y(B)
        y_bar = FERMIONS[bar.family][2] if bar.conjugate else -FERMIONS[bar.family][2]
        total = y_bar + FERMIONS[field.family][2] + scalar.hypercharge
        if total != 0:
            raise ModelFileError(f"{where}: the term violates hypercharge (sum {total})")
    # Terms with left-handed fields take doublet components as given: the SU(2) contraction
    # is the model file's responsibility (documented in docs/your-model.md).


def field_su3(scalar: Scalar) -> int:
    """SU(3) representation of the Lagrangian field (1, 3 or -3 for 3bar)."""
    return scalar.color if scalar.field_is_particle else (-scalar.color if scalar.color != 1 else 1)


def _yukawa(name: str, raw: dict, scalars: dict[str, Scalar], where: str) -> Yukawa:
    scalar = _need(raw, "scalar", where)
    if scalar not in scalars:
        raise ModelFileError(f"{where}.scalar = {scalar!r}: declared scalars are {sorted(scalars)}")
    values = raw.get("values", [[0.0] * 3] * 3)
    if (
        not isinstance(values, list)
        or len(values) != 3
        or any(not isinstance(row, list) or len(row) != 3 for row in values)
        or any(not isinstance(v, (int, float)) for row in values for v in row)
    ):
        raise ModelFileError(f"{where}.values = {values!r}: a 3x3 matrix of numbers")
    yukawa = Yukawa(
        name=name,
        scalar=scalar,
        block=str(_need(raw, "block", where)).upper(),
        parameter=str(_need(raw, "parameter", where)),
        order=str(raw.get("order", "NP")),
        bar=_slot(_need(raw, "bar", where), f"{where}.bar"),
        field=_slot(_need(raw, "field", where), f"{where}.field"),
        values=tuple(tuple(float(v) for v in row) for row in values),
        sign=raw.get("sign", 1),
    )
    if yukawa.sign not in (1, -1):
        raise ModelFileError(f"{where}.sign = {yukawa.sign!r}: allowed 1 or -1")
    if yukawa.field.conjugate:
        raise ModelFileError(f"{where}.field.conjugate: only the barred fermion can be conjugated")
    check_yukawa(yukawa, scalars[scalar], where)
    return yukawa


def shared_parameter_errors(yukawas: tuple[Yukawa, ...]) -> None:
    """Terms that share a parameter matrix must agree on its block, default values and order, and
    a block holds one matrix."""
    first: dict[str, Yukawa] = {}
    blocks: dict[str, str] = {}
    for y in yukawas:
        if blocks.setdefault(y.block, y.parameter) != y.parameter:
            raise ModelFileError(
                f"yukawas.{y.name}.block = {y.block!r}: holds the matrix {blocks[y.block]!r} already "
                f"(terms of one matrix share its parameter)"
            )
        seen = first.setdefault(y.parameter, y)
        for key in ("block", "values", "order", "scalar"):
            if getattr(seen, key) != getattr(y, key):
                raise ModelFileError(
                    f"yukawas.{y.name}.{key} = {getattr(y, key)!r}: the term shares parameter "
                    f"{y.parameter!r} with {seen.name}, whose {key} is {getattr(seen, key)!r}"
                )


def load_model_file(path: str | Path) -> ModelSpec:
    """Read and check a model file; every error names the file and the key."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as error:
        raise ModelFileError(f"{path}: cannot read the model file ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ModelFileError(f"{path}: not valid YAML ({error})") from None
    try:
        if not isinstance(raw, dict):
            raise ModelFileError("(top level): a mapping with name, scalars and yukawas")
        scalars = {}
        for field, spec in (_need(raw, "scalars", "model") or {}).items():
            scalars[field] = _scalar(field, spec, f"scalars.{field}")
        yukawas = tuple(
            _yukawa(name, spec, scalars, f"yukawas.{name}")
            for name, spec in (raw.get("yukawas") or {}).items()
        )
        shared_parameter_errors(yukawas)
        pdgs = [s.pdg for s in scalars.values()]
        if len(set(pdgs)) != len(pdgs):
            raise ModelFileError(f"scalars: PDG ids {pdgs} are not unique")
        return ModelSpec(
            name=str(_need(raw, "name", "model")),
            description=str(raw.get("description", "")).strip(),
            base_ufo=str(raw.get("base_ufo", "ufo-sm")),
            scalars=tuple(scalars.values()),
            yukawas=yukawas,
            source=str(path),
        )
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
