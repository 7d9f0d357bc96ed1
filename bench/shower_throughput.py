"""Benchmark 1: the shower rule's code against a bare pythia.next() loop, same LHE and settings.

Each repetition times both on the same LHE chunk, one after the other; the figure is the median
of the per-repetition ratios (rule events/s divided by bare events/s). Goal >= 0.85.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import REPO, arguments, median, quiet, save, signal_lhe, timed

CARD = str(REPO / "config/cards/shower.cmnd")


def bare_loop(lhe: str, n_events: int, seed: int) -> int:
    """pythia.next() over the LHE file with the shower rule's settings and nothing else."""
    import pythia8mc

    from bsmflow.cards import apply_settings, read_pythia_card
    from bsmflow.shower.pythia import lhe_input_settings

    pythia = pythia8mc.Pythia("", False)
    apply_settings(pythia, lhe_input_settings(lhe, seed), "bench")
    apply_settings(pythia, read_pythia_card(CARD), CARD)
    pythia.init()
    done = 0
    while done < n_events and pythia.next():
        done += 1
    return done


def rule_code(lhe: str, output: str, seed: int) -> int:
    from bsmflow.shower.pythia import shower_lhe

    return shower_lhe(lhe, CARD, output, sample="bench", chunk=0, seed=seed)["n_events"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--repetitions", type=int, default=5)
    args = arguments(parser)
    if args.smoke:
        args.events, args.repetitions = 20, 1
    with tempfile.TemporaryDirectory() as scratch, quiet():
        lhe = str(signal_lhe(Path(scratch), args.events))
        ratios, bare_rates, rule_rates = [], [], []
        for repetition in range(args.repetitions):
            seed = 100 + repetition
            t_bare, n_bare = timed(bare_loop, lhe, args.events, seed)
            t_rule, n_rule = timed(rule_code, lhe, f"{scratch}/shower.root", seed)
            assert n_bare == n_rule == args.events
            bare_rates.append(n_bare / t_bare)
            rule_rates.append(n_rule / t_rule)
            ratios.append(rule_rates[-1] / bare_rates[-1])
    save(
        "shower_throughput",
        {
            "what": "shower rule code (read LHE, shower, extract, write ROOT) / bare pythia.next()",
            "sample": "S1 LQ pair, M = 1000 GeV, full hadron level, Monash",
            "events_per_repetition": args.events,
            "bare_events_per_s": [round(r, 1) for r in bare_rates],
            "rule_events_per_s": [round(r, 1) for r in rule_rates],
            "ratio_median": round(median(ratios), 3),
            "goal": ">= 0.85",
        },
    )


if __name__ == "__main__":
    main()
