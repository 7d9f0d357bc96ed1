"""Running MadGraph5_aMC@NLO offline: version check, command files, results.

MadGraph must never reach for the network here: models are imported by absolute path (a bare
name may download), auto-update must be off in its input/mg5_configuration.txt (checked, not
set: setting it from a command file rewrites that file), and only built-in PDFs are used.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MINIMUM_VERSION = (3, 5)


class MadGraphError(RuntimeError):
    """MadGraph missing, too old, not offline, or a run that failed."""


@dataclass(frozen=True)
class Installation:
    executable: Path
    version: tuple[int, ...]

    @property
    def root(self) -> Path:
        return self.executable.resolve().parent.parent

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


def installation(executable: str | Path) -> Installation:
    """Check an mg5_aMC executable: its VERSION file says 3.5 or newer and auto-update is off."""
    executable = Path(executable)
    root = executable.resolve().parent.parent
    version_file = root / "VERSION"
    if not executable.is_file() or not version_file.is_file():
        raise MadGraphError(f"{executable}: not an mg5_aMC of a MadGraph installation (no {version_file})")
    match = re.search(r"version\s*=\s*(\d+)\.(\d+)\.(\d+)", version_file.read_text())
    if not match:
        raise MadGraphError(f"{version_file}: no 'version = X.Y.Z' line")
    version = tuple(int(x) for x in match.groups())
    if version[:2] < MINIMUM_VERSION:
        raise MadGraphError(
            f"{executable}: MadGraph {'.'.join(map(str, version))} is too old; 3.5 or newer is needed"
        )
    config = root / "input/mg5_configuration.txt"
    setting = re.search(r"(?m)^\s*auto_update\s*=\s*(\d+)", config.read_text()) if config.is_file() else None
    if setting is None or setting.group(1) != "0":
        raise MadGraphError(
            f"{config}: set 'auto_update = 0' (MadGraph would contact the network for updates)"
        )
    return Installation(executable, version)


def run(mg5: Installation, commands: str, script: Path, log: Path, timeout: float = 3600) -> None:
    """Run a command file with MadGraph's own Python (python3 mg5_aMC -f script), output in log.

    MadGraph returns 0 even when a command fails: its log is searched for the error markers.
    """
    script.write_text(commands)
    with open(log, "w") as handle:
        done = subprocess.run(
            ["python3", str(mg5.executable), "-f", str(script)], stdout=handle, stderr=subprocess.STDOUT,
            timeout=timeout, cwd=script.parent, check=False,
        )
    text = log.read_text(errors="replace")
    failed = re.search(r"(?m)^.*(interrupted with error|Command \".*\" interrupted|InvalidCmd|MadGraph5Error).*$",
                       text)
    if done.returncode != 0 or failed:
        line = failed.group(0).strip() if failed else f"exit code {done.returncode}"
        raise MadGraphError(f"MadGraph failed running {script}: {line}; see {log}")


def cross_section(process_dir: str | Path, run_name: str) -> tuple[float, float]:
    """(sigma, error) in pb of a finished run: sigma from the run's banner, the error from
    SubProcesses/results.dat (which holds the process directory's latest run)."""
    process_dir = Path(process_dir)
    banner = next((process_dir / "Events" / run_name).glob("*_banner.txt"), None)
    if banner is None:
        raise MadGraphError(f"{process_dir}/Events/{run_name}: no banner (the run did not finish)")
    match = re.search(r"Integrated weight \(pb\)\s*:\s*(\S+)", banner.read_text())
    if not match:
        raise MadGraphError(f"{banner}: no 'Integrated weight (pb)' line")
    sigma = float(match.group(1))
    words = (process_dir / "SubProcesses/results.dat").read_text().split()
    if not words or abs(float(words[0]) - sigma) > 1e-4 * abs(sigma):  # results.dat: 5 digits
        raise MadGraphError(f"{process_dir}/SubProcesses/results.dat does not belong to run {run_name}")
    return sigma, float(words[1])


def banner_param_card(process_dir: str | Path, run_name: str) -> str:
    """The param card MadGraph actually used (auto widths filled in), from the run's banner."""
    banner = next((Path(process_dir) / "Events" / run_name).glob("*_banner.txt"))
    match = re.search(r"<slha>\s*\n(.*?)</slha>", banner.read_text(), re.DOTALL)
    if not match:
        raise MadGraphError(f"{banner}: no <slha> param card")
    return match.group(1)
