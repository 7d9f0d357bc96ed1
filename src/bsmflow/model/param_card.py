"""Param cards of the model stage (rule model_param_card): one complete SLHA card per mass point
from the UFO, and the leptoquark's numbers read back from any such card.

Convention (docs/physics.md): L contains y_ij (u_R^c)bar_i e_R_j S1 + h.c., i the up-type quark
generation, j the charged-lepton generation. The card describes PDG id 42 = S1dag (colour triplet,
charge -1/3), which decays to u_i e_j^-; its antiparticle S1 decays to the conjugates.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

from ..io import atomic_output
from .slha import read_slha
from .ufo_read import default_param_card, evaluate_parameters, load_ufo, partial_widths_from_decays

UP_QUARKS = (2, 4, 6)
CHARGED_LEPTONS = (11, 13, 15)
QUARK_NAMES = {2: "u", 4: "c", 6: "t"}
LEPTON_NAMES = {11: "e-", 13: "mu-", 15: "ta-"}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecayChannel:
    """One two-body decay of the PDG-42 state: branching ratio and the products' PDG ids."""

    branching_ratio: float
    quark: int
    lepton: int


@dataclass(frozen=True)
class ParamCard:
    """The numbers the generators take from the model stage."""

    pdg_id: int
    mass_gev: float
    width_gev: float
    yukawa: tuple[tuple[float, ...], ...]
    top_mass_gev: float
    channels: tuple[DecayChannel, ...]


def partial_width(mass_gev: float, coupling: float, quark_mass_gev: float = 0.0) -> float:
    """Gamma(S -> q l) in GeV for a chiral Yukawa coupling and a massless lepton.

    Gamma = |y|^2 M / (16 pi) * (1 - m_q^2 / M^2)^2, which is |y|^2 M / (16 pi) for a massless
    quark; zero below threshold.
    """
    if quark_mass_gev >= mass_gev:
        return 0.0
    return abs(coupling) ** 2 * mass_gev / (16 * math.pi) * (1 - (quark_mass_gev / mass_gev) ** 2) ** 2


def build_param_card(
    mass_gev: float, yukawa: list[list[float]], top_mass_gev: float, pdg_id: int
) -> ParamCard:
    """Total width and branching ratios of an S1-type leptoquark (couplings to u_i e_j) from the
    3x3 Yukawa matrix, in closed form: the config check and hand-made test cards use it."""
    widths = {}
    for i, quark in enumerate(UP_QUARKS):
        for j, lepton in enumerate(CHARGED_LEPTONS):
            quark_mass = top_mass_gev if quark == 6 else 0.0
            width = partial_width(mass_gev, yukawa[i][j], quark_mass)
            if width > 0:
                widths[(quark, lepton)] = width
    total = sum(widths.values())
    if total == 0:
        raise ValueError(
            f"model.yukawa: every coupling is zero (or every open channel is closed) at M = "
            f"{mass_gev} GeV; the leptoquark would be stable"
        )
    channels = tuple(DecayChannel(width / total, quark, lepton) for (quark, lepton), width in widths.items())
    return ParamCard(
        pdg_id=pdg_id,
        mass_gev=float(mass_gev),
        width_gev=total,
        yukawa=tuple(tuple(float(y) for y in row) for row in yukawa),
        top_mass_gev=float(top_mass_gev),
        channels=channels,
    )


def format_param_card(card: ParamCard, yukawa_block: str) -> str:
    """SLHA text: MASS, the Yukawa block (y_ij) and the DECAY table of the leptoquark."""
    lines = [
        "# SLHA param card written by the bsmflow model stage",
        f"# PDG {card.pdg_id} = S1dag: colour triplet, charge -1/3; decays to u_i e_j^-",
        "# Width: Gamma = sum_ij |y_ij|^2 M / (16 pi) (1 - m_q^2/M^2)^2",
        "BLOCK MASS",
        f"  6 {card.top_mass_gev:.6e} # MT",
        f"  {card.pdg_id} {card.mass_gev:.6e} # MS1",
        f"BLOCK {yukawa_block} # y_ij: i = up-type quark generation, j = charged-lepton generation",
    ]
    for i, row in enumerate(card.yukawa, start=1):
        for j, value in enumerate(row, start=1):
            lines.append(f"  {i} {j} {value:.6e} # y{i}{j}")
    lines.append(f"DECAY {card.pdg_id} {card.width_gev:.6e} # WS1")
    lines.append("#  BR            NDA  ID1  ID2")
    for channel in card.channels:
        name = f"{QUARK_NAMES[channel.quark]} {LEPTON_NAMES[channel.lepton]}"
        lines.append(
            f"   {channel.branching_ratio:.6e}  2  {channel.quark}  {channel.lepton} # S1dag -> {name}"
        )
    return "\n".join(lines) + "\n"


def read_param_card(path: str | Path, pdg_id: int, yukawa_block: str) -> ParamCard:
    """The leptoquark's numbers from a full SLHA param card (the model stage's, or MadGraph's):
    MASS and DECAY of ``pdg_id`` with its branching ratios, the top mass and the Yukawa block
    (model.pdg_id and model.yukawa_block in the config)."""
    card = read_slha(path)
    masses = card.blocks.get("MASS", {})
    if (pdg_id,) not in masses or pdg_id not in card.decays or not card.branchings.get(pdg_id):
        raise ValueError(f"{path}: no leptoquark PDG {pdg_id} (needs MASS, DECAY and branching ratios)")
    if (6,) not in masses:
        raise ValueError(f"{path}: no top mass (MASS 6)")
    if yukawa_block.upper() not in card.blocks:
        raise ValueError(f"{path}: no Yukawa block {yukawa_block} (model.yukawa_block)")
    yukawa = [[0.0] * 3 for _ in range(3)]
    for (i, j), (value, _) in card.blocks[yukawa_block.upper()].items():
        yukawa[i - 1][j - 1] = value
    channels = tuple(DecayChannel(br, *products) for br, products in card.branchings[pdg_id])
    return ParamCard(
        pdg_id=pdg_id,
        mass_gev=masses[(pdg_id,)][0],
        width_gev=card.decays[pdg_id][0],
        yukawa=tuple(tuple(row) for row in yukawa),
        top_mass_gev=masses[(6,)][0],
        channels=channels,
    )


def add_dependent_masses(ufo_dir: str | Path, card) -> None:
    """MASS and DECAY entries of every particle whose mass or width is not a card parameter (such
    as MW, or zero), evaluated at the card, as MadGraph writes them for external programs; its
    width calculation (`DECAY ... auto`) needs them."""
    ufo = load_ufo(ufo_dir)
    values = evaluate_parameters(ufo, card)
    values["ZERO"] = 0.0
    for particle in ufo.all_particles:
        goldstone = getattr(particle, "GoldstoneBoson", False) or getattr(particle, "goldstoneboson", False)
        if particle.pdg_code <= 0 or getattr(particle, "GhostNumber", 0) or goldstone:
            continue  # antiparticles, ghosts, Goldstones
        label = f"{particle.name} (dependent)"
        if (particle.pdg_code,) not in card.blocks.get("MASS", {}):
            card.set("MASS", (particle.pdg_code,), abs(values[particle.mass.name]), label)
        if particle.pdg_code not in card.decays:
            card.set("DECAY", (particle.pdg_code,), abs(values[particle.width.name]), label)


def model_param_card(
    ufo_dir: str | Path,
    mass_gev: float,
    yukawa: list[list[float]],
    top_mass_gev: float,
    pdg_id: int,
    yukawa_block: str,
) -> tuple[str, ParamCard]:
    """The complete param card of one mass point for both generators: every external parameter of
    the UFO (MadGraph's defaults from restrict_default.dat), with the leptoquark mass, the Yukawa
    block, the top mass (MT and its Yukawa mass ymt) and DECAY pdg_id = the sum of the UFO's
    decays.py partial widths with the branching ratios."""
    card = default_param_card(ufo_dir)
    if (pdg_id,) not in card.blocks.get("MASS", {}):
        raise ValueError(f"{ufo_dir}: the UFO has no mass parameter for PDG {pdg_id} (model.pdg_id)")
    if yukawa_block.upper() not in card.blocks:
        raise ValueError(f"{ufo_dir}: the UFO has no param-card block {yukawa_block} (model.yukawa_block)")
    card.set("MASS", (pdg_id,), mass_gev)
    card.set("MASS", (6,), top_mass_gev)
    if (6,) in card.blocks.get("YUKAWA", {}):
        card.set("YUKAWA", (6,), top_mass_gev)
    for i, row in enumerate(yukawa, start=1):
        for j, value in enumerate(row, start=1):
            card.set(yukawa_block, (i, j), value)
    add_dependent_masses(ufo_dir, card)
    widths = {k: w for k, w in partial_widths_from_decays(ufo_dir, card, pdg_id).items() if w > 0}
    total = sum(widths.values())
    if total <= 0:
        raise ValueError(
            f"model.yukawa = {yukawa}: every partial width of PDG {pdg_id} vanishes at M = {mass_gev}"
        )
    card.set("DECAY", (pdg_id,), total)
    card.branchings[pdg_id] = [(w / total, products) for products, w in sorted(widths.items())]
    header = (
        "SLHA param card written by the bsmflow model stage\n"
        f"UFO: {Path(ufo_dir).name}; PDG {pdg_id} mass {mass_gev} GeV; "
        "width = sum of decays.py partial widths\n"
        "MadGraph adds QNUMBERS itself; Pythia reads MASS, DECAY and the Yukawa block"
    )
    text = card.format(header)
    return text, ParamCard(
        pdg_id=pdg_id,
        mass_gev=float(mass_gev),
        width_gev=total,
        yukawa=tuple(tuple(float(v) for v in row) for row in yukawa),
        top_mass_gev=float(top_mass_gev),
        channels=tuple(DecayChannel(w / total, *products) for products, w in sorted(widths.items())),
    )


def write_param_card(
    ufo_dir: str | Path,
    output: str | Path,
    *,
    mass_gev: float,
    yukawa: list[list[float]],
    top_mass_gev: float,
    pdg_id: int,
    yukawa_block: str,
) -> ParamCard:
    """:func:`model_param_card` written atomically to ``output``."""
    text, card = model_param_card(ufo_dir, mass_gev, yukawa, top_mass_gev, pdg_id, yukawa_block)
    with atomic_output(output) as tmp:
        Path(tmp).write_text(text)
    log.info(
        "M = %g GeV, width = %.6g GeV, %d decay channel(s)", card.mass_gev, card.width_gev, len(card.channels)
    )
    return card
