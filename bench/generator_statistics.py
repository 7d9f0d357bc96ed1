"""The MadGraph path against the Pythia path: effective background statistics in the fit region
per CPU second, both sides in one run.

    python bench/generator_statistics.py [--cores N]

Each side runs the default config's background chains (generation, shower with its sampling,
clustering, analysis) with its generator: the Pythia path's slices, bias and channel split; the
MadGraph path's madgraph_slices (MLM-matched Drell-Yan + jets, ttbar and diboson in slices of the
generator-level S_T). N_eff = (sum w)^2 / sum w^2 of the total background in the fit region (config
inference.fit_region); CPU = the cpu_time_s the generation, shower and clustering jobs record.
Beside the measured ratio, each side's N_eff per CPU second at the best events per slice for the
same costs per event and weights (Neyman: N_eff / CPU = Y^2 / (sum_i sqrt(S_i C_i))^2 with S_i the
slice's sum w^2 and C_i its CPU; slices without region events at no cost): what reallocating the
events could reach, so that a shortfall is seen as one of allocation or of cost per event.
MadGraph's one-off integration (process output and gridpacks) is reported apart: a shared output
cache pays it once (docs/caching.md). With SNAKEMAKE_OUTPUT_CACHE set both sides run with
--cache, so a side another study already ran is taken from the cache, its recorded CPU included.
Needs MadGraph (MG5_AMC or mg5_aMC on PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import yaml
from common import REPO, arguments, chain_cpu_seconds, save, shrink
from snakemake_run import copy_workflow

from bsmflow.plan.samples import samples


def run_side(workdir: Path, config: dict, cores: int) -> dict:
    generator = config["generator"]
    (workdir / "config/config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    backgrounds = [s for s in samples(config, generator) if not s.is_signal]
    targets = [f"results/{generator}/{s.name}/selected.root" for s in backgrounds]
    cache = ["--cache"] if os.environ.get("SNAKEMAKE_OUTPUT_CACHE") else []
    subprocess.run(
        [sys.executable, "-m", "snakemake", *targets, "--cores", str(cores), "--quiet", *cache],
        cwd=workdir,
        check=True,
    )
    region = config["inference"]["fit_region"]
    weights, by_sample, cpu, integration = [], {}, 0.0, 0.0
    import uproot

    for sample in backgrounds:
        base = workdir / "results" / generator / sample.name
        with uproot.open(base / "selected.root") as handle:
            events = handle["selected"].arrays(library="np")
        inside = (events["mlq_min"] >= region["min_gev"]) & (events["mlq_min"] < region["max_gev"])
        inside &= events["st"] > region["st_min"]
        w = events["weight"][inside]
        weights.append(w)
        seconds = chain_cpu_seconds(workdir, generator, sample.name)
        gridpack = base / "gridpack/gridpack.json"
        one_off = json.loads(gridpack.read_text())["cpu_time_s"] if gridpack.is_file() else 0.0
        by_sample[sample.name] = {
            "events": sample.events,
            "region_mc_events": int(inside.sum()),
            "region_yield": float(w.sum()),
            "region_sum_w2": float((w**2).sum()),
            "cpu_s": round(seconds, 1),
            "integration_cpu_s": round(one_off, 1),
        }
        cpu += seconds
        integration += one_off
    w = np.concatenate(weights)
    n_eff = float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0
    spread = sum(np.sqrt(entry["region_sum_w2"] * entry["cpu_s"]) for entry in by_sample.values())
    return {
        "generator": generator,
        "generated_events": sum(s.events for s in backgrounds),
        "region_yield": float(w.sum()),
        "region_mc_events": int(len(w)),
        "n_eff": n_eff,
        "cpu_s": round(cpu, 1),
        "n_eff_per_cpu_s": n_eff / cpu if cpu else 0.0,
        "n_eff_per_cpu_s_best_allocation": float(w.sum() ** 2 / spread**2) if spread else 0.0,
        "integration_cpu_s": round(integration, 1),
        "by_sample": by_sample,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cores", type=int, default=2)
    args = arguments(parser)
    default = yaml.safe_load((REPO / "config/config.yaml").read_text())
    if args.smoke:  # ttbar only, one gridpack: minutes, not the Drell-Yan gridpacks' half hour
        shrink(default)
        default["backgrounds"]["enabled"] = ["ttbar"]
        ttbar = default["backgrounds"]["processes"]["ttbar"]
        ttbar["madgraph_slices"]["slices"] = [{"min_gev": 1100, "max_gev": None, "events": 40}]
    sides = {}
    with tempfile.TemporaryDirectory() as scratch:
        for generator in ("pythia", "madgraph"):
            config = yaml.safe_load(yaml.safe_dump(default)) | {"generator": generator}
            workdir = copy_workflow(REPO, Path(scratch) / generator, config=None)
            sides[generator] = run_side(workdir, config, args.cores)
            print(generator, {k: v for k, v in sides[generator].items() if k != "by_sample"}, flush=True)
    pythia, madgraph = sides["pythia"], sides["madgraph"]
    save(
        "generator_statistics" + ("_smoke" if args.smoke else ""),
        {
            "fit_region": default["inference"]["fit_region"],
            "pythia": pythia,
            "madgraph": madgraph,
            "n_eff_per_cpu_ratio": (
                madgraph["n_eff_per_cpu_s"] / pythia["n_eff_per_cpu_s"] if pythia["n_eff_per_cpu_s"] else None
            ),
        },
    )


if __name__ == "__main__":
    main()
