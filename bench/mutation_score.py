"""The mutation score of the last `mutmut run` (make mutation): killed / all mutants, and the
survivors grouped by function, to compare with the list judged equivalent in BENCHMARKS.md.

    python bench/mutation_score.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter


def main() -> int:
    listing = subprocess.run(
        ["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    )
    statuses = Counter()
    survivors = Counter()
    for line in listing.stdout.splitlines():
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
