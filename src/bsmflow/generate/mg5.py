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
    script, log = Path(script).resolve(), Path(log).resolve()
    script.write_text(commands)
    with open(log, "w") as handle:
        done = subprocess.run(
            ["python3", str(mg5.executable), "-f", str(script)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            cwd=script.parent,
            check=False,
        )
    text = log.read_text(errors="replace")
    failed = re.search(
        r"(?m)^.*(interrupted with error|Command \".*\" interrupted|InvalidCmd|MadGraph5Error).*$", text
    )
    if done.returncode != 0 or failed:
        line = failed.group(0).strip() if failed else f"exit code {done.returncode}"
        raise MadGraphError(
            f"MadGraph failed running {script.name}: {line}\n--- end of its log ---\n{text[-3000:]}"
        )


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


# ---------------------------------------------------------------------------------- cards ----

# run_card keys the workflow sets from the config (and the seed): a card may not set them.
WORKFLOW_RUN_KEYS = {"ebeam1", "ebeam2", "lpp1", "lpp2", "pdlabel", "lhaid", "iseed", "gridpack", "nevents"}
PROCESS_COMMANDS = ("define", "generate", "add process")


def read_process_card(path: str | Path) -> list[str]:
    """Process commands of a card (define / generate / add process lines; '#' comments). The
    workflow adds `import model <absolute path>` and `output <directory>` itself."""
    commands = []
    for number, raw in enumerate(Path(path).read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not line.startswith(PROCESS_COMMANDS):
            raise MadGraphError(
                f"{path}:{number}: {line!r}: a process card holds only {', '.join(PROCESS_COMMANDS)} lines "
                "(import model and output are added by the workflow)"
            )
        commands.append(line)
    if not any(c.startswith("generate") for c in commands):
        raise MadGraphError(f"{path}: no 'generate' line")
    return commands


def read_run_card(path: str | Path) -> dict[str, str]:
    """`set run_card <key> <value>` lines of a card; custom_fcts files resolved next to the card."""
    settings = {}
    path = Path(path)
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split(None, 3)
        if len(words) < 4 or words[:2] != ["set", "run_card"]:
            raise MadGraphError(f"{path}:{number}: {line!r}: expected 'set run_card <key> <value>'")
        key, value = words[2].lower(), words[3]
        if key in WORKFLOW_RUN_KEYS:
            raise MadGraphError(
                f"{path}:{number}: run_card {key} is set by the workflow (sqrt_s_gev, pdf.madgraph, seed, "
                "chunk_size in the config); remove it from the card"
            )
        if key == "custom_fcts":  # Fortran files replacing MadGraph's dummy functions
            files = [str((path.parent / name).resolve()) for name in value.split()]
            for name in files:
                if not Path(name).is_file():
                    raise MadGraphError(f"{path}:{number}: custom_fcts file {name} does not exist")
            value = " ".join(files)
        settings[key] = value
    return settings


def custom_files(run_card: str | Path) -> list[str]:
    """Files a run card pulls in (inputs of the jobs that use it)."""
    return read_run_card(run_card).get("custom_fcts", "").split()


def process_commands(card: str | Path, ufo: str | Path, output: str | Path) -> str:
    lines = [
        f"import model {Path(ufo).resolve()}",
        *read_process_card(card),
        f"output {Path(output).resolve()}",
    ]
    return "\n".join(lines) + "\n"


def launch_commands(
    process_dir: str | Path,
    run_name: str,
    param_card: str | Path | None,
    settings: dict[str, str],
    cores: int = 1,
) -> str:
    """Answers to MadGraph's launch dialogue: no shower or MadSpin, the param card, the run card.
    MadGraph runs on `cores` cores (the job's threads; its default would take every core)."""
    lines = [
        f"set nb_core {cores} --no_save",
        f"launch {Path(process_dir).resolve()} -n {run_name}",
        "shower=OFF",
        "madspin=OFF",
        "done",
    ]
    if param_card is not None:
        lines.append(str(Path(param_card).resolve()))
    if "custom_fcts" in settings:
        files = ", ".join(f"'{name}'" for name in settings["custom_fcts"].split())
        settings = dict(settings) | {"custom_fcts": f"[{files}]"}
    lines += [f"set run_card {key} {value}" for key, value in settings.items()]
    lines.append("done")
    return "\n".join(lines) + "\n"


def beam_settings(sqrt_s_gev: float, pdf_label: str, seed: int) -> dict[str, str]:
    """run_card entries the workflow owns: proton beams, PDF, seed (gridpack integration)."""
    return {
        "lpp1": "1",
        "lpp2": "1",
        "ebeam1": f"{sqrt_s_gev / 2:g}",
        "ebeam2": f"{sqrt_s_gev / 2:g}",
        "pdlabel": pdf_label,
        "iseed": str(seed),
    }
