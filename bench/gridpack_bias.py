"""MadGraph gridpack chunks against a direct launch of the same process and cuts: are the chunks'
events biased, or only their own cross-section estimates?

    python bench/gridpack_bias.py RUN_DIR SAMPLE [--events N]

RUN_DIR is a finished workflow run (generator: madgraph) holding SAMPLE's gridpack and chunks.
The direct side copies the same compiled process output, launches it once with the gridpack's
recorded run settings (gridpack off, its own seed) for N events (default: as many as the chunks
hold), and both sides are compared: the cross section (integration, chunk estimates, direct
launch), the subprocess composition and the mass of the whole final state and the leading
charged lepton's pT, with chi2 tests. Needs MadGraph (MG5_AMC or mg5_aMC on PATH).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pylhe
from common import save
from scipy import stats

from bsmflow.generate.checks import find_madgraph
from bsmflow.generate.madgraph import unpack_process
from bsmflow.generate.madgraph_events import lhe_cross_section
from bsmflow.generate.mg5 import cross_section, installation, launch_commands, run

LEPTONS = {11, 13, 15}
MASS_EDGES = np.array([0, 300, 500, 800, 1000, 1200, 1500, 2000, 3000, 14000.0])
PT_EDGES = np.array([0, 25, 50, 100, 200, 300, 500, 800, 7000.0])


def observables(path: Path) -> dict[str, list]:
    """Per event: subprocess id, mass of the final state, leading charged lepton pT."""
    result: dict[str, list] = {"process": [], "mass": [], "lepton_pt": []}
    for event in pylhe.LHEFile.fromfile(str(path)).events:
        final = [p for p in event.particles if p.status == 1]
        e, px, py, pz = (sum(getattr(p, c) for p in final) for c in ("e", "px", "py", "pz"))
        result["process"].append(int(event.eventinfo.pid))
        result["mass"].append(math.sqrt(max(e * e - px * px - py * py - pz * pz, 0.0)))
        pts = [math.hypot(p.px, p.py) for p in final if abs(p.id) in LEPTONS]
        result["lepton_pt"].append(max(pts) if pts else 0.0)
    return result


def chi2_test(a: np.ndarray, b: np.ndarray) -> dict:
    """Two unit-normalised histograms (counts a, b) compared bin by bin (Poisson errors)."""
    na, nb = a.sum(), b.sum()
    used = (a + b) > 0
    chi2 = float(np.sum((a / na - b / nb)[used] ** 2 / (a / na**2 + b / nb**2)[used]))
    ndf = int(used.sum()) - 1
    return {"chi2": chi2, "ndf": ndf, "p_value": float(stats.chi2.sf(chi2, ndf))}


def compare(chunks: dict[str, list], direct: dict[str, list]) -> dict:
    processes = sorted(set(chunks["process"]) | set(direct["process"]))
    count_a, count_b = Counter(chunks["process"]), Counter(direct["process"])
    composition = (np.array([count_a[p] for p in processes]), np.array([count_b[p] for p in processes]))
    return {
        "subprocess_fractions": {
            str(p): {
                "chunks": count_a[p] / len(chunks["process"]),
                "direct": count_b[p] / len(direct["process"]),
            }
            for p in processes
        },
        "subprocess_chi2": chi2_test(*composition),
        "mass_chi2": chi2_test(
            np.histogram(chunks["mass"], MASS_EDGES)[0], np.histogram(direct["mass"], MASS_EDGES)[0]
        ),
        "lepton_pt_chi2": chi2_test(
            np.histogram(chunks["lepton_pt"], PT_EDGES)[0], np.histogram(direct["lepton_pt"], PT_EDGES)[0]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("sample")
    parser.add_argument("--events", type=int)
    args = parser.parse_args()
    mg5 = installation(find_madgraph(None))
    base = args.run_dir / "results/madgraph" / args.sample
    grid = json.loads((base / "gridpack/gridpack.json").read_text())
    chunk_files = sorted((base / "lhe").glob("chunk*.lhe.gz"))
    chunks: dict[str, list] = {"process": [], "mass": [], "lepton_pt": []}
    for path in chunk_files:
        for key, values in observables(path).items():
            chunks[key] += values
    n_events = args.events or len(chunks["mass"])
    process = grid["sample"].split("_")[0]
    settings = dict(grid["run_settings"]) | {"gridpack": "False", "nevents": str(n_events), "iseed": "987654"}
    with tempfile.TemporaryDirectory(dir=args.run_dir) as scratch:
        work = Path(scratch)
        copy = unpack_process(args.run_dir / f"results/madgraph/{process}/process.tar", work / "process")
        cut = base / "cards/slice_cuts.f"
        if cut.is_file():  # the slice's own cut function, as the gridpack job wrote it
            shutil.copy(cut, work / "slice_cuts.f")
            settings["custom_fcts"] = str((work / "slice_cuts.f").resolve())
        commands = launch_commands(copy, "direct", None, settings, cores=2)
        run(mg5, commands, work / "launch.mg5", work / "launch.log")
        direct_sigma = cross_section(copy, "direct")
        events = next((copy / "Events/direct").glob("unweighted_events.lhe.gz"))
        direct = observables(events)
    # each chunk's own estimate: the sum of its <init> process lines (bsmflow.generate.madgraph)
    chunk_sigmas = [lhe_cross_section(path) for path in chunk_files]
    mean_chunk = float(np.mean([s for s, _ in chunk_sigmas]))
    result = {
        "sample": args.sample,
        "n_events": {"chunks": len(chunks["mass"]), "direct": len(direct["mass"])},
        "sigma_pb": {
            "gridpack_integration": [grid["sigma_pb"], grid["sigma_err_pb"]],
            "chunk_estimates": chunk_sigmas,
            "chunk_estimates_mean": mean_chunk,
            "direct_launch": list(direct_sigma),
        },
        "chunk_mean_over_integration": mean_chunk / grid["sigma_pb"],
        "direct_over_integration": direct_sigma[0] / grid["sigma_pb"],
        **compare(chunks, direct),
    }
    save("gridpack_bias", result)


if __name__ == "__main__":
    main()
