"""pT-sum sampling and shower sampling through every stage: real Pythia generation, shower,
clustering and the analysis of a Drell-Yan slice with and without pt_sampling (at generation) or
shower_sampling (inside the shower). The sampled sample has fewer events below the threshold,
each weighted back, and its analysis gives the unsampled cross section and selected yield."""

import math

import numpy as np
import pytest
import uproot
import yaml

from bsmflow.analyse.sample import analyse_sample
from bsmflow.cluster.jets import cluster_chunk
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.shower.pythia import shower_lhe

pytestmark = pytest.mark.e2e
CUT = {"variable": "mhat", "min_gev": 1200.0, "max_gev": 1800.0}
SAMPLING = {"particles": "leptons", "threshold_gev": 350.0, "keep_fraction": 0.2}
SHOWER_SAMPLING = {"veto_scale_gev": 50.0, "st_min_gev": 800.0, "mlq_min_gev": 400.0, "keep_fraction": 0.25}


def run_chain(repo, tmp_path, name, seed, sampling, shower_sampling=None):
    config = yaml.safe_load((repo / "config/config.yaml").read_text())
    work = tmp_path / name
    work.mkdir()
    chunk = GenerationSpec(name, 0, 1200, seed, 13000.0, config["pdf"])
    lhe, record = work / "chunk0.lhe.gz", work / "chunk0.json"
    generate_lhe(
        str(repo / "config/cards/dyjets/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(record),
        chunk,
        slice=CUT,
        sampling=sampling,
    )
    shower_lhe(
        str(lhe),
        str(repo / "config/cards/shower.cmnd"),
        str(work / "shower.root"),
        sample=name,
        chunk=0,
        seed=seed + 100,
        sampling=shower_sampling,
    )
    cluster_chunk(str(work / "shower.root"), str(work / "objects.root"), **config["objects"])
    result = analyse_sample(
        [str(work / "objects.root")],
        [str(record)],
        str(work / "analysis.json"),
        str(work / "selected.root"),
        sample=name,
        process="dyjets",
        mass_gev=None,
        selection=config["selection"],
        binning=config["binning"],
        luminosity_fb=139.0,
        slice=CUT,
    )
    with uproot.open(work / "objects.root") as handle:
        weights = handle["objects"]["weight"].array(library="np")
    return result, weights


def test_sampled_slice_gives_the_unsampled_yields(repo, tmp_path):
    plain, plain_weights = run_chain(repo, tmp_path, "plain", 21, None)
    sampled, weights = run_chain(repo, tmp_path, "sampled", 22, SAMPLING)
    # Pythia's own weights are 1 but for events above its cross-section maximum (few unsampled,
    # 9 % of the sampled events here, which are richer in high-pT ones)
    assert np.mean(np.isclose(plain_weights, np.median(plain_weights), rtol=1e-6)) > 0.95
    ratio = weights / np.min(weights)  # the shower kept the LHE weights: 1 and 1 / keep_fraction
    assert np.mean(np.isclose(ratio, 1.0, rtol=1e-6) | np.isclose(ratio, 5.0, rtol=1e-6)) > 0.8
    assert np.sum(np.isclose(ratio, 5.0, rtol=1e-6)) > 50
    for result in (plain, sampled):
        (everything,) = [step for step in result["cutflow"] if step["step"] == "all"]
        assert everything["weighted"] == pytest.approx(result["sigma_pb"] * 139.0e3, rel=1e-9)
    pull = (sampled["sigma_pb"] - plain["sigma_pb"]) / math.hypot(
        sampled["sigma_err_pb"], plain["sigma_err_pb"]
    )
    assert abs(pull) < 4
    last = [result["cutflow"][-1] for result in (plain, sampled)]
    assert last[0]["raw"] > 50 and last[1]["raw"] > last[0]["raw"]  # more selected events per shower
    # relative: the two cross-section estimates differ by their own errors
    yields = [
        step["weighted"] / result["sigma_pb"] for step, result in zip(last, (plain, sampled), strict=True)
    ]
    errors = [
        step["weighted_err"] / result["sigma_pb"] for step, result in zip(last, (plain, sampled), strict=True)
    ]
    assert abs(yields[0] - yields[1]) < 3.5 * math.hypot(*errors), (yields, errors)


def test_shower_sampled_slice_gives_the_unsampled_yields(repo, tmp_path):
    plain, _ = run_chain(repo, tmp_path, "plain", 31, None)
    sampled, weights = run_chain(repo, tmp_path, "sampled", 31, None, SHOWER_SAMPLING)
    # same LHE events (same seed): the shower dropped some, the kept ones below weigh 4
    assert plain["sigma_pb"] == sampled["sigma_pb"]
    (everything,) = [step for step in sampled["cutflow"] if step["step"] == "all"]
    assert 300 < everything["raw"] < 1100
    ratio = weights / np.median(weights[np.isclose(weights, np.min(weights), rtol=0.5)])
    assert np.sum(np.isclose(ratio, 4.0, rtol=0.35)) > 20
    # every event still counts: the weighted total is sigma L within its sampling error
    total = sampled["sigma_pb"] * 139.0e3
    assert abs(everything["weighted"] - total) < 4 * everything["weighted_err"]
    last = [result["cutflow"][-1] for result in (plain, sampled)]
    assert last[0]["raw"] > 50
    # the selected events are those the proxies keep: nearly all of them survive
    assert last[1]["raw"] > 0.8 * last[0]["raw"]
    difference = last[0]["weighted"] - last[1]["weighted"]
    assert abs(difference) < 3.5 * math.hypot(last[0]["weighted_err"], last[1]["weighted_err"])
