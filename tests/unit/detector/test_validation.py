"""The detector stage on real events: 1500 S1 pair events at M = 1 TeV generated, showered and
clustered with the workflow's own code, then analysed at particle and detector level.

- acceptance x efficiency falls by the two leptons' efficiencies (the card's, per event);
- the m_LQ^min peak widens by what the card's resolutions predict;
- a card with efficiency 1 and no smearing gives the particle-level histograms bit for bit.
"""

import awkward as ak
import numpy as np
import pytest
import uproot
import yaml

from bsmflow.analyse.sample import analyse_sample
from bsmflow.analyse.selection import (
    EventSelection,
    pair_leptons_jets,
    remove_overlapping_jets,
    select_events,
)
from bsmflow.cluster.jets import cluster_chunk
from bsmflow.detector.card import load_card
from bsmflow.detector.response import detector_chunk
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.param_card import build_param_card, format_param_card
from bsmflow.shower.pythia import shower_lhe

MASS = 1000
N_EVENTS = 1500
OBJECTS = {
    "leptons": {
        "pt_min": 50.0,
        "eta_max": 2.5,
        "dressing_dr": 0.1,
        "isolation_dr": 0.3,
        "isolation_max": 0.15,
    },
    "jets": {"algorithm": "antikt", "radius": 0.4, "pt_min": 50.0, "eta_max": 2.5},
}
SELECTION = {"jet_lepton_overlap_dr": 0.4, "n_leptons": 2, "min_jets": 2, "mll_min": 130.0, "st_min": 0.0}
PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}


@pytest.fixture(scope="module")
def chunk(repo, tmp_path_factory):
    """(directory, particle-level objects file, generation record) of 1500 real signal events."""
    directory = tmp_path_factory.mktemp("detector_validation")
    card = directory / "param_card.dat"
    card.write_text(
        format_param_card(build_param_card(MASS, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
    )
    spec = GenerationSpec(sample="lq_m1000", chunk=0, n_events=N_EVENTS, seed=31, sqrt_s_gev=13000.0, pdf=PDF)
    generate_lhe(
        str(repo / "config/cards/lq/pythia.cmnd"),
        str(card),
        {"pdg_id": 42, "yukawa_block": "YUKS1"},
        str(directory / "chunk0.lhe.gz"),
        str(directory / "chunk0.json"),
        spec,
    )
    shower_lhe(
        str(directory / "chunk0.lhe.gz"),
        str(repo / "config/cards/shower.cmnd"),
        str(directory / "shower.root"),
        sample="lq_m1000",
        chunk=0,
        seed=32,
    )
    cluster_chunk(str(directory / "shower.root"), str(directory / "objects.root"), **OBJECTS)
    return directory


def detector(chunk, card: str, name: str) -> str:
    output = chunk / f"{name}.root"
    detector_chunk(str(chunk / "objects.root"), card, str(output), seed=33, objects=OBJECTS)
    return str(output)


def selected(path: str):
    """(selected mask, m_LQ^min of the selected events, leptons, jets) of an objects file."""
    with uproot.open(path) as handle:
        events = handle["objects"].arrays(["lepton", "jet"])
    jets = remove_overlapping_jets(events["jet"], events["lepton"], SELECTION["jet_lepton_overlap_dr"])
    mask = list(select_events(events["lepton"], jets, EventSelection(**SELECTION)).values())[-1]
    mlq_min, _ = pair_leptons_jets(events["lepton"][mask], jets[mask])
    return mask, mlq_min, events["lepton"], jets


def test_acceptance_times_efficiency_falls_by_the_two_leptons_efficiencies(chunk, repo):
    card_file = str(repo / "config/detectors/atlas_like.yaml")
    particle, _, leptons, _ = selected(str(chunk / "objects.root"))
    reconstructed, *_ = selected(detector(chunk, card_file, "atlas"))
    electron = load_card(card_file).responses["electron"]
    chosen = leptons[particle]
    pt, eta = (
        ak.to_numpy(ak.flatten(chosen.pt)).astype(float),
        ak.to_numpy(ak.flatten(chosen.eta)).astype(float),
    )
    efficiency = np.prod([f(pt, eta, pt * np.cosh(eta)) for f in electron.efficiency.values()], axis=0)
    assert ak.all(abs(chosen.pid) == 11)  # y_11 only: every signal lepton is an electron
    per_event = efficiency.reshape(-1, 2).prod(axis=1)
    expected = per_event.mean()
    observed = reconstructed.sum() / particle.sum()
    # binomial error of the detector-level count given the particle-level events
    error = np.sqrt((per_event * (1 - per_event)).sum()) / particle.sum()
    print(
        f"A x eff particle {particle.mean():.4f}, detector {reconstructed.mean():.4f}: ratio {observed:.4f}, "
        f"lepton efficiencies predict {expected:.4f} +- {error:.4f}"
    )
    assert 0.75 < expected < 0.9
    assert abs(observed - expected) < 3 * error + 0.005  # + the smeared jets' threshold migrations


def test_the_peak_widens_by_what_the_card_s_resolutions_predict(chunk, repo):
    card_file = str(repo / "config/detectors/atlas_like.yaml")
    responses = load_card(card_file).responses
    # smearing only: the same events at both levels (every object kept)
    atlas = yaml.safe_load(open(card_file))
    smearing = chunk / "smearing.yaml"
    smearing.write_text(
        yaml.safe_dump(
            {
                "name": "smearing",
                **{obj: {"resolution": atlas[obj]["resolution"]} for obj in ("electron", "jet")},
            }
        )
    )
    particle, m_particle, leptons, jets = selected(str(chunk / "objects.root"))
    smeared, m_detector, *_ = selected(detector(chunk, str(smearing), "smearing"))
    both = particle & smeared
    m_p = m_particle[both[particle]]
    m_d = m_detector[both[smeared]]
    peak = np.abs(m_p - MASS) < 0.15 * MASS  # the particle-level peak, the same events at both levels

    # prediction: m = sqrt(2 pT_l pT_j (cosh - cos)) scales with sqrt(E_l E_j), so
    # sigma_m / m = 1/2 sqrt(r_l^2 + r_j^2), r the card's relative resolutions (mean over the
    # two leptons and the two leading jets of each event)
    def mean_square(objects, response):
        first = objects[both][:, :2]
        pt, eta = (
            ak.to_numpy(ak.flatten(first.pt)).astype(float),
            ak.to_numpy(ak.flatten(first.eta)).astype(float),
        )
        mass = ak.to_numpy(ak.flatten(first.mass)).astype(float)
        r = response.resolution(pt, eta, np.sqrt((pt * np.cosh(eta)) ** 2 + mass**2))
        return (r**2).reshape(-1, 2).mean(axis=1)

    delta2 = 0.25 * (mean_square(leptons, responses["electron"]) + mean_square(jets, responses["jet"]))
    predicted_relative = np.sqrt(delta2[peak].mean())
    predicted_added = np.sqrt(np.mean(m_p[peak] ** 2 * delta2[peak]))
    # widths as half the central 68 % interval: the few events whose lepton-jet pairing flips
    # when the jets are smeared (|m_det / m_part - 1| > 20 %) would dominate an RMS
    ratio_width = half_width(m_d[peak] / m_p[peak])
    width_particle, width_detector = half_width(m_p[peak]), half_width(m_d[peak])
    added = np.sqrt(width_detector**2 - width_particle**2)
    print(
        f"{peak.sum()} events within 15 % of M: peak half-width (68 %) particle {width_particle:.1f} GeV, "
        f"detector {width_detector:.1f} GeV, added in quadrature {added:.1f} GeV, the card predicts "
        f"{predicted_added:.1f} GeV; per-event m_det/m_part width {ratio_width:.4f}, predicted "
        f"{predicted_relative:.4f}; pairing flips {(np.abs(m_d[peak] / m_p[peak] - 1) > 0.2).sum()}"
    )
    assert peak.sum() > 800
    assert ratio_width == pytest.approx(predicted_relative, rel=0.2)
    assert added == pytest.approx(predicted_added, rel=0.25)


def half_width(values: np.ndarray) -> float:
    low, high = np.percentile(values, [16, 84])
    return (high - low) / 2


def test_a_perfect_card_reproduces_the_particle_level_histograms_exactly(chunk, tmp_path):
    perfect = tmp_path / "perfect.yaml"
    perfect.write_text(
        yaml.safe_dump(
            {
                "name": "perfect",
                **{
                    flavour: {
                        "efficiency": [{"name": "all", "formula": 1, "source": "test"}],
                        "resolution": {"variable": "pt", "formula": 0, "source": "test"},
                    }
                    for flavour in ("electron", "muon")
                },
                "jet": {
                    "resolution": {"variable": "energy", "formula": 0, "source": "test"},
                    "energy_scale": {"formula": 1, "source": "test"},
                },
            }
        )
    )
    records = {}
    for level, objects in (
        ("particle", str(chunk / "objects.root")),
        ("perfect", detector(chunk, str(perfect), "perfect")),
    ):
        records[level] = analyse_sample(
            [objects],
            [str(chunk / "chunk0.json")],
            str(tmp_path / f"{level}.json"),
            str(tmp_path / f"{level}.root"),
            sample="lq_m1000",
            process="lq",
            mass_gev=MASS,
            selection=SELECTION,
            binning={"min_gev": 0.0, "max_gev": 3000.0, "width_gev": 50.0},
            luminosity_fb=139.0,
        )
    assert records["particle"]["histograms"] == records["perfect"]["histograms"]
    assert records["particle"]["cutflow"] == records["perfect"]["cutflow"]
    # non-trivial: the peak is filled, and at the generated mass (the bin holding M or a neighbour)
    mlq_min = records["particle"]["histograms"]["mlq_min"]
    assert max(mlq_min["values"]) > 0
    peak = int(np.argmax(mlq_min["values"][1:-1]))  # without under- and overflow
    assert mlq_min["edges"][peak] - 50.0 <= MASS <= mlq_min["edges"][peak + 1] + 50.0
