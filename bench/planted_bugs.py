"""Plant known bugs, one at a time, in a scratch copy of the project and check that the fast unit
tests catch each one.

    python bench/planted_bugs.py [--smoke]

Each bug is a plain text substitution in one module (the substituted text must be found, so a
refactoring that moves the code makes this script fail loudly rather than test nothing). Prints
one line per bug with the failing tests' count and exits 1 if any bug goes unnoticed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UNIT_TESTS = ["tests/unit/cluster", "tests/unit/analyse", "tests/unit/summarise"]

BUGS = {
    "dressing adds the photon's pT as a number, not as a four-vector": (
        "src/bsmflow/cluster/objects.py",
        "        **kinematics(*momentum.values()),\n",
        "        **kinematics(*momentum.values()),\n"
        '        "pt": bare["pt"] + np.bincount(i_bare, weights=photons["pt"][i_photon], '
        "minlength=len(bare_at)),\n",
    ),
    "isolation relative to the bare lepton pT": (
        "src/bsmflow/cluster/objects.py",
        'selected = dressed.take(iso < definition.isolation_max * dressed["pt"])',
        'selected = dressed.take(iso < definition.isolation_max * particles["pt"][dressed["position"]])',
    ),
    "delta phi not wrapped into [-pi, pi)": (
        "src/bsmflow/cluster/objects.py",
        "dphi = (phi1 - phi2 + np.pi) % (2 * np.pi) - np.pi",
        "dphi = phi1 - phi2",
    ),
    "pb/fb slip in the event weight": (
        "src/bsmflow/generate/slices.py",
        "    return sigma_pb * PB_TO_FB * luminosity_fb / n_events",
        "    return sigma_pb * luminosity_fb / n_events",
    ),
}


def plant(copy: Path, path: str, old: str, new: str) -> None:
    target = copy / path
    text = target.read_text()
    if old not in text:
        raise SystemExit(f"{path}: the text to replace is gone, update this script: {old!r}")
    target.write_text(text.replace(old, new, 1))


def main() -> int:
    smoke = "--smoke" in sys.argv[1:]  # every bug's text still found, the tests run for the first
    missed = 0
    for index, (name, (path, old, new)) in enumerate(BUGS.items()):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "project"
            shutil.copytree(
                REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", "results", ".snakemake")
            )
            plant(copy, path, old, new)
            if smoke and index > 0:
                print(f"planted (not tested, --smoke): {name}")
                continue
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *UNIT_TESTS],
                cwd=copy,
                capture_output=True,
                text=True,
            )
        failed = re.search(r"(\d+) failed", done.stdout)
        caught = done.returncode != 0 and failed is not None
        missed += not caught
        first = re.search(r"^FAILED (\S+)", done.stdout, re.MULTILINE)
        print(
            f"{'caught' if caught else 'MISSED'}: {name}" + (f" (first: {first.group(1)})" if first else "")
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
