"""The MadGraph generation stage (rules madgraph_process, madgraph_gridpack, madgraph_generate): one
process output per process (with its libraries compiled), one gridpack per (process, mass point),
event chunks from the gridpack in scratch directories. Running MadGraph itself: :mod:`.mg5`.

MadGraph process folders are not safe for concurrent launches: every gridpack job works on its
own copy of the process output and every chunk on its own unpacked gridpack; the scratch
directories live next to the job's outputs and are removed when the job ends (also on failure).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..io import atomic_output
from ..stage import Stage, record_text
from .event_weights import NO_WEIGHTS, wants_weights
from .lhe import check_lhe
from .madgraph_events import chunk_pull, lhe_cross_section, madgraph_variation_weights
from .mg5 import (
    MadGraphError,
    beam_settings,
    cross_section,
    installation,
    launch_commands,
    process_commands,
    read_run_card,
    run,
)
from .slices import CUT_FUNCTION, MADGRAPH_MIN_KEY, madgraph_cut_function, madgraph_slice_settings
from .spec import GenerationSpec

log = logging.getLogger(__name__)
GRID_RUN = "grid"


@contextlib.contextmanager
def scratch(beside: str | Path, prefix: str):
    """A scratch directory next to an output (same file system), removed afterwards."""
    Path(beside).parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{prefix}.", dir=Path(beside).parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def model_name(ufo: str | Path) -> str:
    """MadGraph names a model after its directory (a Python package name): results/model/S1/UFO
    is imported as S1."""
    path = Path(ufo).resolve()
    name = path.parent.name if path.name == "UFO" else path.name
    name = re.sub(r"\W", "_", name)
    return name if name.isidentifier() else f"model_{name}"


def make_process(mg5_path: str, ufo: str, card: str, output_tar: str) -> dict:
    """`import model` (a private copy of the UFO: MadGraph writes into the model directory),
    the card's generate lines and `output`; then the process's Source libraries are compiled
    once (MODEL, DHELAS, PDF, ...), which every gridpack job reuses. The process directory is
    written as one tar file: it holds scripts and programs whose execute permission a copy must
    keep, and Snakemake's output cache takes it from every file it stores (docs/caching.md)."""
    mg5 = installation(mg5_path)
    start = time.monotonic()
    with atomic_output(output_tar) as tmp, scratch(output_tar, "process") as work:
        model = Path(shutil.copytree(ufo, work / model_name(ufo)))
        output = work / "process"
        commands = process_commands(card, model, output)
        run(mg5, commands, work / "process.mg5", work / "process.log")
        (output / "bsmflow_process.mg5").write_text(commands.replace(str(model), f"<copy of {ufo}>"))
        compiled = subprocess.run(["make", "-C", str(output / "Source")], capture_output=True, text=True)
        if compiled.returncode != 0:
            raise MadGraphError(
                f"compiling {output_tar}'s Source failed:\n{compiled.stdout[-3000:]}{compiled.stderr}"
            )
        log.info(
            "MadGraph %s process output:\n%s", mg5.version_text, (work / "process.log").read_text()[-4000:]
        )
        subprocess.run(["tar", "-cf", str(tmp), "-C", str(output), "."], check=True)
    elapsed = time.monotonic() - start
    log.info("process %s written and compiled in %.1f s", output_tar, elapsed)
    return {"madgraph": mg5.version_text, "wall_time_s": round(elapsed, 3)}


def unpack_process(process_tar: str | Path, target: Path) -> Path:
    """The process output of :func:`make_process` unpacked into ``target`` (permissions and
    modification times kept, so nothing in Source/ is rebuilt)."""
    target.mkdir(parents=True)
    subprocess.run(["tar", "-xpf", str(Path(process_tar).resolve()), "-C", str(target)], check=True)
    return target


def make_gridpack(
    mg5_path: str,
    process_tar: str,
    param_card: str | None,
    run_card: str,
    *,
    sample: str,
    sqrt_s_gev: float,
    pdf: dict,
    seed: int,
    gridpack: str,
    record: str,
    cards_dir: str,
    cores: int,
    slice: dict | None = None,
) -> dict:
    """Integrate once for one (process, mass point or slice) and pack the grids with the
    compiled code.

    ``slice`` is a background slice {variable, min_gev, max_gev}: its lower edge becomes the run
    card's dsqrt_shat (for ht and st a bound that loses nothing), and a dummy_cuts function cuts
    on the slice variable.
    The rendered launch commands, the run card and the param card MadGraph used (auto widths
    filled in) are stored in cards_dir next to the gridpack.
    """
    mg5 = installation(mg5_path)
    stage = Stage(
        "gridpack", seed, {"run_card": run_card, "param_card": param_card}, {"madgraph": mg5.version_text}
    )
    settings = read_run_card(run_card) | beam_settings(sqrt_s_gev, pdf["madgraph"], seed)
    settings |= slice_run_settings(settings, slice, run_card)
    settings |= {"gridpack": "True", "use_syst": "False"}
    with scratch(gridpack, "gridpack") as work:
        if slice is not None and (slice["max_gev"] is not None or slice["variable"] != "mhat"):
            cut_file = (work / "slice_cuts.f").resolve()
            cut_file.write_text(madgraph_cut_function(slice))
            settings["custom_fcts"] = " ".join([*settings.get("custom_fcts", "").split(), str(cut_file)])
        copy = unpack_process(process_tar, work / "process")
        commands = launch_commands(copy, GRID_RUN, param_card, settings, cores)
        try:
            run(mg5, commands, work / "launch.mg5", work / "launch.log")
        finally:
            log.info(
                "MadGraph launch:\n%s",
                (work / "launch.log").read_text(errors="replace")[-6000:]
                if (work / "launch.log").exists()
                else "(no log)",
            )
        sigma_pb, sigma_err_pb = cross_section(copy, GRID_RUN)
        packed = copy / f"{GRID_RUN}_gridpack.tar.gz"
        if not packed.is_file():
            raise MadGraphError(f"{process_tar}: MadGraph wrote no {packed.name}")
        info = stage.record(
            sample=sample,
            generator="madgraph",
            generator_version=f"MadGraph5_aMC@NLO {mg5.version_text}",
            sigma_pb=sigma_pb,
            sigma_err_pb=sigma_err_pb,
            run_settings=settings,
        )
        with (
            atomic_output(gridpack) as tmp_pack,
            atomic_output(record) as tmp_record,
            atomic_output(cards_dir) as tmp_cards,
        ):
            shutil.move(packed, tmp_pack)
            Path(tmp_cards).mkdir()
            (Path(tmp_cards) / "launch.mg5").write_text(commands.replace(str(copy), "<process copy>"))
            for name in ("run_card.dat", "param_card.dat", "proc_card_mg5.dat"):
                shutil.copy(copy / "Cards" / name, Path(tmp_cards) / name)
            if (work / "slice_cuts.f").is_file():
                shutil.copy(work / "slice_cuts.f", Path(tmp_cards) / "slice_cuts.f")
            Path(tmp_record).write_text(record_text(info))
    log.info(
        "%s: gridpack in %.1f s, sigma = %.5g +- %.2g pb", sample, stage.elapsed(), sigma_pb, sigma_err_pb
    )
    return info


def slice_run_settings(settings: dict[str, str], slice: dict | None, run_card: str) -> dict[str, str]:
    """The run-card settings of a slice, after checking that the card does not cut on the slice
    variable itself (dsqrt_shat, or a dummy_cuts function when the slice has an upper edge)."""
    if slice is None:
        return {}
    if MADGRAPH_MIN_KEY in settings:
        raise MadGraphError(
            f"{run_card}: run_card {MADGRAPH_MIN_KEY} is set by the config's slices; remove it"
        )
    if slice["max_gev"] is not None or slice["variable"] != "mhat":
        for name in settings.get("custom_fcts", "").split():
            if re.search(rf"function\s+{CUT_FUNCTION}\b", Path(name).read_text(), re.IGNORECASE):
                raise MadGraphError(
                    f"{run_card}: custom_fcts {name} defines {CUT_FUNCTION}, which the slice "
                    f"{slice['variable']} from {slice['min_gev']:g} GeV needs for its edges"
                )
    return madgraph_slice_settings(slice)


RECOMPILATION = re.compile(r"(?m)^\s*(gfortran|make\b)")


def generate_chunk(
    gridpack: str,
    gridpack_record: str,
    output_lhe: str,
    output_json: str,
    chunk: GenerationSpec,
) -> dict:
    """Events of one chunk from the gridpack (unpacked in a scratch directory; nothing is
    recompiled), with the chunk's own seed. Cross section: the gridpack's integration; the
    chunk's own estimate is recorded beside it and compared."""
    grid = json.loads(Path(gridpack_record).read_text())
    stage = Stage("generate", chunk.seed, {"gridpack": gridpack}, {"madgraph": grid["versions"]["madgraph"]})
    name = f"{chunk.sample} chunk {chunk.chunk}"
    with scratch(output_lhe, f"chunk{chunk.chunk}") as work:
        subprocess.run(["tar", "-xzf", str(Path(gridpack).resolve())], cwd=work, check=True)
        with open(work / "run.log", "w") as handle:
            done = subprocess.run(
                ["./run.sh", str(chunk.n_events), str(chunk.seed)],
                cwd=work,
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=False,
            )
        events = work / "events.lhe.gz"
        run_log = (work / "run.log").read_text(errors="replace")
        log.info("gridpack run:\n%s", run_log[-4000:])
        if done.returncode != 0 or not events.is_file():
            raise MadGraphError(f"{name}: gridpack run failed (exit {done.returncode}); see the log")
        if RECOMPILATION.search(run_log):
            raise MadGraphError(f"{name}: the gridpack recompiled code")
        n_written = check_lhe(events)
        if n_written < chunk.n_events:
            raise MadGraphError(f"{name}: the gridpack wrote {n_written} of {chunk.n_events} events")
        chunk_sigma = lhe_cross_section(events)
        pull = chunk_pull(chunk_sigma, (grid["sigma_pb"], grid["sigma_err_pb"]))
        consistent = abs(pull) < 5
        if not consistent:
            log.warning(
                "%s: the chunk's own cross-section estimate %.5g +- %.2g pb is %.1f standard "
                "deviations from the gridpack's integration %.5g +- %.2g pb; the sample uses the "
                "integration",
                name,
                *chunk_sigma,
                pull,
                grid["sigma_pb"],
                grid["sigma_err_pb"],
            )
        variations = None
        if wants_weights(chunk):
            weighted = work / "weighted.lhe.gz"
            matched = str(grid["run_settings"].get("ickkw", "0")).strip() == "1"
            variations = madgraph_variation_weights(events, weighted, chunk, matched)
            events = weighted
        record = stage.record(
            sample=chunk.sample,
            chunk=chunk.chunk,
            generator="madgraph",
            generator_version=grid["generator_version"],
            n_events=n_written,
            sigma_pb=grid["sigma_pb"],
            sigma_err_pb=grid["sigma_err_pb"],
            sigma_source="the gridpack's integration (shared by every chunk of the sample)",
            chunk_sigma_pb=chunk_sigma[0],
            chunk_sigma_err_pb=chunk_sigma[1],
            chunk_sigma_consistent=consistent,
            sqrt_s_gev=chunk.sqrt_s_gev,
            pdf=chunk.pdf,
            scale_choice="run_card dynamical_scale_choice (see the process's run card)",
            run_settings=grid["run_settings"],
            settings=[f"run_card {key} = {value}" for key, value in sorted(grid["run_settings"].items())],
        )
        record["variations"] = variations or dict(NO_WEIGHTS)
        with atomic_output(output_lhe) as tmp_lhe, atomic_output(output_json) as tmp_json:
            shutil.move(events, tmp_lhe)
            Path(tmp_json).write_text(record_text(record))
    log.info(
        "%s: %d events in %.1f s, chunk sigma = %.5g +- %.2g pb",
        name,
        n_written,
        stage.elapsed(),
        *chunk_sigma,
    )
    return record
