"""Are the default backgrounds complete in the inference's fit region? Lower the lowest slice edge
(a new slice below it) and lower Drell-Yan's pT-hat cut, and compare the change of the process's
yield in the fit region with its MC statistical error there.

    python bench/background_completeness.py [--events N] [--generator madgraph] [--added-min GEV]

Each check runs the workflow's background chain (Pythia path, 2 cores) up to the selected events
for the samples it needs, with the default config otherwise. ttbar and diboson slices start at
sqrt(s_hat) = 0 (their whole range), so only Drell-Yan has an edge to lower.

With --generator madgraph the MadGraph path's Drell-Yan + jets (madgraph_slices, generator-level
S_T) gets a slice from --added-min (default 0) to its lowest edge, and nothing else is changed
(MadGraph has no pT-hat cut). A slice from 0 holds the whole cross section below the edge, so one
of its events weighs hundreds: --added-min a few hundred GeV below the edge tests the edge's
neighbourhood, where an event that migrates into the region would come from, with far smaller
weights.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml
from common import REPO, arguments, save, shrink
from snakemake_run import copy_workflow

from bsmflow.plan.samples import samples


def region_yield(workdir: Path, config: dict, process: str) -> dict:
    """Yield, MC error and MC events in the fit region of each slice of ``process``."""
    import uproot

    generator = config["generator"]
    chosen = [s for s in samples(config, generator) if s.process == process]
    targets = [f"results/{generator}/{s.name}/selected.root" for s in chosen]
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    cache = ["--cache"] if os.environ.get("SNAKEMAKE_OUTPUT_CACHE") else []  # samples a study made
    subprocess.run(
        [sys.executable, "-m", "snakemake", *targets, "--cores", "2", "--quiet", *cache],
        cwd=workdir,
        check=True,
    )
    region = config["inference"]["fit_region"]
    result = {}
    for sample in chosen:
        with uproot.open(workdir / f"results/{generator}/{sample.name}/selected.root") as handle:
            events = handle["selected"].arrays(library="np")
        inside = (events["mlq_min"] >= region["min_gev"]) & (events["mlq_min"] < region["max_gev"])
        inside &= events["st"] > region["st_min"]
        weights = events["weight"][inside]
        result[sample.name] = {
            "yield": float(weights.sum()),
            "error": float(np.sqrt((weights**2).sum())),
            "mc_events": int(inside.sum()),
            "generated": sample.events,
            "weight_per_event": float(events["weight"][0]) if len(events["weight"]) else None,
        }
    return result


def total(parts: dict) -> tuple[float, float]:
    return sum(p["yield"] for p in parts.values()), float(
        np.sqrt(sum(p["error"] ** 2 for p in parts.values()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10000, help="events of each added slice")
    parser.add_argument("--generator", choices=["pythia", "madgraph"], default="pythia")
    parser.add_argument("--added-min", type=float, default=0.0, help="lower edge of the added slice (GeV)")
    args = arguments(parser)
    default = yaml.safe_load((REPO / "config/config.yaml").read_text())
    if args.smoke:
        default, args.events = shrink(default), 40
        for part in default["backgrounds"]["processes"]["dyjets"]["madgraph_slices"]["slices"]:
            part["events"] = 40
    default["generator"] = args.generator
    dyjets = "madgraph_slices" if args.generator == "madgraph" else None
    checks = {}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = copy_workflow(REPO, Path(scratch) / "run", config=None)
        nominal = region_yield(workdir, default, "dyjets")
        # 1. a slice below the lowest edge
        lowered = copy.deepcopy(default)
        spec = lowered["backgrounds"]["processes"]["dyjets"]
        slices = spec[dyjets]["slices"] if dyjets else spec["slices"]
        # the added slice samples its shower as the one above it does (none on the matched MadGraph path)
        own = {key: slices[0][key] for key in ("shower_sampling",) if key in slices[0]}
        added_slice = {"min_gev": args.added_min, "max_gev": slices[0]["min_gev"], "events": args.events}
        slices.insert(0, {**added_slice, **own})
        below = region_yield(workdir, lowered, "dyjets")
        added = next(name for name in below if name not in nominal)
        value, error = total(nominal)
        checks["dyjets_lowest_edge"] = {
            "change": f"added slice {added} ({args.events} events)",
            "added_yield": below[added]["yield"],
            "added_error": below[added]["error"],
            "added_mc_events": below[added]["mc_events"],
            "nominal_yield": value,
            "nominal_error": error,
            "within_error": below[added]["yield"] < error,
        }
        if args.generator == "madgraph":
            save("background_completeness_madgraph", {"nominal": nominal, "checks": checks})
            return
        # 2. Drell-Yan's pT-hat cut of the card lowered from 50 to 20 GeV on the two lowest slices
        card = workdir / "config/cards/dyjets/pythia.cmnd"
        card.write_text(card.read_text().replace("PhaseSpace:pTHatMin = 50.", "PhaseSpace:pTHatMin = 20."))
        low_cut = region_yield(workdir, default, "dyjets")
        changed = total(low_cut)
        checks["dyjets_pthat_cut"] = {
            "change": "card PhaseSpace:pTHatMin 50 -> 20 GeV (every slice rerun)",
            "yield_pthat20": changed[0],
            "error_pthat20": changed[1],
            "nominal_yield": value,
            "nominal_error": error,
            "difference": changed[0] - value,
            "combined_error": float(np.hypot(changed[1], error)),
            "within_error": abs(changed[0] - value) < float(np.hypot(changed[1], error)),
        }
    save(
        "background_completeness",
        {"fit_region": default["inference"]["fit_region"], "nominal": nominal, "checks": checks},
    )


if __name__ == "__main__":
    main()
