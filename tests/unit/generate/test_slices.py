"""Slice settings of both generators and the diboson decay-channel filter."""

import pytest

from bsmflow.generate.filters import channel_filter, decay_class, diboson_ll, ee_mumu
from bsmflow.generate.slices import (
    card_conflicts,
    madgraph_cut_function,
    madgraph_slice_settings,
    pythia_slice_settings,
)


def test_pythia_slice_settings():
    assert pythia_slice_settings(None) == []
    assert pythia_slice_settings({"variable": "mhat", "min_gev": 300.0, "max_gev": 800.0}) == [
        "PhaseSpace:mHatMin = 300",
        "PhaseSpace:mHatMax = 800",
    ]
    assert pythia_slice_settings({"variable": "pthat", "min_gev": 50.0, "max_gev": None}) == [
        "PhaseSpace:pTHatMin = 50",
        "PhaseSpace:pTHatMax = -1",
    ]


def test_a_card_may_not_set_the_slice_variable():
    cut = {"variable": "mhat", "min_gev": 0.0, "max_gev": None}
    settings = ["PhaseSpace:pTHatMin = 50.", "phasespace:mhatmin = 800."]
    (problem,) = card_conflicts(settings, cut, "cards/dyjets/pythia.cmnd")
    assert "cards/dyjets/pythia.cmnd: 'phasespace:mhatmin = 800.' sets the slice variable mhat" in problem
    assert card_conflicts(settings, None, "x") == []


def test_madgraph_slices_cut_on_the_mass_of_the_whole_final_state():
    cut = {"variable": "mhat", "min_gev": 800.0, "max_gev": 1500.0}
    assert madgraph_slice_settings(cut) == {"dsqrt_shat": "800"}
    code = madgraph_cut_function(cut)
    assert "logical function dummy_cuts(P)" in code
    assert "parameter (xmin = 800.000000d0, xmax = 1500.000000d0)" in code
    assert "xmax = -1d0" in madgraph_cut_function({**cut, "max_gev": None})
    assert all(len(line) <= 72 for line in code.splitlines())  # fixed-form Fortran
    # HT slices: both edges in the cut function (tests/unit/generate/test_slice_cuts.py runs it)
    ht = {"variable": "ht", "min_gev": 300.0, "max_gev": None}
    # sqrt(s_hat) >= sum E_T >= any pT sum of the final state: the lower edge bounds MadGraph's
    # integration at no loss
    assert madgraph_slice_settings(ht) == {"dsqrt_shat": "300"}
    assert "if (is_a_j(i)) x = x + dsqrt(P(1, i)**2 + P(2, i)**2)" in madgraph_cut_function(ht)
    # S_T slices: jets, b quarks and charged leptons
    st = madgraph_cut_function({"variable": "st", "min_gev": 700.0, "max_gev": 1000.0})
    assert "if (is_a_j(i) .or. is_a_b(i) .or. is_a_l(i))" in st
    assert all(len(line) <= 72 for line in st.splitlines())
    with pytest.raises(ValueError, match="MadGraph slices support"):
        madgraph_slice_settings({"variable": "pthat", "min_gev": 0.0, "max_gev": None})


@pytest.mark.parametrize(
    "decays, kept",
    [
        ([(24, (-11, 12)), (-24, (13, -14))], True),  # WW -> e nu mu nu
        ([(24, (2, -1)), (-24, (13, -14))], False),  # WW -> q q mu nu: one lepton
        ([(24, (2, -1)), (23, (11, -11))], True),  # WZ -> q q e e
        ([(24, (2, -1)), (23, (15, -15))], False),  # WZ -> q q tau tau: not e/mu
        ([(24, (-15, 16)), (23, (13, -13))], True),  # WZ -> tau nu mu mu
        ([(-24, (11, -12)), (23, (12, -12))], False),  # WZ -> e nu nu nu
        ([(23, (5, -5)), (23, (13, -13))], True),  # ZZ -> b b mu mu
        ([(23, (1, -1)), (23, (2, -2))], False),  # ZZ -> 4 q
        ([(23, (11, -11)), (23, (14, -14))], True),  # ZZ -> e e nu nu
        ([(23, (15, -15)), (23, (15, -15))], True),  # ZZ -> 4 tau
        ([(23, (11, -11))], False),  # one boson
    ],
)
def test_diboson_channels(decays, kept):
    assert diboson_ll(decays) is kept


@pytest.mark.parametrize(
    "decays, kept",
    [
        ([(24, (-11, 12)), (-24, (11, -12))], True),  # WW -> e nu e nu
        ([(24, (-13, 14)), (-24, (13, -14))], True),  # WW -> mu nu mu nu
        ([(24, (-11, 12)), (-24, (13, -14))], False),  # WW -> e nu mu nu: different flavours
        ([(24, (-15, 16)), (-24, (15, -16))], False),  # WW -> tau nu tau nu
        ([(24, (-11, 12)), (-24, (15, -16))], False),  # WW -> e nu tau nu
        ([(24, (2, -1)), (-24, (11, -12))], False),  # WW -> q q e nu
        ([(24, (-11, 12))], False),  # one boson
    ],
)
def test_same_flavour_channels_and_their_complement(decays, kept):
    assert ee_mumu(decays) is kept
    assert channel_filter("ee_mumu")(decays) is kept
    assert channel_filter("not_ee_mumu")(decays) is not kept


def test_decay_classes():
    assert decay_class(23, (11, -11)) == "ll_em"
    assert decay_class(-24, (3, -4)) == "qq"
    assert decay_class(24, (-13, 14)) == "lnu"
    assert decay_class(23, (11, -13)) == "other"
