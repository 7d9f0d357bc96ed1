"""pT-sum importance sampling: the keep rule and weights (logic), and real Pythia: the sampled
sample keeps the cross section and, weighted, the unsampled distribution of the leptons' pT sum."""

import math
from dataclasses import dataclass

import numpy as np
import pylhe
import pytest

from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.sampling import PtSampler, keep_probability, pt_sum
from bsmflow.generate.spec import GenerationSpec

PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}
SAMPLING = {"particles": "leptons", "threshold_gev": 200.0, "keep_fraction": 0.25}


@dataclass
class Particle:
    id: int
    pt: float
    final: bool = True

    def idAbs(self):
        return abs(self.id)

    def isFinal(self):
        return self.final

    def pT(self):
        return self.pt


class Record(list):
    def size(self):
        return len(self)


def test_pt_sums_of_leptons_and_of_visible_particles():
    record = Record(
        [
            Particle(11, 120.0),
            Particle(-13, 60.0),
            Particle(15, 30.0),
            Particle(12, 500.0),
            Particle(5, 400.0),
        ]
    )
    record.append(Particle(-11, 999.0, final=False))  # decayed: not final
    record.append(Particle(21, 50.0))
    assert pt_sum(record, "leptons") == pytest.approx(210.0)
    assert pt_sum(record, "visible") == pytest.approx(660.0)  # all but the neutrino
    with pytest.raises(ValueError, match="particles = 'jets'"):
        pt_sum(record, "jets")


def test_keep_probability_and_weights():
    assert keep_probability(199.9, SAMPLING) == 0.25
    assert keep_probability(200.0, SAMPLING) == 1.0
    sampler = PtSampler(SAMPLING, seed=1)
    high = Record([Particle(11, 150.0), Particle(-11, 100.0)])
    low = Record([Particle(11, 50.0), Particle(-11, 60.0)])
    assert all(sampler.weight(high) == 1.0 for _ in range(100))
    factors = [sampler.weight(low) for _ in range(4000)]
    kept = [f for f in factors if f is not None]
    assert set(kept) == {4.0}
    assert len(kept) == pytest.approx(1000, abs=4 * math.sqrt(4000 * 0.25 * 0.75))
    assert sampler.record() == {**SAMPLING, "events_below": 4000, "kept_below": len(kept)}
    again = PtSampler(SAMPLING, seed=1)
    assert [again.weight(low) for _ in range(4000)] == factors  # reproducible from the seed


def leptons_pt_sum(event) -> float:
    return sum(math.hypot(p.px, p.py) for p in event.particles if p.status == 1 and abs(p.id) in (11, 13, 15))


def generate(repo, tmp_path, name, seed, sampling=None):
    lhe = tmp_path / f"{name}.lhe.gz"
    record = generate_lhe(
        str(repo / "config/cards/dyjets/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(tmp_path / f"{name}.json"),
        GenerationSpec(name, 0, 3000, seed, 13000.0, PDF),
        slice={"variable": "mhat", "min_gev": 800.0, "max_gev": 1200.0},
        sampling=sampling,
    )
    return record, list(pylhe.LHEFile.fromfile(str(lhe)).events)


def test_sampled_events_weighted_back_equal_the_unsampled_ones(repo, tmp_path):
    plain, plain_events = generate(repo, tmp_path, "plain", 11)
    sampled, events = generate(repo, tmp_path, "sampled", 12, SAMPLING)
    pull = (sampled["sigma_pb"] - plain["sigma_pb"]) / math.hypot(
        sampled["sigma_err_pb"], plain["sigma_err_pb"]
    )
    assert abs(pull) < 4  # the cross section is untouched
    counts = sampled["pt_sampling"]
    assert counts["kept_below"] == pytest.approx(
        0.25 * counts["events_below"], abs=5 * math.sqrt(counts["events_below"])
    )
    weights = np.array([e.eventinfo.weight for e in events])
    assert np.mean(weights) == pytest.approx(sampled["sigma_pb"], rel=1e-6)  # mean XWGTUP = sigma
    sums = np.array([leptons_pt_sum(e) for e in events])
    below = sums < SAMPLING["threshold_gev"]
    # 1 / keep_fraction below the threshold (Pythia's own weights are 1, or a little above 1 where
    # its cross-section maximum was exceeded)
    unit = np.median(weights[~below])
    assert np.median(weights[below]) == pytest.approx(4.0 * unit, rel=1e-6)
    assert np.all(weights[below] >= 4.0 * unit * (1 - 1e-6)) and np.all(weights[~below] >= unit * (1 - 1e-6))
    plain_sum = np.array([leptons_pt_sum(e) for e in plain_events])
    plain_below = np.mean(plain_sum < SAMPLING["threshold_gev"])
    assert np.mean(below) < 0.5 * plain_below  # the shower gets fewer low-pT-sum events ...
    for edge in (100.0, 200.0, 300.0, 400.0):  # ... and the weighted spectrum is the unsampled one
        expected = np.mean(plain_sum < edge)
        weighted = np.sum(weights * (sums < edge)) / weights.sum()
        error = math.sqrt(expected * (1 - expected) / len(plain_sum)) * 2.5  # both samples, weights
        assert weighted == pytest.approx(expected, abs=3 * error + 1e-3), edge
