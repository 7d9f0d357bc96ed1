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
    assert len(pd.read_csv(outputs["cutflow"])) == 6
    with uproot.open(outputs["histograms_root"]) as handle:
        values = handle["mlq_min_ttbar"].values(flow=True)
    assert values.tolist() == [0.0, 1.0, 2.0, 0.5]
    with pytest.raises(ValueError, match="ttbar: made with pythia, expected madgraph"):
        write_summary(records[1:], outputs, "madgraph")
    assert math.isclose(pd.read_csv(outputs["yields"])["yield"].sum(), 472.6)


# ---- every column, exactly (the CSV files are what users read)


def test_cross_section_table_columns_and_values(records):
    table = cross_section_table(records)
    assert str(table["mass_gev"].dtype) == "Int64"  # integers, empty for backgrounds
    assert table.astype(object).where(table.notna(), None).to_dict("records") == [
        {
            "sample": "lq_m1000",
            "process": "lq",
            "mass_gev": 1000,
            "slice_variable": None,
            "slice_min_gev": None,
            "slice_max_gev": None,
            "generator": "pythia",
            "sigma_pb": 0.004,
            "sigma_err_pb": 0.0001,
            "n_events": 200,
            "generator_version": "Pythia 8.317",
            "bsmflow_version": "0.1.0",
        },
        {
            "sample": "ttbar",
            "process": "ttbar",
            "mass_gev": None,
            "slice_variable": None,
            "slice_min_gev": None,
            "slice_max_gev": None,
            "generator": "pythia",
            "sigma_pb": 0.004,
            "sigma_err_pb": 0.0001,
            "n_events": 200,
            "generator_version": "Pythia 8.317",
            "bsmflow_version": "0.1.0",
        },
    ]


def test_cutflow_table_columns_and_values(records):
    from bsmflow.summarise.tables import cutflow_table

    rows = cutflow_table(records).to_dict("records")
    assert rows[0] == {
        "sample": "lq_m1000",
        "step": "all",
        "raw": 200,
        "weighted": 556.0,
        "weighted_err": 39.3,
        "efficiency": 1.0,
    }
    assert rows[5] == {
        "sample": "ttbar",
        "step": "min_2_jets",
        "raw": 20,
        "weighted": 55.6,
        "weighted_err": 3.0,
        "efficiency": 0.1,
    }
    assert [row["step"] for row in rows[:3]] == ["all", "2_leptons", "min_2_jets"]
    assert len(rows) == 6


def test_yields_table_columns_and_values(records):
    table = yields_table(records)
    assert str(table["mass_gev"].dtype) == "Int64"
    assert table.astype(object).where(table.notna(), None).to_dict("records")[1] == {
        "sample": "ttbar",
        "slices": "",
        "process": "ttbar",
        "mass_gev": None,
        "generator": "pythia",
        "luminosity_fb": 139.0,
        "selected_raw": 20,
        "yield": 55.6,
        "yield_stat_err": 3.0,
        "acceptance_x_efficiency": 0.1,
        **{
            f"yield_{group}_{side}": None
            for group in ("scale", "isr", "fsr", "pdf")
            for side in ("down", "up")
        },
        "yield_theory_down": 55.6,  # no variations: the band is the nominal yield
        "yield_theory_up": 55.6,
        "pdf_note": None,
    }


def test_yield_envelopes_from_the_variation_histograms():
    from bsmflow.summarise.tables import yield_envelopes

    def varied(total):
        return {"mlq_min": {"values": [0.0, total - 1.0, 1.0, 0.0]}}  # flow bins count: every selected event

    scale = {"muR_1_muF_1": 10.0, "muR_2_muF_2": 8.0, "muR_0p5_muF_0p5": 13.0, "muR_2_muF_1": 9.0}
    scale |= {"muR_1_muF_2": 10.5, "muR_0p5_muF_1": 12.0, "muR_1_muF_0p5": 9.5}
    shower = {"isr_mur_0p5": 11.0, "isr_mur_2": 9.0, "fsr_mur_0p5": 9.6, "fsr_mur_2": 10.2}
    record = {
        "cutflow": [{"weighted": 10.0}],
        "variations": {name: varied(total) for name, total in (scale | shower).items()},
    }
    columns = yield_envelopes(record)
    assert (columns["yield_scale_down"], columns["yield_scale_up"]) == pytest.approx((8.0, 13.0))
    assert (columns["yield_isr_down"], columns["yield_isr_up"]) == pytest.approx((9.0, 11.0))
    assert (columns["yield_fsr_down"], columns["yield_fsr_up"]) == pytest.approx((10.2, 9.6))  # as computed
    assert np.isnan(columns["yield_pdf_down"])
    up = np.sqrt(3.0**2 + 1.0**2 + 0.2**2)  # every upward shift in quadrature
    down = np.sqrt(2.0**2 + 1.0**2 + 0.4**2)
    assert columns["yield_theory_up"] == pytest.approx(10 + up)
    assert columns["yield_theory_down"] == pytest.approx(10 - down)


def test_histogram_table_rows(records):
    rows = histogram_table(records[:1]).to_dict("records")
    assert len(rows) == 8  # two observables x (2 bins + 2 flow bins)
    assert rows[1] == {
        "sample": "lq_m1000",
        "observable": "mlq_min",
        "low_gev": 0.0,
        "high_gev": 500.0,
        "value": 1.0,
        "error": 0.5,
    }
    assert rows[4]["observable"] == "mlq_max"


def test_hist_axis_carries_the_observable_name_and_label(records):
    histogram = to_hist(records[0], "mlq_max")
    assert histogram.axes[0].name == "mlq_max" and histogram.axes[0].label.endswith("[GeV]")
    assert histogram.variances(flow=True).tolist() == [0.0, 0.25, 1.0, 0.04]


def test_csv_files_have_no_index_column_and_records_load_back(records, tmp_path):
    import json

    from bsmflow.summarise.tables import load_records

    outputs = {
        key: str(tmp_path / f"{key}.csv") for key in ("cross_sections", "cutflow", "yields", "histograms_csv")
    }
    outputs["histograms_root"] = str(tmp_path / "histograms.root")
    write_summary(records, outputs, "pythia")
    assert pd.read_csv(outputs["yields"]).columns[0] == "sample"
    assert pd.read_csv(outputs["cross_sections"]).columns.tolist()[:2] == ["sample", "process"]
    paths = []
    for i, record in enumerate(records):
        paths.append(tmp_path / f"analysis{i}.json")
        paths[-1].write_text(json.dumps(record))
    assert load_records([str(p) for p in paths]) == records
