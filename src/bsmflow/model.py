"""Minimal S1 leptoquark model stage: partial widths, branching ratios and an SLHA param card.

Convention (see PHYSICS.md): L contains y_ij (u_R^c)bar_i e_R_j S1 + h.c., i the up-type quark
generation, j the charged-lepton generation. The card describes PDG id 42 = S1dag (colour triplet,
charge -1/3), which decays to u_i e_j^-; its antiparticle S1 decays to the conjugates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

UP_QUARKS = (2, 4, 6)
CHARGED_LEPTONS = (11, 13, 15)
QUARK_NAMES = {2: "u", 4: "c", 6: "t"}
LEPTON_NAMES = {11: "e-", 13: "mu-", 15: "ta-"}


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
    mass_gev: float, yukawa: list[list[float]], top_mass_gev: float, pdg_id: int = 42
) -> ParamCard:
    """Total width and branching ratios of the leptoquark from the 3x3 Yukawa matrix."""
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


def format_param_card(card: ParamCard) -> str:
    """SLHA text: MASS, the YUKS1 block (y_ij) and the DECAY table of the PDG-42 state."""
    lines = [
        "# SLHA param card written by the bsmflow model stage",
        f"# PDG {card.pdg_id} = S1dag: colour triplet, charge -1/3; decays to u_i e_j^-",
        "# Width: Gamma = sum_ij |y_ij|^2 M / (16 pi) (1 - m_q^2/M^2)^2",
        "BLOCK MASS",
        f"  6 {card.top_mass_gev:.6e} # MT",
        f"  {card.pdg_id} {card.mass_gev:.6e} # MS1",
        "BLOCK YUKS1 # y_ij: i = up-type quark generation, j = charged-lepton generation",
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


def read_param_card(path: str | Path) -> ParamCard:
    """Parse a card written by :func:`format_param_card` (a subset of SLHA)."""
    text = Path(path).read_text()
    masses: dict[int, float] = {}
    yukawa = [[0.0] * 3 for _ in range(3)]
    channels: list[DecayChannel] = []
    pdg_id = width = None
    block = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        keyword = words[0].upper()
        if keyword == "BLOCK":
            block = words[1].upper()
        elif keyword == "DECAY":
            block, pdg_id, width = "DECAY", int(words[1]), float(words[2])
        elif block == "MASS":
            masses[int(words[0])] = float(words[1])
        elif block == "YUKS1":
            yukawa[int(words[0]) - 1][int(words[1]) - 1] = float(words[2])
        elif block == "DECAY":
            channels.append(DecayChannel(float(words[0]), int(words[2]), int(words[3])))
    if pdg_id is None or pdg_id not in masses or not channels:
        raise ValueError(f"{path}: not a leptoquark param card (needs MASS, DECAY and channels)")
    return ParamCard(
        pdg_id=pdg_id,
        mass_gev=masses[pdg_id],
        width_gev=width,
        yukawa=tuple(tuple(row) for row in yukawa),
        top_mass_gev=masses.get(6, 172.5),
        channels=tuple(channels),
    )


def pythia_leptoquark_settings(card: ParamCard, alpha_em_at_mass: float) -> list[str]:
    """Pythia 8 settings that make its built-in LQ (PDG 42) the model point of the param card.

    Pythia's LQ carries one quark-lepton flavour pair, so the card must have a single channel.
    Width forced to the card's value; kCoup = y^2 / (4 pi alpha_em(M^2)) reproduces both the
    width (Pythia: Gamma = kCoup alpha_em M / 4) and the t-channel lepton exchange in qqbar.
    """
    if card.pdg_id != 42:
        raise ValueError(f"Pythia's built-in leptoquark is PDG 42, the param card has {card.pdg_id}")
    if len(card.channels) != 1:
        names = ", ".join(f"{c.quark} {c.lepton}" for c in card.channels)
        raise ValueError(
            "Pythia's built-in leptoquark couples to one quark-lepton pair; the param card has "
            f"channels {names}: keep one non-zero model.yukawa entry or use generator: madgraph"
        )
    (channel,) = card.channels
    coupling = card.yukawa[UP_QUARKS.index(channel.quark)][CHARGED_LEPTONS.index(channel.lepton)]
    k_coup = coupling**2 / (4 * math.pi * alpha_em_at_mass)
    return [
        f"42:m0 = {card.mass_gev:.6f}",
        f"42:mWidth = {card.width_gev:.8e}",
        "42:doForceWidth = on",
        f"42:mMin = {max(card.mass_gev - 50 * card.width_gev, 1.0):.6f}",
        f"42:mMax = {card.mass_gev + 50 * card.width_gev:.6f}",
        f"42:0:products = {channel.quark} {channel.lepton}",
        f"LeptoQuark:kCoup = {k_coup:.8e}",
    ]
