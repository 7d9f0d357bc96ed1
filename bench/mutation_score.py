"""The mutation score of the last `mutmut run` (make mutation): killed / all mutants, and the
survivors grouped by function, to compare with the list judged equivalent in BENCHMARKS.md.

    python bench/mutation_score.py [--listing FILE]

--listing reads a saved `mutmut results --all true` listing instead of running mutmut (the smoke
run of tests/bench/ gives it a small one, as mutmut is installed by make mutation only).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listing", type=Path, help="a saved listing instead of running mutmut")
    args = parser.parse_args()
    if args.listing:
        listing = args.listing.read_text()
    else:
        listing = subprocess.run(
            ["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
        ).stdout
    statuses = Counter()
    survivors = Counter()
    for line in listing.splitlines():
        match = re.match(r"\s*(\S+)__mutmut_\d+: (.+)$", line)
        if not match:
            continue
        function, status = match.groups()
        statuses[status] += 1
        if status != "killed":
            survivors[f"{function} ({status})"] += 1
    total = sum(statuses.values())
    killed = statuses["killed"]
    print(f"mutants: {total}; " + ", ".join(f"{status}: {n}" for status, n in statuses.most_common()))
    print(f"score: {killed}/{total} = {killed / total:.1%}")
    for function, n in survivors.most_common():
        print(f"  {n:3d}  {function}")
    return 0 if killed / total >= 0.85 else 1


if __name__ == "__main__":
    sys.exit(main())
