"""Seven-point (mu_R, mu_F) scale variations of the hard process as per-event weights, computed
from what each event carries: the momentum fractions x1, x2, the incoming parton ids, the
renormalisation and factorisation scales and the power of alpha_s of the process.

    w(k_R, k_F) = w x [alpha_s(k_R mu_R) / alpha_s(mu_R)]^n
                    x f1(x1, k_F mu_F) f2(x2, k_F mu_F) / [f1(x1, mu_F) f2(x2, mu_F)]

alpha_s runs as the generator ran it (Pythia: its SigmaProcess AlphaStrong; MadGraph: two-loop
running from alpha_s(M_Z) of the PDF, MadGraph's alfas_functions.f) and every event's stored
alpha_s (AQCDUP) is checked against it, which also checks mu_R. The PDF is the set the events
were generated with, evaluated with Pythia's built-in copy (NNPDF2.3 LO; MadGraph's nn23lo1 is
the same set).

The power n of alpha_s is the number of coloured particles the hard scattering produces directly
(LHE mothers 1 and 2): 2 for q qbar / g g -> S S*, t tbar; 0 for Drell-Yan and dibosons; 1 or 2
for Drell-Yan + 1 or 2 partons. This is the tree-level QCD order of processes whose QCD couplings
all attach to coloured final-state particles (true for every process of this workflow; not for,
e.g., an electroweak q qbar -> t tbar).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# (k_R, k_F): mu_R -> k_R mu_R, mu_F -> k_F mu_F; the first point is the nominal one
SCALE_POINTS = ((1.0, 1.0), (2.0, 2.0), (0.5, 0.5), (2.0, 1.0), (1.0, 2.0), (0.5, 1.0), (1.0, 0.5))
WEIGHT_GROUP = "scale_variation"
ALPHA_S_TOLERANCE = 2e-4  # relative; AQCDUP is written with 7 (MadGraph) or 9 (ours) digits
MADGRAPH_Z_MASS = 91.188  # GeV, alfas_functions.f
MADGRAPH_B_MASS = 4.7  # GeV: below it MadGraph runs with 4 flavours (not needed here)


def factor_text(factor: float) -> str:
    """2 -> '2', 0.5 -> '0p5': weight ids without dots (they become ROOT branch-like names)."""
    return f"{factor:g}".replace(".", "p")


def scale_weight_id(k_r: float, k_f: float) -> str:
    return f"muR_{factor_text(k_r)}_muF_{factor_text(k_f)}"


SCALE_IDS = tuple(scale_weight_id(k_r, k_f) for k_r, k_f in SCALE_POINTS)
NOMINAL_ID = SCALE_IDS[0]


@dataclass(frozen=True)
class HardScatterings:
    """Per-event arrays of what the reweighting needs (scales in GeV)."""

    x1: np.ndarray
    x2: np.ndarray
    id1: np.ndarray
    id2: np.ndarray
    mu_r: np.ndarray
    mu_f: np.ndarray
    n_alpha_s: np.ndarray
    alpha_s: np.ndarray  # the value each event was generated with (AQCDUP)


def alpha_s_power(particles) -> int:
    """Power of alpha_s of an LHE event: the coloured particles the hard scattering produced
    directly (mothers 1 and 2; decay products of resonances are not counted)."""
    return sum(
        1
        for p in particles
        if p.status in (1, 2) and (p.mother1, p.mother2) == (1, 2) and (p.color1 or p.color2)
    )


def two_loop_primitive(n_flavours: int = 5) -> tuple[Callable[[float], float], float, float]:
    """F(a) = 1 / (b0 a) + b1 / b0^2 ln(a / (b0 + b1 a)), whose differences give ln(Q^2/Q0^2)
    under two-loop running (dF/da = -1 / (a^2 (b0 + b1 a))), with b0 and b1."""
    b0 = (33 - 2 * n_flavours) / (12 * math.pi)
    b1 = (153 - 19 * n_flavours) / (24 * math.pi**2)
    return (lambda a: 1 / (b0 * a) + b1 / b0**2 * math.log(a / (b0 + b1 * a))), b0, b1


def two_loop_alpha_s(alpha_s_mz: float, n_flavours: int = 5) -> Callable[[float], float]:
    """alpha_s(Q) of MadGraph's LO running: the two-loop beta function solved exactly from
    alpha_s(M_Z) with 5 flavours (valid above the b mass, where every scale here is):
    ln(Q^2 / M_Z^2) = F(a) - F(a_Z), solved for a by Newton's method."""
    primitive, b0, b1 = two_loop_primitive(n_flavours)
    f_z = primitive(alpha_s_mz)

    def alpha_s(q: float) -> float:
        if q < MADGRAPH_B_MASS:
            raise ValueError(f"alpha_s at {q:g} GeV: below the b mass (only 5-flavour running here)")
        target = math.log(q**2 / MADGRAPH_Z_MASS**2) + f_z
        a = alpha_s_mz / (1 + alpha_s_mz * b0 * math.log(q**2 / MADGRAPH_Z_MASS**2))  # one loop
        for _ in range(50):  # Newton on F(a) = target; dF/da = -1 / (a^2 (b0 + b1 a))
            step = (primitive(a) - target) * a**2 * (b0 + b1 * a)
            a += step
            if abs(step) < 1e-15 * a:
                break
        return a

    return alpha_s


def two_loop_scale(alpha_s_mz: float, n_flavours: int = 5) -> Callable[[float], float]:
    """The inverse of :func:`two_loop_alpha_s`: the scale Q (GeV) at which the running gives a
    value a, Q = M_Z exp([F(a) - F(a_Z)] / 2) in closed form."""
    primitive, _, _ = two_loop_primitive(n_flavours)
    f_z = primitive(alpha_s_mz)
    return lambda a: MADGRAPH_Z_MASS * math.exp((primitive(a) - f_z) / 2)


def pythia_alpha_s(pythia) -> Callable[[float], float]:
    """alpha_s(Q) of Pythia's hard processes (SigmaProcess:alphaSvalue/alphaSorder, with
    StandardModel:alphaSnfmax), as SigmaProcess initialises it."""
    import pythia8mc

    running = pythia8mc.AlphaStrong()
    running.init(
        pythia.parm("SigmaProcess:alphaSvalue"),
        pythia.mode("SigmaProcess:alphaSorder"),
        pythia.mode("StandardModel:alphaSnfmax"),
        False,
    )
    return lambda q: running.alphaS(q * q)


def proton_pdf(pythia_pset: int | str):
    """x f(x, Q^2) of the proton from Pythia's built-in copy of a PDF set (PDF:pSet), with the
    Pythia object that owns it (keep both alive)."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in ("ProcessLevel:all = off", f"PDF:pSet = {pythia_pset}", "Print:quiet = on"):
        pythia.readString(line)
    if not pythia.init():
        raise RuntimeError(f"Pythia could not initialise the PDF set PDF:pSet = {pythia_pset}")
    return pythia.getPDFPtr(2212), pythia


def check_alpha_s(events: HardScatterings, alpha_s: Callable[[float], float], source: str) -> None:
    """Every event's stored alpha_s must be alpha_s(mu_R) of the running used here: a wrong
    mu_R, alpha_s(M_Z) or running order would make every weight wrong."""
    expected = np.array([alpha_s(q) for q in events.mu_r])
    deviation = np.abs(expected / events.alpha_s - 1)
    worst = int(np.argmax(deviation)) if len(deviation) else 0
    if len(deviation) and deviation[worst] > ALPHA_S_TOLERANCE:
        raise ValueError(
            f"{source}: event {worst} carries alpha_s = {events.alpha_s[worst]:.7g} at mu_R = "
            f"{events.mu_r[worst]:.6g} GeV, the reweighting's running gives {expected[worst]:.7g}: "
            "the generator's scale or alpha_s is not the one assumed"
        )


def scale_ratios(
    events: HardScatterings,
    alpha_s: Callable[[float], float],
    xf: Callable[[int, float, float], float],
    points=SCALE_POINTS,
) -> np.ndarray:
    """(n_events, n_points) weight ratios w(k_R, k_F) / w; exactly 1 for (1, 1).
    ``xf(id, x, Q^2)`` is x f(x, Q^2) of the proton (Pythia's PDF::xf)."""
    n = len(events.x1)
    ratios = np.ones((n, len(points)))
    cache: dict[tuple[int, float], float] = {}

    def pdf_product(i: int, k_f: float) -> float:
        key = (i, k_f)
        if key not in cache:
            q2 = (k_f * events.mu_f[i]) ** 2
            cache[key] = xf(int(events.id1[i]), events.x1[i], q2) * xf(int(events.id2[i]), events.x2[i], q2)
        return cache[key]

    for i in range(n):
        a_nominal = alpha_s(events.mu_r[i])
        for j, (k_r, k_f) in enumerate(points):
            if (k_r, k_f) == (1.0, 1.0):
                continue
            alpha_ratio = (alpha_s(k_r * events.mu_r[i]) / a_nominal) ** int(events.n_alpha_s[i])
            ratios[i, j] = alpha_ratio * pdf_product(i, k_f) / pdf_product(i, 1.0)
    return ratios


def hard_scatterings_from_lhe(path: str, sqrt_s_gev: float, scale_of_alpha_s=None) -> HardScatterings:
    """What the reweighting needs, from the events of an LHE file in which mu_R = mu_F = SCALUP
    (MadGraph at LO): x = E / E_beam of each incoming parton (massless, along the beam), the
    beam-1 parton being the one moving along +z. With ``scale_of_alpha_s`` (the inverse running,
    for MLM-matched MadGraph events, whose alpha_s is that of the core process after the
    kT clustering, not always alpha_s(SCALUP)) mu_R is the scale where the running gives the
    event's alpha_s; mu_F stays SCALUP."""
    import pylhe

    columns: dict[str, list] = {name: [] for name in ("x1", "x2", "id1", "id2", "scale", "n", "alpha_s")}
    beam_energy = sqrt_s_gev / 2
    for event in pylhe.LHEFile.fromfile(path).events:
        incoming = sorted((p for p in event.particles if p.status == -1), key=lambda p: -p.pz)
        if len(incoming) != 2:
            raise ValueError(f"{path}: an event with {len(incoming)} incoming partons")
        columns["x1"].append(incoming[0].e / beam_energy)
        columns["x2"].append(incoming[1].e / beam_energy)
        columns["id1"].append(int(incoming[0].id))
        columns["id2"].append(int(incoming[1].id))
        columns["scale"].append(event.eventinfo.scale)
        columns["n"].append(alpha_s_power(event.particles))
        columns["alpha_s"].append(event.eventinfo.aqcd)
    scale = np.array(columns["scale"])
    alpha_s = np.array(columns["alpha_s"])
    mu_r = scale if scale_of_alpha_s is None else np.array([scale_of_alpha_s(a) for a in alpha_s])
    return HardScatterings(
        x1=np.array(columns["x1"]),
        x2=np.array(columns["x2"]),
        id1=np.array(columns["id1"]),
        id2=np.array(columns["id2"]),
        mu_r=mu_r,
        mu_f=scale,
        n_alpha_s=np.array(columns["n"]),
        alpha_s=alpha_s,
    )
