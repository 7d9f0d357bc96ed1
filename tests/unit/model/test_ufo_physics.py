"""Numbers from the built UFO itself, without MadGraph: tree-level |M|^2 evaluated by ufoamp (a
Berends-Giele evaluator that reads the UFO's vertices, couplings and Lorentz structures) against
analytic results, and gauge invariance (a photon or gluon polarisation replaced by its momentum).

ufoamp's fast 'flow' colour mode miscounts colour for external coloured scalars (t-channel
u u~ > s1 s1~ comes out 1/3 of the analytic value); every check here uses its exact 'tensor' mode.
"""

import itertools
import math

import numpy as np
import pytest
from analytic_pair import M_S, dsigma_dt_gg, dsigma_dt_qqbar, mandelstam, two_body
from ufoamp import wf_batched
from ufoamp.phasespace import rambo
from ufoamp.process import Process
from ufoamp.ufo_model import load

from bsmflow.model.modelfile import load_model_file
from bsmflow.model.ufo_build import build_ufo

S, SBAR = 42, -42  # s1 = S1^dagger (colour 3, charge -1/3), s1~ = S1


@pytest.fixture(scope="module")
def model(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("ufo") / "S1_LQ"
    build_ufo(load_model_file(repo / "config/models/S1_leptoquark.yaml"), out)
    return load(str(out))


def process(model, initial, final, y=0.0, **kw):
    proc = Process(model, initial, final, overrides={"MS1": M_S, "WS1": 0.0, "y1x1": y}, **kw)
    proc.amp.color_mode = "tensor"  # exact colour sums (see module docstring)
    return proc


# ---- QCD pair production: d sigma / d t against the analytic results (tests/analytic_pair.py)


def sigma(proc, sqrt_s, points=48):
    """Partonic cross section in GeV^-2: Gauss-Legendre over cos(theta) of beta |M|^2 / (32 pi s)."""
    x, w = np.polynomial.legendre.leggauss(points)
    s = sqrt_s**2
    beta = math.sqrt(1 - 4 * M_S**2 / s)
    return (
        sum(wi * proc.m2(two_body(sqrt_s, xi)) for xi, wi in zip(x, w, strict=True))
        * beta
        / (32 * math.pi * s)
    )


POINTS = [(2200.0, 0.3), (3000.0, -0.7), (5000.0, 0.9), (13000.0, 0.05)]


@pytest.mark.parametrize("sqrt_s,cos_theta", POINTS)
def test_gg_to_pair_matches_analytic(model, sqrt_s, cos_theta):
    proc = process(model, [21, 21], [S, SBAR])
    momenta = two_body(sqrt_s, cos_theta)
    s, t, u = mandelstam(momenta)
    got = proc.m2(momenta) / (16 * math.pi * s**2)
    assert got == pytest.approx(dsigma_dt_gg(s, t, u, proc.params["aS"].real), rel=1e-10)


@pytest.mark.parametrize("quark", [1, 2, 3, 4])
@pytest.mark.parametrize("sqrt_s,cos_theta", POINTS[:3])
def test_qqbar_to_pair_without_yukawa_matches_analytic(model, quark, sqrt_s, cos_theta):
    proc = process(model, [quark, -quark], [S, SBAR], max_orders={"QED": 0})
    momenta = two_body(sqrt_s, cos_theta)
    s, t, u = mandelstam(momenta)
    got = proc.m2(momenta) / (16 * math.pi * s**2)
    assert got == pytest.approx(dsigma_dt_qqbar(s, t, u, proc.params["aS"].real), rel=1e-10)


@pytest.mark.parametrize("y", [0.1, 2.0])
@pytest.mark.parametrize("sqrt_s,cos_theta", POINTS[:3])
def test_uubar_with_lepton_exchange_matches_analytic(model, y, sqrt_s, cos_theta):
    """The Yukawa t-channel of the coupled flavour; other flavours stay pure QCD."""
    proc = process(model, [2, -2], [S, SBAR], y=y, max_orders={"QED": 0})
    momenta = two_body(sqrt_s, cos_theta)
    s, t, u = mandelstam(momenta)
    expected = dsigma_dt_qqbar(s, t, u, proc.params["aS"].real, y=y, coupled=True)
    assert proc.m2(momenta) / (16 * math.pi * s**2) == pytest.approx(expected, rel=1e-10)
    charm = process(model, [4, -4], [S, SBAR], y=y, max_orders={"QED": 0})
    assert charm.m2(momenta) / (16 * math.pi * s**2) == pytest.approx(
        dsigma_dt_qqbar(s, t, u, proc.params["aS"].real), rel=1e-10
    )


@pytest.mark.parametrize("sqrt_s", [2200.0, 3000.0, 8000.0])
def test_integrated_qcd_cross_sections(model, sqrt_s):
    """Closed forms: sigma(q q~) = 2 pi alpha_s^2 beta^3 / (27 s),
    sigma(g g) = pi alpha_s^2 / (96 s) [beta (41 - 31 beta^2) + (18 beta^2 - beta^4 - 17) L]
    with L = ln((1 + beta) / (1 - beta))."""
    s = sqrt_s**2
    beta = math.sqrt(1 - 4 * M_S**2 / s)
    log = math.log((1 + beta) / (1 - beta))
    qq = process(model, [1, -1], [S, SBAR], max_orders={"QED": 0})
    alpha_s = qq.params["aS"].real
    assert sigma(qq, sqrt_s) == pytest.approx(2 * math.pi * alpha_s**2 * beta**3 / (27 * s), rel=1e-9)
    gg = process(model, [21, 21], [S, SBAR])
    expected = (
        math.pi * alpha_s**2 / (96 * s) * (beta * (41 - 31 * beta**2) + (18 * beta**2 - beta**4 - 17) * log)
    )
    assert sigma(gg, sqrt_s) == pytest.approx(expected, rel=1e-9)


# ---- electroweak pair production ----------------------------------------------------------------


@pytest.mark.parametrize("sqrt_s", [2200.0, 3000.0, 5000.0])
def test_photon_photon_to_pair(model, sqrt_s):
    """sigma = N_c Q^4 (2 pi alpha^2 / s) beta [2 - beta^2 - (1 - beta^4) / (2 beta) L]."""
    proc = process(model, [22, 22], [S, SBAR])
    alpha = proc.params["aEW"].real
    s = sqrt_s**2
    beta = math.sqrt(1 - 4 * M_S**2 / s)
    log = math.log((1 + beta) / (1 - beta))
    expected = (
        3
        * (1 / 3) ** 4
        * 2
        * math.pi
        * alpha**2
        / s
        * beta
        * (2 - beta**2 - (1 - beta**4) / (2 * beta) * log)
    )
    assert sigma(proc, sqrt_s, 64) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("sqrt_s", [2200.0, 3000.0, 5000.0])
def test_electron_positron_to_pair(model, sqrt_s):
    """gamma + Z s-channel, y = 0: sigma = N_c (pi alpha^2 beta^3 / 3 s) (s^2 / 2) sum_{L,R} |A|^2,
    A = Q_e Q_S / s + g_e g_S / (s - M_Z^2 + i M_Z Gamma_Z), g = (T3 - Q sw^2) / (sw cw)."""
    proc = process(model, [11, -11], [S, SBAR])
    p = {k: v.real for k, v in proc.params.items() if k in ("aEW", "sw2", "MZ", "WZ")}
    sw, cw = math.sqrt(p["sw2"]), math.sqrt(1 - p["sw2"])
    s = sqrt_s**2
    beta = math.sqrt(1 - 4 * M_S**2 / s)
    q_s, q_e = -1 / 3, -1
    g_s = -q_s * sw / cw
    total = sum(
        abs(
            q_e * q_s / s
            + (t3 - q_e * p["sw2"]) / (sw * cw) * g_s / (s - p["MZ"] ** 2 + 1j * p["MZ"] * p["WZ"])
        )
        ** 2
        for t3 in (-0.5, 0.0)
    )
    expected = 3 * math.pi * p["aEW"] ** 2 * beta**3 / (3 * s) * s**2 / 2 * total
    assert sigma(proc, sqrt_s, 16) == pytest.approx(expected, rel=1e-10)


# ---- decay width -------------------------------------------------------------------------------


@pytest.mark.parametrize("y", [0.1, 1.3])
def test_decay_width_is_y2_m_over_16pi(model, y):
    proc = Process(model, [S], [2, 11], overrides={"MS1": M_S, "y1x1": y})
    proc.amp.color_mode = "tensor"
    momenta = [
        np.array([M_S, 0, 0, 0]),
        np.array([M_S / 2, 0, 0, M_S / 2]),
        np.array([M_S / 2, 0, 0, -M_S / 2]),
    ]
    width = proc.m2(momenta) / (16 * math.pi * M_S)  # two massless products, |M|^2 averaged over colour
    assert width == pytest.approx(y**2 * M_S / (16 * math.pi), rel=1e-12)
    wrong = Process(model, [S], [4, 11], overrides={"MS1": M_S, "y1x1": y})  # y21 = 0: closed
    assert wrong.m2([momenta[0], momenta[1], momenta[2]]) == 0


# ---- gauge invariance --------------------------------------------------------------------------


@pytest.fixture
def longitudinal(monkeypatch):
    """Helicity code 2 = the boson's polarisation replaced by its momentum (Ward identity)."""
    original = wf_batched.polarization_vector

    def polarization(p, lam, m):
        eps = original(p, np.where(lam == 2, 1, lam), m)
        return np.where((lam == 2)[:, None], p / np.real(p[:, :1]), eps)

    monkeypatch.setattr(wf_batched, "polarization_vector", polarization)


# (name, initial, final, position of the boson made longitudinal, y11). ufoamp 1.0.0 fails on
# q q~ > s1 s1~ + boson (AssertionError in Cur.add, with or without the Yukawa vertices); the
# quark-gluon-scalar interplay is covered by u e- > s1 g. Seagull vertices need 2 -> 3: in a
# 2 -> 2 centre-of-mass frame k1.eps2 = 0 and the seagull drops out of the Ward identity. u e- > s1 + boson needs the charges and colours of the Yukawa and gauge
# vertices to agree.
GAUGE_PROCESSES = [
    ("g g > s1 s1~ g", [21, 21], [S, SBAR, 21], 4, 1.0),
    ("g g > s1 s1~ g (initial gluon)", [21, 21], [S, SBAR, 21], 0, 1.0),
    ("a a > s1 s1~ a", [22, 22], [S, SBAR, 22], 4, 1.0),
    ("g a > s1 s1~ g", [21, 22], [S, SBAR, 21], 4, 1.0),
    ("g a > s1 s1~ a", [21, 22], [S, SBAR, 22], 4, 1.0),
    ("g a > s1 s1~ a (initial gluon)", [21, 22], [S, SBAR, 22], 0, 1.0),
    ("e+ e- > s1 s1~ a", [-11, 11], [S, SBAR, 22], 4, 0.0),
    ("e+ e- > s1 s1~ a (t-channel u)", [-11, 11], [S, SBAR, 22], 4, 1.0),
    ("u e- > s1 a", [2, 11], [S, 22], 3, 1.0),
    ("u e- > s1 g", [2, 11], [S, 21], 3, 1.0),
]


@pytest.mark.parametrize("name,initial,final,leg,y", GAUGE_PROCESSES, ids=[g[0] for g in GAUGE_PROCESSES])
def test_ward_identity(model, longitudinal, name, initial, final, leg, y):
    """With the polarisation of the boson at position `leg` replaced by its momentum (the others
    physical) the amplitude vanishes; y11 = 1 so the Yukawa vertices take part where they can."""
    proc = process(model, initial, final, y=1.0)
    rng = np.random.default_rng(7)
    masses = [M_S if abs(p) == S else 0.0 for p in final]
    for _ in range(3):
        e = 3500.0 / 2
        momenta = [np.array([e, 0, 0, e]), np.array([e, 0, 0, -e])] + list(rambo(2 * e, masses, rng))
        pdgs = initial + final
        choices = [proc._hel_choices(p) for p in pdgs]
        physical = list(itertools.product(*choices))
        ward = [h[:leg] + (2,) + h[leg + 1 :] for h in physical if h[leg] == 1]
        scale = float(np.sum(proc.m2_batch(momenta, physical)))
        violation = float(np.sum(proc.m2_batch(momenta, ward)))
        assert scale > 0
        assert violation < 1e-20 * scale, f"{name}: |M(eps -> k)|^2 / |M|^2 = {violation / scale:.3g}"
