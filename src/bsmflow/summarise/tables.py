"""Summary tables and the histogram file from the per-sample analysis records (rule summary_tables)."""

from __future__ import annotations

import json
from pathlib import Path

import hist
import numpy as np
import pandas as pd

from ..analyse.stitch import by_process
from ..analyse.variations import envelopes, total_band
from ..conventions import OBSERVABLES, PARTICLE_LEVEL, PB_TO_FB
from ..io import atomic_output


def load_records(paths: list[str]) -> list[dict]:
    """The analysis records (JSON) of the given files, in order."""
    return [json.loads(Path(path).read_text()) for path in paths]


def cross_section_table(records: list[dict]) -> pd.DataFrame:
    """One row per sample (each slice its own): sample, process, mass_gev (empty for
    backgrounds), the slice (variable, min_gev, max_gev; empty if unsliced or open-ended),
    generator, sigma_pb, sigma_err_pb, n_events, then the generator's and bsmflow's versions."""
    rows = [
        {
            "sample": r["sample"],
            "process": r["process"],
            "mass_gev": r["mass_gev"],
            "slice_variable": (r.get("slice") or {}).get("variable"),
            "slice_min_gev": (r.get("slice") or {}).get("min_gev"),
            "slice_max_gev": (r.get("slice") or {}).get("max_gev"),
            "generator": r["generator"],
            "sigma_pb": r["sigma_pb"],
            "sigma_err_pb": r["sigma_err_pb"],
            "n_events": r["n_events"],
            "generator_version": r["generator_version"],
            "bsmflow_version": r["bsmflow_version"],
        }
        for r in records
    ]
    table = pd.DataFrame(rows)
    table["mass_gev"] = table["mass_gev"].astype("Int64")
    return table


def cutflow_table(records: list[dict]) -> pd.DataFrame:
    """Raw and weighted (sigma x L / N) counts per cut per sample, in cutflow order."""
    rows = []
    for r in records:
        for step in r["cutflow"]:
            rows.append(
                {
                    "sample": r["sample"],
                    "step": step["step"],
                    "raw": step["raw"],
                    "weighted": step["weighted"],
                    "weighted_err": step["weighted_err"],
                    "efficiency": step["raw"] / r["n_events"],
                }
            )
    return pd.DataFrame(rows)


def yields_table(records: list[dict]) -> pd.DataFrame:
    """Events expected after the full selection at the analysis luminosity, per sample, and per
    sliced process (its slices stitched: sample = the process, `slices` lists them). The
    acceptance x efficiency of a stitched process is its yield / (sigma x L)."""
    rows = []
    stitched = [r for r in by_process(records) if "slices" in r]
    for r in records + stitched:
        final = r["cutflow"][-1]
        if "slices" in r:
            acceptance = final["weighted"] / (r["sigma_pb"] * PB_TO_FB * r["luminosity_fb"])
        else:
            acceptance = final["raw"] / r["n_events"]
        rows.append(
            {
                "sample": r["sample"],
                "slices": " ".join(r.get("slices", [])),
                "process": r["process"],
                "mass_gev": r["mass_gev"],
                "generator": r["generator"],
                "luminosity_fb": r["luminosity_fb"],
                "selected_raw": final["raw"],
                "yield": final["weighted"],
                "yield_stat_err": final["weighted_err"],
                "acceptance_x_efficiency": acceptance,
                **yield_envelopes(r),
                "pdf_note": r.get("pdf_note"),
            }
        )
    table = pd.DataFrame(rows)
    table["mass_gev"] = table["mass_gev"].astype("Int64")
    return table


ENVELOPE_GROUPS = ("scale", "isr", "fsr", "pdf")


def variation_yields(record: dict) -> dict[str, float]:
    """Selected events of each variation (its m_LQ^min histogram with flow: every selected event)."""
    return {name: float(sum(v["mlq_min"]["values"])) for name, v in (record.get("variations") or {}).items()}


def yield_envelopes(record: dict) -> dict[str, float]:
    """yield_<group>_down/up for scale, isr, fsr, pdf (NaN where the group was not computed) and
    yield_theory_down/up, the groups combined in quadrature (bsmflow.analyse.variations)."""
    nominal = record["cutflow"][-1]["weighted"]
    bands = envelopes(np.array(nominal), variation_yields(record))
    columns = {}
    for group in ENVELOPE_GROUPS:
        low, high = bands.get(group, (np.nan, np.nan))
        columns[f"yield_{group}_down"], columns[f"yield_{group}_up"] = float(low), float(high)
    low, high = total_band(np.array(nominal), bands)
    columns["yield_theory_down"], columns["yield_theory_up"] = float(low), float(high)
    return columns


def to_hist(record: dict, observable: str, variation: str | None = None) -> hist.Hist:
    """Rebuild a hist.Hist (Weight storage, flow bins included) from an analysis record: the
    nominal histogram of ``observable``, or that of one ``variation`` (m_LQ^min only)."""
    data = (
        record["histograms"][observable] if variation is None else record["variations"][variation][observable]
    )
    edges = np.asarray(data["edges"])
    histogram = hist.Hist(
        hist.axis.Variable(edges, name=observable, label=OBSERVABLES[observable]),
        storage=hist.storage.Weight(),
    )
    view = histogram.view(flow=True)
    view.value = data["values"]
    view.variance = data["variances"]
    return histogram


def histogram_table(records: list[dict]) -> pd.DataFrame:
    """Long-format CSV of every histogram bin (underflow/overflow as -inf/inf edges)."""
    rows = []
    for r in records:
        for observable in OBSERVABLES:
            data = r["histograms"][observable]
            edges = [-np.inf, *data["edges"], np.inf]
            for i, (value, variance) in enumerate(zip(data["values"], data["variances"], strict=True)):
                rows.append(
                    {
                        "sample": r["sample"],
                        "observable": observable,
                        "low_gev": edges[i],
                        "high_gev": edges[i + 1],
                        "value": value,
                        "error": np.sqrt(variance),
                    }
                )
    return pd.DataFrame(rows)


def record_level(record: dict) -> str:
    """The level of an analysis record ('particle' for records made before levels existed)."""
    return record.get("level", PARTICLE_LEVEL)


def write_summary(
    records: list[dict], outputs: dict[str, str], generator: str, level: str = PARTICLE_LEVEL
) -> None:
    """Write cross_sections.csv, cutflow.csv, yields.csv, histograms.csv and histograms.root
    (histograms <observable>_<sample>, and <observable>_<process> for a sliced process; each
    variation as mlq_min_<sample>__<variation>). Every CSV row says its ``level``."""
    import uproot

    for record in records:
        if record["generator"] != generator:
            raise ValueError(f"{record['sample']}: made with {record['generator']}, expected {generator}")
        if record_level(record) != level:
            raise ValueError(
                f"{record['sample']}: analysed at {record_level(record)} level, expected {level}"
            )
    tables = {
        "cross_sections": cross_section_table(records),
        "cutflow": cutflow_table(records),
        "yields": yields_table(records),
        "histograms_csv": histogram_table(records),
    }
    for key, table in tables.items():
        table["level"] = level
        with atomic_output(outputs[key]) as tmp:
            table.to_csv(tmp, index=False)
    stitched = [r for r in by_process(records) if "slices" in r]
    with atomic_output(outputs["histograms_root"]) as tmp:
        with uproot.recreate(tmp) as out:
            for record in records + stitched:
                for observable in OBSERVABLES:
                    out[f"{observable}_{record['sample']}"] = to_hist(record, observable)
                for name in record.get("variations") or {}:
                    out[f"mlq_min_{record['sample']}__{name}"] = to_hist(record, "mlq_min", name)
