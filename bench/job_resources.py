"""What each rule's jobs took in a finished run: the number of jobs, the largest wall time, CPU
time and peak memory, from the records the jobs write (wall_time_s, cpu_time_s, max_rss_mb) and,
for the inference jobs, their Snakemake benchmark files. The cluster profiles
(profiles/slurm, profiles/htcondor) are sized from these figures with a margin.

    python bench/job_resources.py RUN_DIR [RUN_DIR ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import arguments, save


def root_record(path: Path) -> dict:
    import uproot

    with uproot.open(path) as handle:
        return json.loads(str(handle["metadata"]))


# rule -> (glob under results/, reader)
RECORDS = {
    "pythia_generate": ("pythia/*/lhe/chunk*.json", lambda p: json.loads(p.read_text())),
    "madgraph_generate": ("madgraph/*/lhe/chunk*.json", lambda p: json.loads(p.read_text())),
    "madgraph_gridpack": ("madgraph/*/gridpack/gridpack.json", lambda p: json.loads(p.read_text())),
    "pythia_shower": ("*/*/shower/chunk*.root", root_record),
    "fastjet_cluster": ("*/*/objects/chunk*.root", root_record),
    "detector_response": ("*/*/detector/*/objects/chunk*.root", root_record),
    "analyse_sample": ("*/*/analysis.json", lambda p: json.loads(p.read_text())),
}


def rule_resources(runs: list[Path]) -> dict:
    result: dict[str, dict] = {}

    def add(rule: str, wall: float, cpu: float | None, rss: float | None) -> None:
        entry = result.setdefault(rule, {"jobs": 0, "max_wall_s": 0.0, "max_cpu_s": 0.0, "max_rss_mb": 0.0})
        entry["jobs"] += 1
        entry["max_wall_s"] = max(entry["max_wall_s"], round(wall, 1))
        entry["max_cpu_s"] = max(entry["max_cpu_s"], round(cpu or 0.0, 1))
        entry["max_rss_mb"] = max(entry["max_rss_mb"], round(rss or 0.0, 1))

    for run in runs:
        for rule, (pattern, read) in RECORDS.items():
            for path in (run / "results").glob(pattern):
                record = read(path)
                if "wall_time_s" in record:
                    add(rule, record["wall_time_s"], record.get("cpu_time_s"), record.get("max_rss_mb"))
        for path in (run / "logs").rglob("inference.benchmark.tsv"):
            header, values = path.read_text().splitlines()[:2]
            row = dict(zip(header.split("\t"), values.split("\t"), strict=True))
            add("pyhf_inference", float(row["s"]), float(row["cpu_time"]), float(row["max_rss"]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="*", type=Path, help="finished run directories")
    args = arguments(parser)
    if args.smoke and not args.runs:
        raise SystemExit("--smoke needs a run directory (tests/bench/ passes the tiny run)")
    save(
        "job_resources" + ("_smoke" if args.smoke else ""),
        {"runs": [str(r) for r in args.runs], "rules": rule_resources(args.runs)},
    )


if __name__ == "__main__":
    main()
