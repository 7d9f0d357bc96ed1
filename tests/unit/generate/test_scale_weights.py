"""Scale-variation weights: the alpha_s running against MadGraph's own values, the alpha_s power
rule, the weight formula and the LHE 3 weight blocks."""

from __future__ import annotations

import gzip
import math

import numpy as np
import pylhe
import pytest

from bsmflow.generate.lhe import WeightGroup, add_weights, read_event_weights
from bsmflow.generate.scale_weights import (
    NOMINAL_ID,
    SCALE_IDS,
    HardScatterings,
    alpha_s_power,
    check_alpha_s,
    scale_ratios,
    two_loop_alpha_s,
)


@pytest.mark.parametrize(
    "scale, madgraph_alpha_s",
    # (SCALUP, AQCDUP) of three events of a MadGraph 3.5.7 Drell-Yan + jets run with nn23lo1
    [(444.9727, 0.1029232), (381.8063, 0.1050268), (137.3331, 0.1216963)],
)
def test_two_loop_running_reproduces_madgraphs_alpha_s(scale, madgraph_alpha_s):
    assert two_loop_alpha_s(0.130)(scale) == pytest.approx(madgraph_alpha_s, rel=2e-7)


def test_the_inverse_running_gives_the_scale_of_an_alpha_s():
    from bsmflow.generate.scale_weights import two_loop_scale

    scale = two_loop_scale(0.130)
    assert scale(0.1029232) == pytest.approx(444.9727, rel=2e-5)  # MadGraph's event above
    assert scale(two_loop_alpha_s(0.130)(1234.5)) == pytest.approx(1234.5, rel=1e-12)


def test_two_loop_running_at_mz_and_one_loop_is_not_enough():
    alpha_s = two_loop_alpha_s(0.130)
    assert alpha_s(91.188) == pytest.approx(0.130, rel=1e-12)
    one_loop = 0.130 / (1 + 0.130 * 23 / (12 * math.pi) * math.log(444.9727**2 / 91.188**2))
    assert abs(one_loop / 0.1029232 - 1) > 5e-3  # 0.9 %: the test above does discriminate
    with pytest.raises(ValueError, match="below the b mass"):
        alpha_s(3.0)


def particle(pid, status, mothers, colour=(0, 0)):
    return pylhe.LHEParticle(
        id=pid, status=status, mother1=mothers[0], mother2=mothers[1], color1=colour[0], color2=colour[1],
        px=0.0, py=0.0, pz=0.0, e=0.0, m=0.0, lifetime=0.0, spin=9.0,
    )  # fmt: skip


def test_alpha_s_power_counts_the_coloured_particles_of_the_hard_scattering_only():
    incoming = [particle(21, -1, (0, 0), (501, 502)), particle(21, -1, (0, 0), (503, 501))]
    ttbar = incoming + [
        particle(6, 2, (1, 2), (503, 0)),
        particle(-6, 2, (1, 2), (0, 502)),
        particle(24, 2, (3, 3)),
        particle(5, 1, (3, 3), (503, 0)),  # decay products are not counted
        particle(2, 1, (5, 5), (504, 0)),
        particle(-1, 1, (5, 5), (0, 504)),
    ]
    assert alpha_s_power(ttbar) == 2
    drell_yan_2j = incoming + [
        particle(23, 2, (1, 2)),
        particle(11, 1, (3, 3)),
        particle(-11, 1, (3, 3)),
        particle(21, 1, (1, 2), (505, 502)),
        particle(21, 1, (1, 2), (503, 505)),
    ]
    assert alpha_s_power(drell_yan_2j) == 2
    diboson = incoming + [particle(23, 2, (1, 2)), particle(23, 2, (1, 2)), particle(1, 1, (3, 3), (501, 0))]
    assert alpha_s_power(diboson) == 0


def events(n_alpha_s, mu=500.0):
    return HardScatterings(
        x1=np.array([0.1, 0.02]),
        x2=np.array([0.05, 0.3]),
        id1=np.array([21, 2]),
        id2=np.array([21, -2]),
        mu_r=np.array([mu, 2 * mu]),
        mu_f=np.array([mu, 2 * mu]),
        n_alpha_s=np.array([n_alpha_s, n_alpha_s]),
        alpha_s=np.array([two_loop_alpha_s(0.13)(mu), two_loop_alpha_s(0.13)(2 * mu)]),
    )


def test_scale_ratios_follow_the_formula():
    alpha_s = two_loop_alpha_s(0.130)

    def xf(pid, x, q2):  # a toy PDF with a known scale dependence
        return (1 - x) ** 3 * math.log(q2) * (2.0 if pid == 21 else 1.0)

    sample = events(2)
    ratios = scale_ratios(sample, alpha_s, xf)
    assert ratios.shape == (2, 7)
    assert np.all(ratios[:, SCALE_IDS.index(NOMINAL_ID)] == 1.0)  # exactly
    column = SCALE_IDS.index("muR_2_muF_2")
    for i in range(2):
        mu = sample.mu_r[i]
        expected = (alpha_s(2 * mu) / alpha_s(mu)) ** 2 * (math.log((2 * mu) ** 2) / math.log(mu**2)) ** 2
        assert ratios[i, column] == pytest.approx(expected, rel=1e-12)
    # the alpha_s power matters: n = 3 differs from n = 2 by one more alpha_s ratio
    column = SCALE_IDS.index("muR_2_muF_1")
    third = scale_ratios(events(3), alpha_s, xf)[:, column] / ratios[:, column]
    assert third == pytest.approx([alpha_s(2 * m) / alpha_s(m) for m in sample.mu_r], rel=1e-12)


def test_a_wrong_scale_or_running_is_caught_by_the_events_alpha_s():
    sample = events(2)
    check_alpha_s(sample, two_loop_alpha_s(0.130), "file")
    with pytest.raises(ValueError, match="event 0 carries alpha_s"):
        check_alpha_s(sample, two_loop_alpha_s(0.118), "file")


LHE = """<LesHouchesEvents version="3.0">
<header>
<bsmflow>{}</bsmflow>
</header>
<init>
2212 2212 6.5e+03 6.5e+03 0 0 247000 247000 3 1
1.0e+00 1.0e-02 1.0e+00 1
</init>
<event>
 3 1 +1.2345678e+00 5.0e+02 7.5e-03 1.0e-01
 21 -1 0 0 501 502 0 0 +650 650 0 0 9
 21 -1 0 0 502 501 0 0 -650 650 0 0 9
 25 1 1 2 0 0 0 0 0 1300 1300 0 9
</event>
<event>
 3 1 -3.3e-01 5.0e+02 7.5e-03 1.0e-01
 21 -1 0 0 501 502 0 0 +650 650 0 0 9
 21 -1 0 0 502 501 0 0 -650 650 0 0 9
 25 1 1 2 0 0 0 0 0 1300 1300 0 9
</event>
</LesHouchesEvents>
"""


def test_weights_are_written_as_lhe3_rwgt_blocks_with_the_nominal_exact(tmp_path):
    source, target = tmp_path / "in.lhe.gz", tmp_path / "out.lhe.gz"
    with gzip.open(source, "wt") as stream:
        stream.write(LHE)
    ratios = np.array([[1.0, 0.8, 1.3], [1.0, 0.9, 1.1]])
    group = WeightGroup("scale_variation", "envelope", ["a", "b", "c"], ["nominal", "down", "up"], ratios)
    add_weights(source, target, [group])
    nominal, named = read_event_weights(target)
    assert nominal.tolist() == [1.2345678, -0.33]
    assert named["a"].tolist() == nominal.tolist()  # ratio 1: the same number, to the last bit
    assert named["b"] == pytest.approx(nominal * [0.8, 0.9], rel=1e-15)
    header = pylhe.LHEFile.fromfile(str(target)).header
    assert header.initrwgt.list_weights_ids() == ["a", "b", "c"]
    with pytest.raises(ValueError, match="2 events for 3 weight rows"):
        add_weights(
            source, tmp_path / "bad.lhe.gz", [WeightGroup("g", "envelope", ["a"], ["x"], np.ones((3, 1)))]
        )
