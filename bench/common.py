"""Shared helpers of the benchmarks: scratch inputs, timing, medians, a result record."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the workflow-running helpers of the tests
# where results go: bench/results/, or BENCH_RESULTS (the smoke runs of tests/bench/ write there)
RESULTS = Path(os.environ.get("BENCH_RESULTS", REPO / "bench" / "results"))
SMOKE_EVENTS = 40  # events per sample in a smoke run


def arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The bench's own arguments plus --smoke: tiny inputs, seconds, to show the bench still runs
    (tests/bench/ runs every bench so in make test); its figures mean nothing."""
    parser.add_argument("--smoke", action="store_true", help="tiny inputs: check that the bench runs")
    return parser.parse_args()


def shrink(config: dict, events: int = SMOKE_EVENTS) -> dict:
    """A smoke run's config: one mass point and ``events`` per sample in single chunks."""
    config["signal"]["masses_gev"] = config["signal"]["masses_gev"][:1]
    config["signal"]["events"] = events
    config["chunk_size"] = events
    config["inference"]["toys"]["n"] = 100  # the schema's minimum
    for spec in config["backgrounds"]["processes"].values():
        parts = [spec] if "events" in spec else list(spec.get("slices", []))
        parts = parts + list(spec.get("channel_split", {}).get("slices", []))
        for part in parts:
            part["events"] = events
    return config


def study_config(smoke: bool) -> str | None:
    """The config a bench's workflow runs use: the default one, tests/configs/tiny for a smoke run."""
    return "tiny" if smoke else None


PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}


@contextlib.contextmanager
def quiet():
    """Silence what Pythia and FastJet print from C++ (file descriptors 1 and 2)."""
    sys.stdout.flush()
    saved = os.dup(1), os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def median(values: list[float]) -> float:
    return statistics.median(values)


def signal_lhe(
    directory: Path, n_events: int, seed: int = 1, mass: int = 1000, variations: dict | None = None
) -> Path:
    """A signal LHE chunk made by the workflow's own generator code (``variations``: the
    GenerationSpec's, e.g. {"scale": True} for the scale weights)."""
    from bsmflow.generate.pythia import generate_lhe
    from bsmflow.generate.spec import GenerationSpec
    from bsmflow.model.param_card import build_param_card, format_param_card

    directory.mkdir(parents=True, exist_ok=True)
    card = directory / f"param_card_M{mass}.dat"
    yukawa = [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]]
    card.write_text(format_param_card(build_param_card(mass, yukawa, 172.5, 42), "YUKS1"))
    lhe = directory / f"lq_m{mass}_{n_events}{'_weights' if variations else ''}.lhe.gz"
    generate_lhe(
        str(REPO / "config/cards/lq/pythia.cmnd"),
        str(card),
        {"pdg_id": 42, "yukawa_block": "YUKS1"},
        str(lhe),
        str(lhe) + ".json",
        GenerationSpec(
            sample=f"lq_m{mass}",
            chunk=0,
            n_events=n_events,
            seed=seed,
            sqrt_s_gev=13000.0,
            pdf=PDF,
            variations=variations,
        ),
    )
    return lhe


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def save(name: str, record: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    print(json.dumps(record, indent=1))


def chain_cpu_seconds(workdir: Path, generator: str, sample: str) -> float:
    """CPU seconds of one sample's generation, shower and clustering jobs, from their records
    (``cpu_time_s``: each job's process from its start, MadGraph's subprocesses included)."""
    import uproot

    base = Path(workdir) / "results" / generator / sample
    seconds = sum(json.loads(p.read_text())["cpu_time_s"] for p in (base / "lhe").glob("chunk*.json"))
    for part in ("shower", "objects"):
        for path in (base / part).glob("chunk*.root"):
            with uproot.open(path) as handle:
                seconds += json.loads(str(handle["metadata"]))["cpu_time_s"]
    return seconds
