"""Shower sampling against the unsampled shower on the same LHE chunks of a finished run: each
chunk showered twice (same seed), clustered and analysed in-process; the two analysis records are
compared by the tests (tests/workflow/test_madgraph_*.py, test_sampled_background.py's Pythia twin)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import yaml

from bsmflow.analyse.sample import analyse_sample
from bsmflow.cluster.jets import cluster_chunk
from bsmflow.shower.pythia import shower_lhe


def analyse_chunks(run: Path, generator: str, sample: str, chunks: int, out: Path, **shower) -> dict:
    """The analysis record of ``sample``'s first ``chunks`` LHE chunks showered with ``shower``
    (keyword arguments of shower_lhe: matching_card, sampling) and clustered as the run does."""
    config = yaml.safe_load((run / "config/config.yaml").read_text())
    out.mkdir(parents=True)
    objects, records = [], []
    for chunk in range(chunks):
        lhe = run / f"results/{generator}/{sample}/lhe/chunk{chunk}.lhe.gz"
        shower_lhe(
            str(lhe),
            str(run / "config/cards/shower.cmnd"),
            str(out / f"shower{chunk}.root"),
            sample=sample,
            chunk=chunk,
            seed=1000 + chunk,
            **shower,
        )
        cluster_chunk(
            str(out / f"shower{chunk}.root"), str(out / f"objects{chunk}.root"), **config["objects"]
        )
        objects.append(str(out / f"objects{chunk}.root"))
        records.append(str(run / f"results/{generator}/{sample}/lhe/chunk{chunk}.json"))
    return analyse_sample(
        objects,
        records,
        str(out / "analysis.json"),
        str(out / "selected.root"),
        sample=sample,
        process=sample.split("_")[0],
        mass_gev=None,
        selection={**config["selection"], "mll_min": 0.0},
        binning=config["binning"],
        luminosity_fb=config["luminosity_fb"],
    )


def step(record: dict, name: str) -> dict:
    (found,) = [s for s in record["cutflow"] if s["step"] == name]
    return found


def pulls(plain: dict, sampled: dict) -> dict[str, float]:
    """(sampled - plain) / combined error of the weighted count after every cutflow step."""
    result = {}
    for entry in plain["cutflow"]:
        other = step(sampled, entry["step"])
        error = math.hypot(entry["weighted_err"], other["weighted_err"])
        result[entry["step"]] = (other["weighted"] - entry["weighted"]) / error if error else 0.0
    return result


def sampling_counts(out: Path, chunks: int) -> dict:
    """The sampling decisions of the sampled showers, summed over chunks."""
    import uproot

    total: dict[str, int] = {}
    for chunk in range(chunks):
        with uproot.open(out / f"shower{chunk}.root") as handle:
            record = json.loads(str(handle["metadata"]))["sampling"]
        for key in ("events", "below", "kept_below"):
            total[key] = total.get(key, 0) + record[key]
    return total
