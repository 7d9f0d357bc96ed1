"""Summary tables and the histogram file from hand-made analysis records."""

import math

import numpy as np
import pandas as pd
import pytest
import uproot

from bsmflow.summarise.tables import (
    cross_section_table,
    histogram_table,
    to_hist,
    write_summary,
    yields_table,
)


def test_cross_section_table_has_one_row_per_sample(records):
    table = cross_section_table(records)
    assert list(table["sample"]) == ["lq_m1000", "ttbar"]
    assert table["mass_gev"].iloc[0] == 1000 and pd.isna(table["mass_gev"].iloc[1])
    assert list(table["sigma_pb"]) == [0.004, 0.004]


def test_yields_are_the_last_cutflow_step(records):
    table = yields_table(records).set_index("sample")
    assert table.loc["lq_m1000", "yield"] == 417.0 and table.loc["ttbar", "selected_raw"] == 20
    assert table.loc["lq_m1000", "acceptance_x_efficiency"] == pytest.approx(150 / 200)


def test_histogram_table_lists_flow_bins_with_infinite_edges(records):
    table = histogram_table(records[:1])
    rows = table[table["observable"] == "mlq_min"]
    assert list(rows["low_gev"]) == [-np.inf, 0.0, 500.0, 1000.0]
    assert list(rows["high_gev"]) == [0.0, 500.0, 1000.0, np.inf]
    assert list(rows["error"]) == pytest.approx([0.0, 0.5, 1.0, 0.2])


def test_hist_round_trip_keeps_flow_bins(records):
    histogram = to_hist(records[0], "mlq_min")
    assert histogram.values().tolist() == [1.0, 2.0]
    assert histogram.sum(flow=True).value == pytest.approx(3.5)
    assert histogram.axes[0].edges.tolist() == [0.0, 500.0, 1000.0]


def test_write_summary_writes_every_table_and_refuses_a_foreign_generator(records, tmp_path):
    outputs = {
        key: str(tmp_path / name)
        for key, name in (
            ("cross_sections", "cross_sections.csv"),
            ("cutflow", "cutflow.csv"),
            ("yields", "yields.csv"),
            ("histograms_csv", "histograms.csv"),
            ("histograms_root", "histograms.root"),
        )
    }
    write_summary(records, outputs, "pythia")
    assert len(pd.read_csv(outputs["cutflow"])) == 4
    with uproot.open(outputs["histograms_root"]) as handle:
        values = handle["mlq_min_ttbar"].values(flow=True)
    assert values.tolist() == [0.0, 1.0, 2.0, 0.5]
    with pytest.raises(ValueError, match="ttbar: made with pythia, expected madgraph"):
        write_summary(records[1:], outputs, "madgraph")
    assert math.isclose(pd.read_csv(outputs["yields"])["yield"].sum(), 472.6)
