"""Stitching: the slices of a background process into one process, from their analysis records.

Each slice's events already carry sigma_slice x L / N_slice (the analysis weights every sample
so), so the process histogram is the bin-by-bin sum of its slices' histograms, with the squared
weights (variances) summed too. The same holds for the cutflow's weighted counts and for the
selected events the inference stage reads.
"""

from __future__ import annotations

import math


def stitch(records: list[dict]) -> dict:
    """One record for a process from the analysis records of its slices (a single record is
    returned as it is). Cross sections add (the slices partition the phase space), generated and
    selected events add, histograms and weighted counts add with their variances."""
    if len(records) == 1:
        return records[0]
    processes = {r["process"] for r in records}
    if len(processes) != 1 or any(r["mass_gev"] is not None for r in records):
        raise ValueError(
            f"only the slices of one background process can be stitched, got {sorted(processes)}"
        )
    first = records[0]
    steps = [step["step"] for step in first["cutflow"]]
    for r in records[1:]:
        if [step["step"] for step in r["cutflow"]] != steps:
            raise ValueError(f"{r['sample']}: its cutflow steps differ from {first['sample']}'s")
        for name, data in r["histograms"].items():
            if data["edges"] != first["histograms"][name]["edges"]:
                raise ValueError(f"{r['sample']}: its {name} binning differs from {first['sample']}'s")
    cutflow = []
    for i, step in enumerate(steps):
        parts = [r["cutflow"][i] for r in records]
        cutflow.append(
            {
                "step": step,
                "raw": sum(p["raw"] for p in parts),
                "weighted": sum(p["weighted"] for p in parts),
                "weighted_err": math.sqrt(sum(p["weighted_err"] ** 2 for p in parts)),
            }
        )
    histograms = {
        name: add_histograms([r["histograms"][name] for r in records]) for name in first["histograms"]
    }
    names = list(first.get("variations") or {})
    for r in records[1:]:
        if list(r.get("variations") or {}) != names:
            raise ValueError(f"{r['sample']}: its variation weights differ from {first['sample']}'s")
    nominal_all = sum(r["sigma_pb"] for r in records)
    variations = {
        name: {
            "all_events": sum(r["variations"][name]["all_events"] for r in records),
            "sigma_ratio": sum(r["variations"][name]["sigma_ratio"] * r["sigma_pb"] for r in records)
            / nominal_all,
            "mlq_min": add_histograms([r["variations"][name]["mlq_min"] for r in records]),
        }
        for name in names
    }
    return {
        **{
            key: first[key]
            for key in ("process", "mass_gev", "generator", "generator_version", "luminosity_fb")
        },
        "sample": first["process"],
        "slices": [r["sample"] for r in records],
        "sigma_pb": sum(r["sigma_pb"] for r in records),
        "sigma_err_pb": math.sqrt(sum(r["sigma_err_pb"] ** 2 for r in records)),
        "n_events": sum(r["n_events"] for r in records),
        "bsmflow_version": first["bsmflow_version"],
        "cutflow": cutflow,
        "histograms": histograms,
        "variations": variations,
        "pdf_note": first.get("pdf_note"),
    }


def add_histograms(parts: list[dict]) -> dict:
    """Bin-by-bin sum of histogram records (values and variances) with the same edges."""
    return {
        "edges": parts[0]["edges"],
        "values": [sum(v) for v in zip(*(p["values"] for p in parts), strict=True)],
        "variances": [sum(v) for v in zip(*(p["variances"] for p in parts), strict=True)],
    }


def by_process(records: list[dict]) -> list[dict]:
    """Signal records as they are, then one (stitched) record per background process, in order."""
    groups: dict[str, list[dict]] = {}
    result = []
    for r in records:
        if r["mass_gev"] is not None:
            result.append(r)
        else:
            groups.setdefault(r["process"], []).append(r)
    return result + [stitch(group) for group in groups.values()]
