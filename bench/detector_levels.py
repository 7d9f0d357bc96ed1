"""Benchmark 14: the signal at particle and at detector level, from a finished run made at both
levels (snakemake, then snakemake --config detector=<card>).

Per mass point: acceptance x efficiency (yields.csv) at both levels, and the m_LQ^min peak as
the median and the half-width of the central 68 % of the events within 15 % of the generated
mass: each level with its own events (selected.root, as the plots show them), and the events
selected at both levels with the window on the particle-level mass (the objects files, event by
event), which isolates what the smearing does to the same events.

    python bench/detector_levels.py RUN_DIR [--card atlas_like] [--generator pythia]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from common import save


def quantiles(values: np.ndarray, weights: np.ndarray | None = None) -> dict:
    weights = np.ones_like(values) if weights is None else weights
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    q16, q50, q84 = np.interp([0.16, 0.5, 0.84], cumulative, values[order])
    return {"median_gev": q50, "half_width_68_gev": (q84 - q16) / 2}


def own_window(path: Path, mass: float) -> dict:
    import uproot

    with uproot.open(path) as handle:
        events = handle["selected"].arrays(["mlq_min", "weight"], library="np")
    window = np.abs(events["mlq_min"] - mass) < 0.15 * mass
    return quantiles(events["mlq_min"][window], events["weight"][window])


def mlq_min_per_event(path: Path, selection: dict) -> np.ndarray:
    """m_LQ^min of every event of an objects file (NaN where the event is not selected)."""
    import uproot

    from bsmflow.analyse.selection import (
        EventSelection,
        pair_leptons_jets,
        remove_overlapping_jets,
        select_events,
    )

    with uproot.open(path) as handle:
        events = handle["objects"].arrays(["lepton", "jet"])
    jets = remove_overlapping_jets(events["jet"], events["lepton"], selection["jet_lepton_overlap_dr"])
    passed = list(select_events(events["lepton"], jets, EventSelection(**selection)).values())[-1]
    values = np.full(len(events), np.nan)
    values[passed] = pair_leptons_jets(events["lepton"][passed], jets[passed])[0]
    return values


def main() -> None:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("run", type=Path)
    parser.add_argument("--card", default="atlas_like")
    parser.add_argument("--generator", default="pythia")
    args = parser.parse_args()
    detector = f"detector/{args.card}"
    particle_yields = pd.read_csv(args.run / "results/summary/yields.csv").set_index("sample")
    detector_yields = pd.read_csv(args.run / f"results/{detector}/summary/yields.csv").set_index("sample")
    rows = []
    for sample, row in particle_yields[particle_yields["mass_gev"].notna()].iterrows():
        mass, directory = float(row["mass_gev"]), args.run / "results" / args.generator / sample
        selection = json.loads((directory / "analysis.json").read_text())["selection"]
        chunks = sorted((directory / "objects").glob("chunk*.root"))
        m_particle = np.concatenate([mlq_min_per_event(path, selection) for path in chunks])
        m_detector = np.concatenate(
            [mlq_min_per_event(directory / detector / "objects" / path.name, selection) for path in chunks]
        )
        same = ~np.isnan(m_particle) & ~np.isnan(m_detector) & (np.abs(m_particle - mass) < 0.15 * mass)
        rows.append(
            {
                "mass_gev": int(mass),
                "acceptance_x_efficiency_particle": row["acceptance_x_efficiency"],
                "acceptance_x_efficiency_detector": detector_yields.loc[sample, "acceptance_x_efficiency"],
                **{f"{k}_particle": v for k, v in own_window(directory / "selected.root", mass).items()},
                **{
                    f"{k}_detector": v
                    for k, v in own_window(directory / detector / "selected.root", mass).items()
                },
                "same_events": int(same.sum()),
                **{f"same_events_{k}_particle": v for k, v in quantiles(m_particle[same]).items()},
                **{f"same_events_{k}_detector": v for k, v in quantiles(m_detector[same]).items()},
            }
        )
    table = pd.DataFrame(rows)
    table["acceptance_ratio"] = (
        table["acceptance_x_efficiency_detector"] / table["acceptance_x_efficiency_particle"]
    )
    print(table.T.to_string(header=False))
    save("detector_levels", {"run": str(args.run), "card": args.card, "rows": rows})


if __name__ == "__main__":
    main()
