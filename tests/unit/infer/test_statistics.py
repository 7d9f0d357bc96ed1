"""The statistical model and its results: the workspace validates against pyhf's schema, a
one-bin counting experiment agrees with the independent closed form, limits behave."""

import numpy as np
import pyhf
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from bsmflow.infer.fit_histograms import FitHistogram
from bsmflow.infer.limits import choose_calculator, compute
from bsmflow.infer.workspace import build_workspace

NO_UNCERTAINTY = {"luminosity": 0.0, "background_normalisation": {"bkg": 0.0}}


def histogram(values, variances=None, edges=None):
    values = np.asarray(values, dtype=float)
    edges = np.arange(len(values) + 1, dtype=float) if edges is None else np.asarray(edges)
    # MC statistics of 1e-4 (relative): negligible, and far from the zero that stalls the fit
    variances = (1e-4 * values) ** 2 if variances is None else np.asarray(variances, dtype=float)
    return FitHistogram(edges, values, variances, np.full(len(values), 100))


def workspace(signal, background, uncertainties=NO_UNCERTAINTY, theory=0.0, observed=None, **kwargs):
    return build_workspace(
        histogram(signal, **kwargs),
        {"bkg": histogram(background, **kwargs)},
        uncertainties=uncertainties,
        signal_theory_relative=theory,
        variation_modifiers={},
        observed=observed,
    )


def limits(spec, **overrides):
    settings = {
        "signal_fb": 2.0,
        "cl": 0.95,
        "calculator": "asymptotics",
        "ntoys": 100,
        "toys_below_background": 3.0,
        "seed": 1,
        "observed": False,
    } | overrides
    return compute(spec, **settings)


def test_workspace_validates_against_the_pyhf_schema():
    spec = workspace(
        [1.0, 2.0],
        [10.0, 5.0],
        uncertainties={"luminosity": 0.017, "background_normalisation": {"bkg": 0.1}},
        theory=0.12,
        variances=[0.5, 0.3],
    )
    pyhf.schema.validate(spec, "workspace.json")
    model = pyhf.Workspace(spec).model()
    assert set(model.config.parameters) == {"mu", "lumi", "signal_theory", "norm_bkg", "mc_stat"}
    assert spec["observations"][0]["data"] == [10.0, 5.0]  # background-only Asimov


def test_variation_modifiers_plug_in_as_normsys_and_histosys_sharing_one_parameter():
    from bsmflow.analyse.variations import fit_systematics

    nominal = np.array([6.0, 4.0])
    varied = {"isr_mur_0p5": np.array([8.0, 4.0]), "isr_mur_2": np.array([5.0, 3.0])}
    modifiers = fit_systematics(nominal, varied, process="bkg", shape_only=set())
    spec = build_workspace(
        histogram([1.0, 1.0]),
        {"bkg": histogram([6.0, 4.0])},
        uncertainties=NO_UNCERTAINTY,
        signal_theory_relative=0.0,
        variation_modifiers={"bkg": modifiers},
        observed=None,
    )
    pyhf.schema.validate(spec, "workspace.json")
    found = [m for m in spec["channels"][0]["samples"][1]["modifiers"] if m["name"] == "isr"]
    assert [m["type"] for m in found] == ["normsys", "histosys"]
    assert found[0]["data"] == pytest.approx({"hi": 1.2, "lo": 0.8})
    assert found[1]["data"]["hi_data"] == pytest.approx([8.0 / 1.2, 4.0 / 1.2])  # shape: total 10
    model = pyhf.Workspace(spec).model()
    pars = model.config.suggested_init()
    pars[model.config.par_slice("isr")] = [1.0]
    pars[model.config.poi_index] = 0.0
    assert model.expected_actualdata(pars).tolist() == pytest.approx([8.0, 4.0])  # +1 sigma = the variation
    pars[model.config.par_slice("isr")] = [-1.0]
    assert model.expected_actualdata(pars).tolist() == pytest.approx([5.0, 3.0])


def closed_form_expected_limit(s, b, cl=0.95):
    """Median expected CLs limit on mu for one Poisson bin without nuisance parameters, asymptotic
    (Cowan, Cranmer, Gross, Vitells 2011): on the background-only Asimov data
    q_mu,A = 2 [mu s - b ln(1 + mu s / b)], and CLs = 2 (1 - Phi(sqrt(q_mu,A))) = 1 - cl."""
    target = norm.ppf(1 - (1 - cl) / 2) ** 2
    return brentq(lambda mu: 2 * (mu * s - b * np.log1p(mu * s / b)) - target, 1e-6, 1e3)


@pytest.mark.parametrize("s, b", [(10.0, 50.0), (3.0, 4.0)])
def test_one_bin_limit_agrees_with_the_closed_form(s, b):
    result = limits(workspace([s], [b]))
    expected = closed_form_expected_limit(s, b)
    assert result["mu_limit_expected"]["median"] == pytest.approx(expected, rel=2e-3)
    assert result["limit_fb_expected"]["median"] == pytest.approx(2.0 * expected, rel=2e-3)
    # Z0 on the s+b Asimov data: sqrt(2 ((s + b) ln(1 + s/b) - s))
    assert result["z0_expected"] == pytest.approx(np.sqrt(2 * ((s + b) * np.log1p(s / b) - s)), rel=1e-3)


def test_limit_grows_with_the_background_and_the_band_is_ordered():
    small, large = limits(workspace([5.0, 5.0], [10.0, 10.0])), limits(workspace([5.0, 5.0], [40.0, 40.0]))
    assert large["mu_limit_expected"]["median"] > small["mu_limit_expected"]["median"]
    for result in (small, large):
        band = [result["mu_limit_expected"][k] for k in ("m2", "m1", "median", "p1", "p2")]
        assert band == sorted(band) and len(set(band)) == 5
    assert large["cls_mu1_expected"] > small["cls_mu1_expected"]


def test_observed_limit_with_pseudo_data_moves_with_the_data():
    expected = limits(workspace([5.0], [20.0], observed=[20.0]), observed=True)
    assert expected["mu_limit_observed"] == pytest.approx(expected["mu_limit_expected"]["median"], rel=1e-3)
    excess = limits(workspace([5.0], [20.0], observed=[32.0]), observed=True)
    deficit = limits(workspace([5.0], [20.0], observed=[12.0]), observed=True)
    assert deficit["mu_limit_observed"] < expected["mu_limit_observed"] < excess["mu_limit_observed"]
    assert excess["limit_fb_observed"] == pytest.approx(2.0 * excess["mu_limit_observed"], rel=1e-12)


def test_calculator_choice():
    assert choose_calculator("auto", 2.0, 3.0) == "toybased"
    assert choose_calculator("auto", 3.0, 3.0) == "asymptotics"
    assert choose_calculator("toys", 100.0, 3.0) == "toybased"
    assert choose_calculator("asymptotics", 0.1, 3.0) == "asymptotics"


def test_toys_are_seeded_and_reproducible():
    from bsmflow.infer.limits import cls_at_one

    model = pyhf.Workspace(workspace([3.0], [2.0])).model()
    data = [2.0, *model.config.auxdata]
    first = cls_at_one(data, model, calctype="toybased", ntoys=200, seed=5)
    again = cls_at_one(data, model, calctype="toybased", ntoys=200, seed=5)
    other = cls_at_one(data, model, calctype="toybased", ntoys=200, seed=6)
    assert first == again and first != other


def test_toys_where_the_background_is_tiny_and_why():
    """b = 0.5 events: the median background-only outcome is n = 0, for which
    CLs = P(0 | s + b) / P(0 | b) = exp(-s): the exact 95 % CL limit is s = -ln 0.05 = 3.0 events.
    Seeded toys give CLs = 0.05 there; the asymptotic formulae give 0.044 (a limit too strong by
    about 10 %), which is why `auto` takes toys below a few background events per bin."""
    from bsmflow.infer.limits import background_asimov, cls_at_one

    model = pyhf.Workspace(workspace([-np.log(0.05)], [0.5], variances=[1e-4])).model()  # s = 3.0
    data = background_asimov(model)
    toys = cls_at_one(data, model, calctype="toybased", ntoys=400, seed=3)["expected"]
    asymptotic = cls_at_one(data, model, calctype="asymptotics", ntoys=0, seed=3)["expected"]
    assert toys == pytest.approx(0.05, abs=0.02)
    assert asymptotic == pytest.approx(0.0443, abs=0.002)
    assert choose_calculator("auto", 0.5, 3.0) == "toybased"
