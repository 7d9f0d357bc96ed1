"""The summary plots: one figure per name, saved to exactly the paths the rule asks for."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from bsmflow.plotting import save_figures
from bsmflow.summarise.plots import draw_all, plot_edges


def test_every_expected_plot_is_drawn_by_name(records):
    figures = draw_all(records, 13000.0, 139.0, "pythia", None)
    assert sorted(figures) == ["mlq_min_M1000", "mlq_min_signal_shapes", "sigma_vs_mass"]
    stack = figures["mlq_min_M1000"].axes[0]
    assert stack.get_yscale() == "log" and stack.get_ylabel() == "Events / 500 GeV"
    labels = stack.get_legend_handles_labels()[1]
    assert labels == [r"$t\bar{t}$", "Bkg. MC stat. unc.", "S1 LQ, M = 1000 GeV"]
    for figure in figures.values():
        plt.close(figure)


def test_reference_points_are_drawn_only_at_the_simulated_energy(records, repo):
    reference = str(repo / "config/reference/lq_pair_xsec.csv")
    at_13 = draw_all(records, 13000.0, 139.0, "pythia", reference)["sigma_vs_mass"]
    at_14 = draw_all(records, 14000.0, 139.0, "pythia", reference)["sigma_vs_mass"]
    assert len(at_13.axes[0].get_lines()) > len(at_14.axes[0].get_lines())
    plt.close("all")


def test_figures_go_to_the_requested_paths_and_nowhere_else(records, tmp_path):
    figures = draw_all(records, 13000.0, 139.0, "pythia", None)
    paths = [str(tmp_path / f"out/{stem}.{ext}") for stem in figures for ext in ("png", "pdf")]
    save_figures(figures, paths)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(p.rsplit("/", 1)[1] for p in paths)
    assert (tmp_path / "out/sigma_vs_mass.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "out/sigma_vs_mass.pdf").read_bytes()[:4] == b"%PDF"


def test_a_requested_plot_that_is_not_drawn_is_an_error(records, tmp_path):
    figures = draw_all(records[:1], 13000.0, 139.0, "pythia", None)
    with pytest.raises(ValueError, match="do not match the outputs requested"):
        save_figures(figures, [str(tmp_path / "mlq_min_M2000.png")])
    plt.close("all")


def test_stack_has_the_background_band_and_greys_out_where_backgrounds_are_not_complete(records):
    figures = draw_all(records, 13000.0, 139.0, "pythia", None, complete_above_gev=500.0)
    ax = figures["mlq_min_M1000"].axes[0]
    (band,) = [p for p in ax.patches if p.get_label() == "Bkg. MC stat. unc."]
    values = band.get_data()[0]
    assert values.tolist() == pytest.approx([1.0 + 0.5, 2.0 + 1.0])  # total + sqrt(sum w^2)
    (greyed,) = [p for p in ax.patches if type(p).__name__ == "Rectangle"]
    assert greyed.get_x() + greyed.get_width() == pytest.approx(500.0)
    assert any("not shown complete" in t.get_text() for t in ax.texts)
    plt.close("all")


def test_stack_bins_merge_where_backgrounds_are_shown_complete_until_none_is_empty():
    edges = np.arange(0.0, 350.0, 50.0)  # six bins of 50 GeV
    background = np.array([5.0, 0.0, 3.0, 0.0, 0.0, 1.0])
    # below 100 GeV the bins stay (even an empty one); above, merged from the top until populated
    assert plot_edges(edges, background, 100.0).tolist() == [0.0, 50.0, 100.0, 250.0, 300.0]
    assert plot_edges(edges, background, None).tolist() == [0.0, 100.0, 250.0, 300.0]
    assert plot_edges(edges, np.zeros(6), 100.0).tolist() == edges.tolist()  # nothing to merge into
