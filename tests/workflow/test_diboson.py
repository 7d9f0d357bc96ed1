"""The diboson background reaches the signal region: real Pythia through generation (with the
diboson_ll channel filter), shower, clustering and the analysis, on the default cards and object
definitions. The old card forced both bosons into leptons, and none of its events had m_LQ^min
above 500 GeV."""

import json

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


def test_semileptonic_dibosons_populate_lljj_above_500_gev(repo, tmp_path):
    config = yaml.safe_load((repo / "config/config.yaml").read_text())
    cut = {"variable": "mhat", "min_gev": 1500.0, "max_gev": None}
    chunk = GenerationSpec("diboson_mhat1500toinf", 0, 1500, 7, 13000.0, config["pdf"])
    lhe, record = tmp_path / "chunk0.lhe.gz", tmp_path / "chunk0.json"
    generate_lhe(
        str(repo / "config/cards/diboson/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(record),
        chunk,
        slice=cut,
        decay_filter="diboson_ll",
    )
    shower_lhe(
        str(lhe),
        str(repo / "config/cards/shower.cmnd"),
        str(tmp_path / "shower.root"),
        sample=chunk.sample,
        chunk=0,
        seed=8,
    )
    cluster_chunk(str(tmp_path / "shower.root"), str(tmp_path / "objects.root"), **config["objects"])
    result = analyse_sample(
        [str(tmp_path / "objects.root")],
        [str(record)],
        str(tmp_path / "analysis.json"),
        str(tmp_path / "selected.root"),
        sample=chunk.sample,
        process="diboson",
        mass_gev=None,
        selection=config["selection"],
        binning=config["binning"],
        luminosity_fb=139.0,
        slice=cut,
    )
    with uproot.open(tmp_path / "selected.root") as handle:
        selected = handle["selected"].arrays(library="np")
    high = selected["mlq_min"] > 500
    assert high.sum() >= 3, np.sort(selected["mlq_min"])[-5:]
    assert result["cutflow"][-1]["raw"] >= 5  # l l j j events selected
    assert json.loads(record.read_text())["filter_tried"] > 3 * 1500  # the channels are ~15 % of WW+WZ+ZZ
