"""Benchmark 12: what the theory variations cost.

Shower: the shower rule on the same signal LHE chunk (M = 1 TeV), once as without variations (LHE
without weights, no UncertaintyBands) and once with all of them (the seven scale weights in the
LHE file, Pythia's four ISR/FSR weights); the figure is the median of the per-repetition ratios of
events/s (goal >= 0.8). Size: the bytes the shower file's variation_weight branch takes (the file
against the same events rewritten without it) against the raw bytes of the weights (events x
variations x 8), and the whole files. Generation:
the generation job with and without the scale weights (same events).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import REPO, arguments, median, quiet, save, signal_lhe, timed

CARD = str(REPO / "config/cards/shower.cmnd")


def shower(lhe: str, output: str, seed: int, variations: bool) -> int:
    from bsmflow.shower.pythia import shower_lhe

    return shower_lhe(lhe, CARD, output, sample="bench", chunk=0, seed=seed, shower_variations=variations)[
        "n_events"
    ]


def branch_bytes(path: str, scratch: str) -> dict:
    """The file's size, and the bytes its variation weights take: the same events rewritten the
    way the shower rule writes them, once without the variation branch."""
    import uproot

    from bsmflow.conventions import SHOWER_TREE as TREE
    from bsmflow.conventions import VARIATION_BRANCH

    with uproot.open(path) as handle:
        columns = handle[TREE].arrays()
        metadata = str(handle["metadata"])
    names = [field for field in columns.fields if field != VARIATION_BRANCH]
    stripped = f"{scratch}/stripped.root"
    with uproot.recreate(stripped, compression=uproot.LZ4(1)) as out:
        out[TREE] = {name: columns[name] for name in names}
        out["metadata"] = metadata
    n_variations = len(columns[VARIATION_BRANCH][0]) if VARIATION_BRANCH in columns.fields else 0
    return {
        "file_bytes": Path(path).stat().st_size,
        "without_variation_branch_bytes": Path(stripped).stat().st_size,
        "variation_weights_raw_bytes": len(columns) * n_variations * 8,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--repetitions", type=int, default=5)
    args = arguments(parser)
    if args.smoke:
        args.events, args.repetitions = 20, 1
    with tempfile.TemporaryDirectory() as scratch, quiet():
        generation: dict[str, list[float]] = {"plain": [], "weights": []}
        for _ in range(3):  # the first call also pays for imports: medians of three
            t_plain, plain = timed(signal_lhe, Path(scratch) / "plain", args.events)
            t_weights, weighted = timed(
                signal_lhe, Path(scratch) / "weights", args.events, variations={"scale": True}
            )
            generation["plain"].append(t_plain)
            generation["weights"].append(t_weights)
        ratios, rates_off, rates_on = [], [], []
        for repetition in range(args.repetitions):
            seed = 200 + repetition
            t_off, n_off = timed(shower, str(plain), f"{scratch}/off.root", seed, False)
            t_on, n_on = timed(shower, str(weighted), f"{scratch}/on.root", seed, True)
            assert n_off == n_on == args.events
            rates_off.append(n_off / t_off)
            rates_on.append(n_on / t_on)
            ratios.append(rates_on[-1] / rates_off[-1])
        size_off = branch_bytes(f"{scratch}/off.root", scratch)
        size_on = branch_bytes(f"{scratch}/on.root", scratch)
    save(
        "variation_cost",
        {
            "what": "shower rule with all variations (7 LHE scale weights + 4 UncertaintyBands) / without",
            "events": args.events,
            "repetitions": args.repetitions,
            "throughput_ratio_median": median(ratios),
            "throughput_ratios": ratios,
            "events_per_s_without": median(rates_off),
            "events_per_s_with": median(rates_on),
            "goal": ">= 0.8",
            "size_without": size_off,
            "size_with": size_on,
            "variation_branch_bytes": size_on["file_bytes"] - size_on["without_variation_branch_bytes"],
            "file_growth_bytes": size_on["file_bytes"] - size_off["file_bytes"],
            "generation_s_without_scale_weights": median(generation["plain"]),
            "generation_s_with_scale_weights": median(generation["weights"]),
            "note": "the files hold different events (UncertaintyBands change Pythia's random sequence): "
            "the whole-file growth includes that; the variation branch is the weights' own cost",
        },
    )


if __name__ == "__main__":
    main()
