"""Benchmark 5: peak memory (max RSS) of each stage's job at 1x and 4x the chunk size.

Each stage's code runs in a fresh Python process (as a Snakemake job does) and reports its
own peak resident memory. The analyse stage reads all chunks of a sample one at a time, so
it is also measured on 4 chunks of 1x: its memory must follow the chunk size, not the
sample size.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import PDF, REPO, arguments, run_python, save

PRELUDE = """
import json, resource
"""
REPORT = "\nprint(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))\n"


def peak_mb(code: str) -> float:
    return round(float(run_python(PRELUDE + code + REPORT).stdout.strip().splitlines()[-1]), 1)


def stage_codes(work: Path, n: int, tag: str) -> dict[str, str]:
    card = REPO / "config/cards/lq/pythia.cmnd"
    param_card = work / "param_card.dat"
    lhe, shower, objects = work / f"{tag}.lhe.gz", work / f"{tag}.root", work / f"{tag}.objects.root"
    leptons = {"pt_min": 50.0, "eta_max": 2.5, "dressing_dr": 0.1, "isolation_dr": 0.3, "isolation_max": 0.15}
    jets = {"algorithm": "antikt", "radius": 0.4, "pt_min": 50.0, "eta_max": 2.5}
    return {
        "generate": f"""
from bsmflow.generate.pythia import generate_lhe
from bsmflow.generate.spec import GenerationSpec
generate_lhe({str(card)!r}, {str(param_card)!r}, {{"pdg_id": 42, "yukawa_block": "YUKS1"}}, {str(lhe)!r},
             {str(lhe) + ".json"!r}, GenerationSpec(sample="s", chunk=0, n_events={n}, seed=3,
             sqrt_s_gev=13000.0, pdf={PDF!r}))""",
        "shower": f"""
from bsmflow.shower.pythia import shower_lhe
shower_lhe({str(lhe)!r}, {str(REPO / "config/cards/shower.cmnd")!r}, {str(shower)!r},
           sample="s", chunk=0, seed=4)""",
        "cluster": f"""
from bsmflow.cluster.jets import cluster_chunk
cluster_chunk({str(shower)!r}, {str(objects)!r}, leptons={leptons!r}, jets={jets!r})""",
    }


def analyse_code(work: Path, objects: list[str], records: list[str]) -> str:
    return f"""
from bsmflow.analyse.sample import analyse_sample
analyse_sample({objects!r}, {records!r}, {str(work / "analysis.json")!r}, {str(work / "selected.root")!r},
               sample="s", process="lq",
               mass_gev=1000, selection=dict(jet_lepton_overlap_dr=0.4, n_leptons=2, min_jets=2,
               mll_min=130.0, st_min=0.0), binning=dict(min_gev=0.0, max_gev=3000.0, width_gev=50.0),
               luminosity_fb=139.0)"""


def main() -> None:
    from bsmflow.model.param_card import build_param_card, format_param_card

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunk", type=int, default=250)
    args = arguments(parser)
    if args.smoke:
        args.chunk = 10
    table = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "param_card.dat").write_text(
            format_param_card(build_param_card(1000, [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 42), "YUKS1")
        )
        for factor in (1, 4):
            n = factor * args.chunk
            for stage, code in stage_codes(work, n, f"x{factor}").items():
                table.setdefault(stage, {})[f"{factor}x"] = peak_mb(code)
            objects, records = [str(work / f"x{factor}.objects.root")], [str(work / f"x{factor}.lhe.gz.json")]
            table.setdefault("analyse", {})[f"{factor}x"] = peak_mb(analyse_code(work, objects, records))
        # analyse on 4 chunks of 1x: the same events as 4x, read one chunk at a time
        objects = [str(work / "x1.objects.root")] * 4
        record = json.loads((work / "x1.lhe.gz.json").read_text())
        records = []
        for i in range(4):
            path = work / f"chunk{i}.json"
            path.write_text(json.dumps(record))
            records.append(str(path))
        table["analyse"]["4 chunks of 1x"] = peak_mb(analyse_code(work, objects, records))
    save(
        "peak_memory",
        {
            "what": "peak RSS in MB of one job per stage (fresh Python process, imports included)",
            "chunk_size_1x": args.chunk,
            "peak_rss_mb": table,
        },
    )


if __name__ == "__main__":
    main()
