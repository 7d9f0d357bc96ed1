"""Detector cards (config/detectors/<name>.yaml): reading and checking them.

A card describes, per object type (``electron``, ``muon``, ``jet``), the response as formulas of
the particle-level object's ``pt``, ``eta`` and ``energy`` (GeV), written in Python syntax
(``**`` for powers, ``&``/``|`` for and/or of comparisons): the Delphes card syntax with ``^``
replaced by ``**`` and ``&&`` by ``&``. Only arithmetic, comparisons and the functions in
:data:`FUNCTIONS` are allowed, so a card is data, not code.

- ``efficiency``: a list of factors {name, formula, source}; an object is kept with the product
  of the factors (each in [0, 1]).
- ``resolution``: {variable: energy | pt, formula, source}: the relative resolution
  sigma_X / X; the object's four-momentum is scaled by 1 + (sigma_X / X) z, z ~ N(0, 1) (angles
  kept).
- ``energy_scale`` (jets): {formula, source}: a multiplicative response applied before the
  smearing.

Every entry cites its public source (``source``, required).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

OBJECTS = ("electron", "muon", "jet")
VARIABLES = ("pt", "eta", "energy")
FUNCTIONS = {
    "abs": np.abs,
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "minimum": np.minimum,
    "maximum": np.maximum,
    "where": np.where,
}
_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.BitAnd,
    ast.BitOr,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Eq,
    ast.NotEq,
)
# where the card's formulas are checked: pT 1 GeV - 6.5 TeV, |eta| < 5
_PT_GRID = np.geomspace(1.0, 6500.0, 60)
_ETA_GRID = np.linspace(-5.0, 5.0, 41)


class CardError(ValueError):
    """A detector card that cannot be used; the message names the file, the key and the value."""


@dataclass(frozen=True)
class Formula:
    """A checked formula of pt, eta and energy (GeV), with its source."""

    text: str
    source: str
    code: object

    def __call__(self, pt: np.ndarray, eta: np.ndarray, energy: np.ndarray) -> np.ndarray:
        values = eval(self.code, {"__builtins__": {}}, {**FUNCTIONS, "pt": pt, "eta": eta, "energy": energy})
        return np.broadcast_to(np.asarray(values, dtype=np.float64), np.shape(pt))


@dataclass(frozen=True)
class Response:
    """The response of one object type: efficiency factors (name -> formula), the relative
    resolution of ``resolution_variable`` and (jets) the energy scale. None: no such effect."""

    efficiency: dict[str, Formula]
    resolution: Formula | None
    resolution_variable: str | None
    energy_scale: Formula | None


@dataclass(frozen=True)
class DetectorCard:
    name: str
    path: str
    description: str
    responses: dict[str, Response]


def compile_formula(text, where: str) -> object:
    """The compiled formula, or CardError naming ``where`` for anything but arithmetic of pt,
    eta, energy, numbers and the allowed functions."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise CardError(f"{where} = {text!r}: a formula must be a string or a number")
    try:
        tree = ast.parse(str(text), mode="eval")
    except SyntaxError as error:
        raise CardError(f"{where} = {text!r}: not a formula ({error.msg})") from error
    for node in ast.walk(tree):
        if not isinstance(node, _NODES):
            raise CardError(f"{where} = {text!r}: {type(node).__name__} is not allowed in a formula")
        if isinstance(node, ast.Name) and node.id not in (*VARIABLES, *FUNCTIONS):
            raise CardError(
                f"{where} = {text!r}: unknown name {node.id!r}; allowed: {[*VARIABLES, *FUNCTIONS]}"
            )
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and not node.keywords):
            raise CardError(f"{where} = {text!r}: only plain calls of {sorted(FUNCTIONS)} are allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise CardError(f"{where} = {text!r}: constant {node.value!r} is not a number")
    # numbers become floats: integer arithmetic on constants (9 ** 9 ** 9) is exact and unbounded
    # in Python and would not finish; in floats it overflows at once and is refused
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
            node.value = float(node.value)
    return compile(tree, where, "eval")


def _formula(entry, where: str, low: float, high: float | None) -> Formula:
    """A {formula, source} entry, evaluated on a pT x eta grid and required in [low, high]."""
    if not isinstance(entry, dict) or set(entry) - {"formula", "source", "name", "variable"}:
        raise CardError(f"{where} = {entry!r}: expected a mapping with formula and source")
    for key in ("formula", "source"):
        if key not in entry:
            raise CardError(f"{where}: missing '{key}' (every number of a card cites its source)")
    if not isinstance(entry["source"], str) or not entry["source"].strip():
        raise CardError(f"{where}.source = {entry['source']!r}: must name the public source")
    formula = Formula(
        str(entry["formula"]), entry["source"], compile_formula(entry["formula"], f"{where}.formula")
    )
    pt, eta = np.meshgrid(_PT_GRID, _ETA_GRID)
    try:
        with np.errstate(all="ignore"):
            values = formula(pt, eta, pt * np.cosh(eta))
    except Exception as error:
        raise CardError(f"{where}.formula = {formula.text!r}: cannot be evaluated ({error})") from error
    bad = ~np.isfinite(values) | (values < low) | (high is not None and values > high)
    if bad.any():
        i = np.argwhere(bad)[0]
        allowed = f"[{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        raise CardError(
            f"{where}.formula = {formula.text!r}: gives {values[tuple(i)]!r} at pt = "
            f"{pt[tuple(i)]:.4g} GeV, eta = {eta[tuple(i)]:.3g}; must be finite and in {allowed}"
        )
    return formula


def _response(block, where: str) -> Response:
    if not isinstance(block, dict) or set(block) - {"efficiency", "resolution", "energy_scale"}:
        raise CardError(
            f"{where} = {block!r}: expected a mapping with efficiency, resolution and (jets) energy_scale"
        )
    factors = block.get("efficiency") or []
    if not isinstance(factors, list):
        raise CardError(f"{where}.efficiency = {factors!r}: expected a list of factors")
    efficiency = {}
    for i, factor in enumerate(factors):
        name = factor.get("name") if isinstance(factor, dict) else None
        if not isinstance(name, str) or name in efficiency:
            raise CardError(f"{where}.efficiency[{i}].name = {name!r}: each factor needs its own name")
        efficiency[name] = _formula(factor, f"{where}.efficiency[{i}]", 0.0, 1.0)
    resolution, variable = None, None
    if block.get("resolution") is not None:
        variable = block["resolution"].get("variable") if isinstance(block["resolution"], dict) else None
        if variable not in ("energy", "pt"):
            raise CardError(f"{where}.resolution.variable = {variable!r}: must be 'energy' or 'pt'")
        resolution = _formula(block["resolution"], f"{where}.resolution", 0.0, None)
    scale = None
    if block.get("energy_scale") is not None:
        scale = _formula(block["energy_scale"], f"{where}.energy_scale", 1e-6, None)
    return Response(efficiency, resolution, variable, scale)


def load_card(path: str | Path) -> DetectorCard:
    """Read and check a detector card; CardError names the file, the key and the value."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise CardError(f"{path}: cannot read the detector card ({error})") from error
    if not isinstance(data, dict):
        raise CardError(f"{path}: a detector card is a mapping, got {type(data).__name__}")
    unknown = set(data) - {"name", "description", *OBJECTS}
    if unknown:
        raise CardError(
            f"{path}: unknown key(s) {sorted(unknown)}; allowed: name, description, {list(OBJECTS)}"
        )
    try:
        responses = {obj: _response(data.get(obj) or {}, obj) for obj in OBJECTS}
    except CardError as error:
        raise CardError(f"{path}: {error}") from None
    return DetectorCard(
        str(data.get("name", path.stem)), str(path), str(data.get("description", "")), responses
    )


DETECTORS_DIR = "config/detectors"  # detector cards: <DETECTORS_DIR>/<name>.yaml


def card_path(name: str, directory: str | Path = DETECTORS_DIR) -> Path:
    """Where the card called ``name`` lives."""
    return Path(directory) / f"{name}.yaml"
