"""The reference cross section (log-linear interpolation, no extrapolation) and the branching
ratio to the analysed channel."""

import math

import pytest

from bsmflow.infer.reference import pair_branching_ratio, read_reference_table, reference_cross_section
from bsmflow.model.param_card import build_param_card, format_param_card

TABLE = "config/reference/stop_pair_13tev_nnlo_nnll.csv"


@pytest.fixture(scope="module")
def table(repo):
    return read_reference_table(repo / TABLE)


def test_table_covers_500_to_3000_gev_in_100_gev_steps(table):
    assert table["mass_gev"].tolist() == list(range(500, 3001, 100))
    assert (table["xsec_fb"].diff().dropna() < 0).all()  # falling with the mass
    # the published values at the scan's masses (docs/physics.md): 6.83, 0.257, 0.0148 fb
    assert table.set_index("mass_gev").loc[[1000, 1500, 2000], "xsec_fb"].tolist() == [6.83, 0.257, 0.0148]


def test_table_points_are_returned_exactly(table):
    point = reference_cross_section(table, 1500, TABLE)
    assert point.sigma_fb == pytest.approx(0.257, rel=1e-12)
    assert point.sigma_err_fb == pytest.approx(0.0427, rel=1e-12)


def test_interpolation_is_linear_in_log_sigma(table):
    middle = reference_cross_section(table, 1050, TABLE)
    assert middle.sigma_fb == pytest.approx(math.sqrt(6.83 * 3.35), rel=1e-12)  # geometric mean
    relative = (0.765 / 6.83 + 0.406 / 3.35) / 2
    assert middle.relative_uncertainty == pytest.approx(relative, rel=1e-12)


@pytest.mark.parametrize("mass", [499, 3001])
def test_a_mass_outside_the_table_is_an_error(table, mass):
    with pytest.raises(
        ValueError,
        match=f"M = {mass} GeV is outside the table .500-3000 GeV.; the reference is not extrapolated",
    ):
        reference_cross_section(table, mass, TABLE)


def test_pair_branching_ratio_to_the_analysed_channel(tmp_path):
    path = tmp_path / "card.dat"
    path.write_text(
        format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
    )
    assert pair_branching_ratio(path, 42, "YUKS1") == pytest.approx(1.0, rel=1e-12)
    # equal couplings to u e and u mu: BR 1/2 each; the pair is ee or mu mu: 1/4 + 1/4
    path.write_text(
        format_param_card(build_param_card(1000, [[0.1, 0.1, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
    )
    assert pair_branching_ratio(path, 42, "YUKS1") == pytest.approx(0.5, rel=1e-6)
    # a coupling to the top quark: t e is not a light-jet channel
    path.write_text(
        format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0.1, 0, 0]], 172.5, 42), "YUKS1")
    )
    top_fraction = (1 - 0.1725**2) ** 2
    assert pair_branching_ratio(path, 42, "YUKS1") == pytest.approx((1 / (1 + top_fraction)) ** 2, rel=1e-6)
