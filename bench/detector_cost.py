"""Benchmark 13: what the detector stage and the HepMC3 output cost.

Detector stage: the detector_response job (ATLAS-like card) against the fastjet_cluster job on the
same shower chunk of signal events (M = 1 TeV), per event, alternating; the figure is the median
of the per-repetition ratios of seconds (goal < 0.10). Both are the rules' job functions with
their I/O (the objects file is read and written by the detector job, the shower file read and the
objects file written by the clustering).

HepMC3: the shower job on the same LHE chunk without HepMC3 output and with it (final state,
full record), alternating; ratios of events/s and the gzip-compressed bytes per event.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import REPO, arguments, median, quiet, save, signal_lhe, timed

CARD = str(REPO / "config/cards/shower.cmnd")
DETECTOR_CARD = str(REPO / "config/detectors/atlas_like.yaml")
OBJECTS = {
    "leptons": {
        "pt_min": 50.0,
        "eta_max": 2.5,
        "dressing_dr": 0.1,
        "isolation_dr": 0.3,
        "isolation_max": 0.15,
    },
    "jets": {"algorithm": "antikt", "radius": 0.4, "pt_min": 50.0, "eta_max": 2.5},
}


def shower(lhe: str, output: str, seed: int, hepmc: str | None = None, record: str = "final") -> int:
    from bsmflow.shower.pythia import shower_lhe

    return shower_lhe(
        lhe, CARD, output, sample="bench", chunk=0, seed=seed, hepmc_output=hepmc, hepmc_record=record
    )["n_events"]


def main() -> None:
    from bsmflow.cluster.jets import cluster_chunk
    from bsmflow.detector.response import detector_chunk

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000, help="events of the clustering/detector chunk")
    parser.add_argument("--hepmc-events", type=int, default=300, help="events of the HepMC3 comparison")
    parser.add_argument("--repetitions", type=int, default=5)
    args = arguments(parser)
    if args.smoke:
        args.events, args.hepmc_events, args.repetitions = 20, 10, 1
    with tempfile.TemporaryDirectory() as scratch, quiet():
        lhe = signal_lhe(Path(scratch) / "lhe", args.events)
        shower(str(lhe), f"{scratch}/shower.root", 7)
        ratios, cluster_s, detector_s = [], [], []
        for repetition in range(args.repetitions):
            t_cluster, _ = timed(
                cluster_chunk, f"{scratch}/shower.root", f"{scratch}/objects.root", **OBJECTS
            )
            t_detector, _ = timed(
                detector_chunk,
                f"{scratch}/objects.root",
                DETECTOR_CARD,
                f"{scratch}/detector.root",
                seed=100 + repetition,
                objects=OBJECTS,
            )
            cluster_s.append(t_cluster)
            detector_s.append(t_detector)
            ratios.append(t_detector / t_cluster)
        small = signal_lhe(Path(scratch) / "small", args.hepmc_events, seed=3)
        rates: dict[str, list[float]] = {"none": [], "final": [], "full": []}
        sizes = {}
        for repetition in range(3):
            for record in rates:
                hepmc = None if record == "none" else f"{scratch}/events.{record}.hepmc3.gz"
                seconds, n = timed(shower, str(small), f"{scratch}/s.root", 50 + repetition, hepmc, record)
                rates[record].append(n / seconds)
                if hepmc:
                    sizes[record] = Path(hepmc).stat().st_size / n
    save(
        "detector_cost",
        {
            "what": "detector_response job (atlas_like) / fastjet_cluster job, seconds on the same chunk",
            "events": args.events,
            "repetitions": args.repetitions,
            "time_ratio_median": median(ratios),
            "time_ratios": ratios,
            "cluster_s_median": median(cluster_s),
            "detector_s_median": median(detector_s),
            "cluster_ms_per_event": 1000 * median(cluster_s) / args.events,
            "detector_ms_per_event": 1000 * median(detector_s) / args.events,
            "goal": "< 0.10",
            "hepmc_events": args.hepmc_events,
            "shower_events_per_s": {record: median(values) for record, values in rates.items()},
            "shower_throughput_ratio": {
                record: median(rates[record]) / median(rates["none"]) for record in ("final", "full")
            },
            "hepmc_gzip_bytes_per_event": sizes,
        },
    )


if __name__ == "__main__":
    main()
