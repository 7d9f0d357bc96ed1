"""Compare the physics outputs of two finished runs of the workflow, value by value.

    python bench/compare_results.py RUN_A RUN_B

RUN_A and RUN_B are working directories of finished runs (each with results/). Compared:
every LHE file's events (particle lines and event info, as pylhe reads them), every ROOT file's
trees (all branches, exactly), the analysis histograms and cutflows, and the summary tables
(columns that record versions or times left out). Records and metadata (times, hashes, paths)
are not compared. Prints one line per difference and exits 1 if there is any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import awkward as ak
import pandas as pd
import pylhe
import uproot

VOLATILE_COLUMNS = {"generator_version", "bsmflow_version"}


def lhe_events(path: Path) -> list[tuple]:
    events = []
    for event in pylhe.LHEFile.fromfile(str(path)).events:
        info = event.eventinfo
        particles = tuple(
            (p.id, p.status, p.mother1, p.mother2, p.color1, p.color2, p.px, p.py, p.pz, p.e, p.m)
            for p in event.particles
        )
        events.append(((info.nparticles, info.pid, info.weight, info.scale, info.aqed, info.aqcd), particles))
    return events


def root_trees(path: Path) -> dict[str, list]:
    with uproot.open(path) as handle:
        return {
            name.split(";")[0]: ak.to_list(handle[name].arrays())
            for name, classname in handle.classnames().items()
            if classname == "TTree"
        }


def root_histograms(path: Path) -> dict[str, tuple]:
    with uproot.open(path) as handle:
        return {
            name.split(";")[0]: (
                handle[name].values(flow=True).tolist(),
                handle[name].variances(flow=True).tolist(),
            )
            for name, classname in handle.classnames().items()
            if classname.startswith("TH1")
        }


def analysis(path: Path) -> dict:
    record = json.loads(path.read_text())
    return {key: record[key] for key in ("sigma_pb", "sigma_err_pb", "n_events", "cutflow", "histograms")}


def table(path: Path) -> list:
    frame = pd.read_csv(path)
    kept = frame.drop(columns=[c for c in frame.columns if c in VOLATILE_COLUMNS])
    return kept.astype(str).to_dict("records")  # str: NaN (no mass) equals NaN


READERS = {
    ".lhe.gz": lhe_events,
    ".root": root_trees,
    "analysis.json": analysis,
    ".csv": table,
}


def reader_for(path: Path):
    if path.name == "histograms.root":
        return root_histograms
    for suffix, reader in READERS.items():
        if path.name.endswith(suffix):
            return reader
    return None


def compare(run_a: Path, run_b: Path) -> list[str]:
    files_a = {p.relative_to(run_a) for p in (run_a / "results").rglob("*") if reader_for(p)}
    files_b = {p.relative_to(run_b) for p in (run_b / "results").rglob("*") if reader_for(p)}
    problems = [f"only in {run_a}: {p}" for p in sorted(files_a - files_b)]
    problems += [f"only in {run_b}: {p}" for p in sorted(files_b - files_a)]
    for relative in sorted(files_a & files_b):
        reader = reader_for(relative)
        if reader(run_a / relative) != reader(run_b / relative):
            problems.append(f"differs: {relative}")
    print(f"compared {len(files_a & files_b)} files", file=sys.stderr)
    return problems


if __name__ == "__main__":
    found = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    print("\n".join(found) or "identical")
    sys.exit(1 if found else 0)
