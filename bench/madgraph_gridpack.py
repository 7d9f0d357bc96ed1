"""MadGraph: k = 10 event chunks from one gridpack against 10 full launches of the same events.

Both sides start from the same compiled process output (the workflow's process job) of the
signal at M = 1 TeV and produce 10 x N events:
  gridpack side: one gridpack job (integration + packing), then 10 chunks from it, each in its
                 own scratch directory with its own seed (the workflow's code path);
  full side:     10 independent `launch`es (integration + generation), each in its own copy.
Everything runs one after the other, MadGraph on one core (as in a workflow job), so the ratio
of wall times is what a workflow saves per mass point. Needs MadGraph (MG5_AMC or mg5_aMC on PATH).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, arguments, save

from bsmflow.generate.checks import find_madgraph
from bsmflow.generate.madgraph import generate_chunk, make_gridpack, make_process, unpack_process
from bsmflow.generate.mg5 import (
    beam_settings,
    cross_section,
    installation,
    launch_commands,
    read_run_card,
    run,
)
from bsmflow.generate.spec import GenerationSpec
from bsmflow.model.modelfile import load_model_file
from bsmflow.model.param_card import model_param_card
from bsmflow.model.ufo_build import build_ufo
from bsmflow.seeds import derive_seed

K, EVENTS = 10, 1000  # the workflow's default chunk_size
PDF = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13, "madgraph": "nn23lo1"}


def main() -> None:
    global K, EVENTS
    if arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0])).smoke:
        K, EVENTS = 2, 20
    found = find_madgraph(None)
    if found is None:
        sys.exit("madgraph_gridpack: MadGraph not found (set MG5_AMC or put mg5_aMC on PATH)")
    mg5 = installation(found)
    work = Path(tempfile.mkdtemp(prefix="bench_madgraph."))
    try:
        ufo = build_ufo(load_model_file(REPO / "config/models/S1_leptoquark.yaml"), work / "S1_LQ")
        card = work / "param_card.dat"
        card.write_text(
            model_param_card(ufo, 1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42, "YUKS1")[0]
        )
        cards = REPO / "config/cards/lq/madgraph"
        start = time.perf_counter()
        make_process(str(mg5.executable), str(ufo), str(cards / "process.mg5"), str(work / "process"))
        process_s = time.perf_counter() - start

        start = time.perf_counter()
        make_gridpack(
            str(mg5.executable),
            str(work / "process"),
            str(card),
            str(cards / "run.mg5"),
            sample="lq_m1000",
            sqrt_s_gev=13000.0,
            pdf=PDF,
            seed=derive_seed(1, "lq_m1000", 0, "gridpack"),
            gridpack=str(work / "grid/gridpack.tar.gz"),
            record=str(work / "grid/gridpack.json"),
            cards_dir=str(work / "grid/cards"),
            cores=1,
        )
        gridpack_s = time.perf_counter() - start
        chunk_s, chunk_sigma = [], []
        for chunk in range(K):
            start = time.perf_counter()
            record = generate_chunk(
                str(work / "grid/gridpack.tar.gz"),
                str(work / "grid/gridpack.json"),
                str(work / f"lhe/chunk{chunk}.lhe.gz"),
                str(work / f"lhe/chunk{chunk}.json"),
                GenerationSpec(
                    sample="lq_m1000",
                    chunk=chunk,
                    n_events=EVENTS,
                    seed=derive_seed(1, "lq_m1000", chunk, "generate"),
                    sqrt_s_gev=13000.0,
                    pdf=PDF,
                ),
            )
            chunk_s.append(time.perf_counter() - start)
            chunk_sigma.append(record["sigma_pb"])

        full_s, full_sigma = [], []
        settings = read_run_card(cards / "run.mg5") | {"nevents": str(EVENTS), "use_syst": "False"}
        for launch in range(K):
            copy = work / f"full{launch}"
            start = time.perf_counter()
            unpack_process(work / "process", copy)  # the process job writes a tar file
            commands = launch_commands(
                copy,
                "full",
                card,
                settings | beam_settings(13000.0, "nn23lo1", derive_seed(1, "full", launch, "bench")),
            )
            run(mg5, commands, work / f"full{launch}.mg5", work / f"full{launch}.log")
            full_s.append(time.perf_counter() - start)
            full_sigma.append(cross_section(copy, "full")[0])
            shutil.rmtree(copy)

        gridpack_total = gridpack_s + sum(chunk_s)
        result = {
            "madgraph": mg5.version_text,
            "k": K,
            "events_per_chunk": EVENTS,
            "process_output_s": round(process_s, 1),
            "gridpack_s": round(gridpack_s, 1),
            "chunk_s_median": round(sorted(chunk_s)[K // 2], 2),
            "gridpack_side_s": round(gridpack_total, 1),
            "full_launch_s_median": round(sorted(full_s)[K // 2], 1),
            "full_side_s": round(sum(full_s), 1),
            "ratio_full_over_gridpack": round(sum(full_s) / gridpack_total, 2),
            "sigma_fb_chunks": [round(s * 1e3, 4) for s in chunk_sigma],
            "sigma_fb_full": [round(s * 1e3, 4) for s in full_sigma],
        }
        save("madgraph_gridpack", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
