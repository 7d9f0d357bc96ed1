"""Benchmark 2: cluster + analyse against the shower, per event, on the same chunk.

Each repetition showers one LHE chunk with the rule's code, then clusters it and analyses it
with the rules' code; the figure is the median of (cluster + analyse events/s) / (shower
events/s) = t_shower / (t_cluster + t_analyse). Goal >= 10.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import REPO, arguments, median, quiet, save, signal_lhe, timed

SELECTION = {"jet_lepton_overlap_dr": 0.4, "n_leptons": 2, "min_jets": 2, "mll_min": 130.0, "st_min": 0.0}
BINNING = {"min_gev": 0.0, "max_gev": 3000.0, "width_gev": 50.0}


def main() -> None:
    from bsmflow.analyse.sample import analyse_sample
    from bsmflow.cluster.jets import cluster_chunk
    from bsmflow.shower.pythia import shower_lhe

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repetitions", type=int, default=3)
    args = arguments(parser)
    if args.smoke:
        args.events, args.repetitions = 20, 1
    leptons = {"pt_min": 50.0, "eta_max": 2.5, "dressing_dr": 0.1, "isolation_dr": 0.3, "isolation_max": 0.15}
    jets = {"algorithm": "antikt", "radius": 0.4, "pt_min": 50.0, "eta_max": 2.5}
    rows = []
    with tempfile.TemporaryDirectory() as scratch, quiet():
        work = Path(scratch)
        lhe = signal_lhe(work, args.events)
        record = json.loads(Path(str(lhe) + ".json").read_text())
        for repetition in range(args.repetitions):
            t_shower, _ = timed(
                shower_lhe,
                str(lhe),
                str(REPO / "config/cards/shower.cmnd"),
                str(work / "shower.root"),
                sample="bench",
                chunk=0,
                seed=repetition + 1,
            )
            t_cluster, _ = timed(
                cluster_chunk,
                str(work / "shower.root"),
                str(work / "objects.root"),
                leptons=leptons,
                jets=jets,
            )
            (work / "gen.json").write_text(json.dumps(record))
            t_analyse, _ = timed(
                analyse_sample,
                [str(work / "objects.root")],
                [str(work / "gen.json")],
                str(work / "analysis.json"),
                str(work / "selected.root"),
                sample="bench",
                process="lq",
                mass_gev=1000,
                selection=SELECTION,
                binning=BINNING,
                luminosity_fb=139.0,
            )
            rows.append({"shower_s": t_shower, "cluster_s": t_cluster, "analyse_s": t_analyse})
    ratios = [r["shower_s"] / (r["cluster_s"] + r["analyse_s"]) for r in rows]
    save(
        "reconstruction_throughput",
        {
            "what": "(cluster + analyse events/s) / (shower events/s), same chunk",
            "sample": "S1 LQ pair, M = 1000 GeV",
            "events_per_repetition": args.events,
            "shower_events_per_s": [round(args.events / r["shower_s"], 1) for r in rows],
            "cluster_events_per_s": [round(args.events / r["cluster_s"], 1) for r in rows],
            "analyse_events_per_s": [round(args.events / r["analyse_s"], 1) for r in rows],
            "ratio_median": round(median(ratios), 2),
            "goal": ">= 10",
        },
    )


if __name__ == "__main__":
    main()
