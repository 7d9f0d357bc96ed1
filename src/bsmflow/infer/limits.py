"""Expected (and observed) CLs limits and the discovery significance of one workspace, with
pyhf's asymptotic or toy-based calculators.

Conventions (ATLAS/CMS): the profile-likelihood test statistic q~_mu with the CLs method for
limits, q_0 for the discovery significance. "Expected" means the background-only Asimov data set
(all nuisance parameters at their nominal values); the band is the +-1 and +-2 sigma quantiles
under that hypothesis. The signal theory uncertainty is a nuisance parameter of the workspace; it
is fixed at its nominal value for the limit on sigma x BR (the convention for cross-section
limits, which show it as the band of the theory curve instead) and free for CLs(mu = 1) and Z0.
"""

from __future__ import annotations

import logging
import math

import numpy as np
import pyhf
from pyhf.tensor import numpy_backend
from scipy.stats import norm

from .workspace import SIGNAL_THEORY

log = logging.getLogger(__name__)
BAND = ("m2", "m1", "median", "p1", "p2")
OBSERVED, EXPECTED = (0,), (1, 2, 3, 4, 5)  # positions of the CLs curves in an evaluation


def _percentile(self, tensor_in, q, axis=None, interpolation="linear"):
    """pyhf 0.7.6 calls numpy.percentile with `interpolation=`, which numpy 2.4 no longer takes
    (renamed `method`); only the toy calculator's expected band uses it."""
    return np.percentile(tensor_in, q, axis=axis, method=interpolation)


numpy_backend.numpy_backend.percentile = _percentile
# MINUIT (iminuit): scipy's SLSQP, pyhf's default, stops at its starting point (mu = 1) when a
# nuisance parameter is tightly constrained, and with a tighter tolerance fails outright ("Inequality
# constraints incompatible") on a workspace with an empty background; MINUIT handles both
# (tests/unit/infer: the one-bin closed form; the default scan). Strategy 0 (no Hessian
# refinement) is 30 % faster and moves the default scan's limits by less than 0.1 %; a fit it
# fails is retried with strategy 1 (with the shower variations' nuisance parameters on a
# one-bin, MC-starved workspace strategy 0 fails at isolated mu values where 1 converges).
pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(strategy=0))


def with_strategy_retry(function, *args, **kwargs):
    """``function(*args, **kwargs)``; when a MINUIT fit in it fails with strategy 0, once more with
    strategy 1 (which refines the Hessian and converges where 0 stops short), then back to 0."""
    try:
        return function(*args, **kwargs)
    except pyhf.exceptions.FailedMinimization:
        pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(strategy=1))
        try:
            return function(*args, **kwargs)
        finally:
            pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer(strategy=0))


COARSE_STEP = 8.0
MAX_ROUNDS = 8
SCORE_TOLERANCE = 1e-2  # on the normal score (1.96 at CLs = 0.05): within 1 % on the limit


def background_asimov(model) -> list[float]:
    """Main and auxiliary data at mu = 0 and every nuisance parameter at its nominal value."""
    parameters = model.config.suggested_init()
    parameters[model.config.poi_index] = 0.0
    return list(model.expected_data(parameters))


def signal_asimov(model) -> list[float]:
    parameters = model.config.suggested_init()
    parameters[model.config.poi_index] = 1.0
    return list(model.expected_data(parameters))


def theory_fixed(model) -> list[bool]:
    fixed = model.config.suggested_fixed()
    fixed[model.config.par_slice(SIGNAL_THEORY).start] = True
    return fixed


def choose_calculator(requested: str, min_background: float, toys_below: float) -> str:
    """'asymptotics' or 'toybased': ``auto`` takes toys when a fitted bin expects fewer than
    ``toys_below`` background events, where the asymptotic formulae lose their coverage."""
    if requested == "auto":
        return "toybased" if min_background < toys_below else "asymptotics"
    return {"asymptotics": "asymptotics", "toys": "toybased"}[requested]


def signal_events(model) -> float:
    """The signal's total expected yield at mu = 1 (all nuisance parameters nominal)."""
    nominal = model.config.suggested_init()
    with_signal, without = list(nominal), list(nominal)
    with_signal[model.config.poi_index], without[model.config.poi_index] = 1.0, 0.0
    return float(np.sum(model.expected_actualdata(with_signal)) - np.sum(model.expected_actualdata(without)))


def upper_limits(
    data, model, *, level: float, calctype: str, ntoys: int, seed: int, curves: tuple[int, ...] = EXPECTED
) -> tuple[float, list[float]]:
    """(observed, [expected -2, -1, 0, +1, +2 sigma]) upper limits on mu: where each CLs curve
    crosses ``level``.

    Every pyhf hypotest gives the observed and all five expected CLs at one mu, so the roots of
    ``curves`` (0 observed, 1-5 expected) share their evaluations. From the mu of 0.01 signal
    events, mu grows in factors of COARSE_STEP until every curve is excluded, which brackets
    every root (a curve still above ``level`` where the fits stop converging, or at the POI's
    bound, has no limit: NaN). Then each root is estimated by interpolating the normal score of
    CLs linearly in mu between its two nearest bracketing evaluations (regula falsi) and CLs is
    evaluated at the estimates, until every curve has an evaluation whose score is within
    SCORE_TOLERANCE of the target. (pyhf's toms748_scan solves each curve on its own and needs
    about three times as many fits.) Toys are seeded with ``seed``."""
    kwargs = {"test_stat": "qtilde", "fixed_params": theory_fixed(model), "calctype": calctype}
    if calctype == "toybased":
        kwargs |= {"ntoys": ntoys, "track_progress": False}

    calculator = None
    if calctype == "asymptotics":  # one calculator: its Asimov data are fitted once, not per mu
        calculator = pyhf.infer.calculators.AsymptoticCalculator(
            data, model, fixed_params=kwargs["fixed_params"], test_stat="qtilde"
        )

    def evaluate(mus):
        with_strategy_retry(evaluate_once, mus)

    def evaluate_once(mus):
        np.random.seed(seed)
        for mu in mus:
            if calculator is None:
                observed, expected = pyhf.infer.hypotest(
                    float(mu), data, model, return_expected_set=True, **kwargs
                )
            else:  # what hypotest does with its calculator
                teststat = calculator.teststatistic(float(mu))
                signal_plus_background, background = calculator.distributions(float(mu))
                observed = calculator.pvalues(teststat, signal_plus_background, background)[2]
                expected = calculator.expected_pvalues(signal_plus_background, background)[2]
            points[float(mu)] = [float(observed), *map(float, expected)]

    high = model.config.suggested_bounds()[model.config.poi_index][1]
    points: dict[float, list[float]] = {}
    mu, previous = 0.01 / signal_events(model), None
    while True:  # up in steps of COARSE_STEP until every curve is excluded, not far beyond: at
        try:  # extreme mu the fit pulls nuisance parameters to their bounds and MINUIT fails
            evaluate([mu])
        except pyhf.exceptions.FailedMinimization:
            if previous is None:
                raise
            if mu / previous < 1.01:
                break  # the fits fail before every curve is excluded: those curves get no limit
            mu = math.sqrt(previous * mu)  # step back halfway (in ln mu)
            continue
        if max(points[mu][curve] for curve in curves) <= level:
            break
        previous, mu = mu, mu * COARSE_STEP
        if mu > high:
            break

    def values_of(curve):  # pyhf gives NaN where q~_mu is below its cutoff (data below background)
        return [values[curve] for values in points.values() if not math.isnan(values[curve])]

    crossing = [curve for curve in curves if min(values_of(curve), default=1.0) <= level]
    target = _normal_score(level)
    for _ in range(MAX_ROUNDS):
        pending = [
            curve
            for curve in crossing
            if min(abs(_normal_score(value) - target) for value in values_of(curve)) > SCORE_TOLERANCE
        ]
        if not pending:
            break
        estimates = {curve: _bracket(points, curve, level)[2] for curve in pending}
        for mu_estimate in sorted(set(estimates.values()) - set(points)):
            try:
                evaluate([mu_estimate])
            except pyhf.exceptions.FailedMinimization:  # no converging fit there: no limit
                crossing = [c for c in crossing if estimates.get(c) != mu_estimate]
    roots = [_bracket(points, curve, level)[2] if curve in crossing else math.nan for curve in range(6)]
    return roots[0], roots[1:]


def _normal_score(cls: float) -> float:
    """sqrt(q_mu,A)-like score of a CLs value: Phi^-1(1 - CLs / 2), which the asymptotic formulae
    make linear in mu for the median; nearly linear for the other curves."""
    return float(norm.isf(min(max(cls, 1e-300), 1.0) / 2))


def _bracket(points: dict[float, list[float]], curve: int, level: float) -> tuple[float, float, float]:
    """The nearest evaluations on either side of where one CLs curve reaches ``level``, and the
    crossing estimated by interpolating the normal score linearly in mu between them."""
    mus = sorted(points)
    above = [mu for mu in mus if points[mu][curve] > level]
    below = [mu for mu in mus if points[mu][curve] <= level]
    if not above or not below or max(above) > min(below):
        raise ValueError(
            f"CLs curve {curve} does not cross {level:g} once in mu = {mus[0]:.3g}-{mus[-1]:.3g}"
        )
    low, high = max(above), min(below)
    score_low, score_high = _normal_score(points[low][curve]), _normal_score(points[high][curve])
    fraction = (_normal_score(level) - score_low) / (score_high - score_low)
    return low, high, low + fraction * (high - low)


def cls_at_one(data, model, *, calctype: str, ntoys: int, seed: int) -> dict:
    """CLs of the predicted signal (mu = 1): observed and the expected median; NaN (with a
    warning) when a fit at mu = 1 does not converge (MINUIT on a few huge-weight MC events)."""
    np.random.seed(seed)
    kwargs = {"calctype": calctype} | (
        {"ntoys": ntoys, "track_progress": False} if calctype == "toybased" else {}
    )
    try:
        observed, expected = with_strategy_retry(
            pyhf.infer.hypotest, 1.0, data, model, test_stat="qtilde", return_expected_set=True, **kwargs
        )
    except pyhf.exceptions.FailedMinimization:
        log.warning("CLs at mu = 1: a fit did not converge; CLs(mu = 1) is reported as NaN")
        return {"observed": math.nan, "expected": math.nan}
    return {"observed": float(observed), "expected": float(expected[2])}


def discovery_significance(model) -> float:
    """Median expected Z0 = sqrt(q0) on the signal-plus-background Asimov data (asymptotic)."""
    q0 = with_strategy_retry(
        pyhf.infer.test_statistics.q0,
        0.0,
        signal_asimov(model),
        model,
        model.config.suggested_init(),
        model.config.suggested_bounds(),
        model.config.suggested_fixed(),
    )
    return math.sqrt(max(float(q0), 0.0))


def compute(
    workspace: dict,
    *,
    signal_fb: float,
    cl: float,
    calculator: str,
    ntoys: int,
    toys_below_background: float,
    seed: int,
    observed: bool,
) -> dict:
    """Every number of one mass point: CLs(mu = 1), the limits on mu and on sigma x BR (fb, =
    mu x ``signal_fb``, the signal's sigma x BR in the workspace), Z0, and the calculator."""
    spec = pyhf.Workspace(workspace)
    model = spec.model()
    backgrounds = [s for s in workspace["channels"][0]["samples"] if s["name"] != "signal"]
    min_background = float(np.min(np.sum([s["data"] for s in backgrounds], axis=0)))
    calctype = choose_calculator(calculator, min_background, toys_below_background)
    level = 1.0 - cl
    asimov = background_asimov(model)
    _, expected = upper_limits(asimov, model, level=level, calctype=calctype, ntoys=ntoys, seed=seed)
    result = {
        "calculator": calctype,
        "ntoys": ntoys if calctype == "toybased" else None,
        "min_background_per_bin": min_background,
        "cls_mu1_expected": cls_at_one(asimov, model, calctype=calctype, ntoys=ntoys, seed=seed)["expected"],
        "mu_limit_expected": dict(zip(BAND, expected, strict=True)),
        "limit_fb_expected": {k: v * signal_fb for k, v in zip(BAND, expected, strict=True)},
        "z0_expected": discovery_significance(model),
    }
    if observed:
        data = spec.data(model)
        mu_observed, _ = upper_limits(
            data, model, level=level, calctype=calctype, ntoys=ntoys, seed=seed, curves=OBSERVED
        )
        result["mu_limit_observed"] = mu_observed
        result["limit_fb_observed"] = mu_observed * signal_fb
        result["cls_mu1_observed"] = cls_at_one(data, model, calctype=calctype, ntoys=ntoys, seed=seed)[
            "observed"
        ]
    return result
