"""Analytic pair-production kinematics and cross sections of a scalar colour triplet of mass
M_S, shared by the UFO physics tests (ufoamp) and the MadGraph model tests."""

import math

import numpy as np

M_S = 1000.0


def two_body(sqrt_s, cos_theta, m3=M_S, m4=M_S, phi=0.3):
    e = sqrt_s / 2
    p = math.sqrt((sqrt_s**2 - (m3 + m4) ** 2) * (sqrt_s**2 - (m3 - m4) ** 2)) / (2 * sqrt_s)
    sin = math.sqrt(1 - cos_theta**2)
    p3 = np.array([math.hypot(p, m3), p * sin * math.cos(phi), p * sin * math.sin(phi), p * cos_theta])
    p4 = np.array([math.hypot(p, m4), -p3[1], -p3[2], -p3[3]])
    return [np.array([e, 0, 0, e]), np.array([e, 0, 0, -e]), p3, p4]


def mandelstam(momenta):
    k = momenta[0] - momenta[2]
    s = (momenta[0][0] + momenta[1][0]) ** 2
    t = k[0] ** 2 - k[1:] @ k[1:]
    return s, t, 2 * M_S**2 - s - t


def dsigma_dt_gg(s, t, u, alpha_s):
    """g g -> S S* for a scalar colour triplet (the squark-pair formula, also Pythia's)."""
    m2 = M_S**2
    return (
        (math.pi / s**2)
        * 0.5
        * alpha_s**2
        * (7 / 48 + 3 * (u - t) ** 2 / (16 * s**2))
        * (1 + 2 * m2 * t / (t - m2) ** 2 + 2 * m2 * u / (u - m2) ** 2 + 4 * m2**2 / ((t - m2) * (u - m2)))
    )


def dsigma_dt_qqbar(s, t, u, alpha_s, y=0.0, coupled=False):
    """q q~ -> S S*: s-channel gluon, plus for the coupled quark (u for y_11) the t-channel lepton
    exchange, derived with colour factors |C_s|^2 = 2, |C_t|^2 = 9, C_s C_t^* = 4 (averaged 1/9):
        QCD       (4 pi alpha_s^2 / 9) (u t - M^4) / s^4
        Yukawa^2  y^4 [-s t - (M^2 - t)^2] / (64 pi s^2 t^2)
        interf.   alpha_s y^2 [(u - t)(M^2 - t) + s (M^2 + t)] / (18 s^3 t), times -1: the sign of
                  the fermion-number-violating (u^c)bar e S1 exchange (MadGraph agrees:
                  tests/unit/model/test_ufo_madgraph.py)."""
    m2 = M_S**2
    qcd = 4 * math.pi * alpha_s**2 / 9 * (u * t - m2**2) / s**4
    if not coupled:
        return qcd
    pure = y**4 * (-s * t - (m2 - t) ** 2) / (64 * math.pi * s**2 * t**2)
    interference = -alpha_s * y**2 * ((u - t) * (m2 - t) + s * (m2 + t)) / (18 * s**3 * t)
    return qcd + pure + interference
