"""Benchmark 12: what the theory variations cost.

Shower: the shower rule on the same signal LHE chunk (M = 1 TeV), once as without variations (LHE
without weights, no UncertaintyBands) and once with all of them (the seven scale weights in the
LHE file, Pythia's four ISR/FSR weights); the figure is the median of the per-repetition ratios of
events/s (goal >= 0.8). Size: the compressed bytes of the shower file's variation_weight branch
against the raw bytes of the weights (events x variations x 8), and the whole files. Generation:
the generation job with and without the scale weights (same events).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import REPO, median, quiet, save, signal_lhe, timed

CARD = str(REPO / "config/cards/shower.cmnd")


def shower(lhe: str, output: str, seed: int, variations: bool) -> int:
    from bsmflow.shower.pythia import shower_lhe

    return shower_lhe(lhe, CARD, output, sample="bench", chunk=0, seed=seed, shower_variations=variations)[
        "n_events"
    ]


def branch_bytes(path: str) -> dict:
    import uproot

    with uproot.open(path) as handle:
        tree = handle["events"]
        names = tree.keys(filter_typename=None)
        variation = tree["variation_weight"] if "variation_weight" in names else None
        return {
            "file_bytes": Path(path).stat().st_size,
            "variation_branch_compressed_bytes": variation.compressed_bytes if variation is not None else 0,
            "variation_weights_raw_bytes": (
                tree.num_entries * variation.interpretation.inner_shape[0] * 8 if variation is not None else 0
            ),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, quiet():
        t_plain, plain = timed(signal_lhe, Path(scratch) / "plain", args.events)
        t_weights, weighted = timed(
            signal_lhe, Path(scratch) / "weights", args.events, variations={"scale": True}
        )
        ratios, rates_off, rates_on = [], [], []
        for repetition in range(args.repetitions):
            seed = 200 + repetition
            t_off, n_off = timed(shower, str(plain), f"{scratch}/off.root", seed, False)
            t_on, n_on = timed(shower, str(weighted), f"{scratch}/on.root", seed, True)
            assert n_off == n_on == args.events
            rates_off.append(n_off / t_off)
            rates_on.append(n_on / t_on)
            ratios.append(rates_on[-1] / rates_off[-1])
        size_off, size_on = branch_bytes(f"{scratch}/off.root"), branch_bytes(f"{scratch}/on.root")
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
            "file_growth_bytes": size_on["file_bytes"] - size_off["file_bytes"],
            "generation_s_without_scale_weights": t_plain,
            "generation_s_with_scale_weights": t_weights,
            "note": "the files hold different events (UncertaintyBands change Pythia's random sequence): "
            "the whole-file growth includes that; the variation branch is the weights' own cost",
        },
    )


if __name__ == "__main__":
    main()
