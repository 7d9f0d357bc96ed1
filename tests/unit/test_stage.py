"""The record every stage writes: fields, seed, input hashes, versions, timings."""

import hashlib
import json
from datetime import datetime

from bsmflow import __version__
from bsmflow.generate.spec import GenerationSpec
from bsmflow.stage import Stage, write_record


def test_record_carries_inputs_with_their_hashes_versions_and_times(tmp_path):
    card = tmp_path / "card.cmnd"
    card.write_text("Top:gg2ttbar = on\n")
    stage = Stage("generate", 17, {"card": str(card), "param_card": None}, {"pythia": "8.317"})
    record = stage.record(sample="ttbar", n_events=5)
    assert record["sample"] == "ttbar" and record["n_events"] == 5
    assert record["stage"] == "generate" and record["seed"] == 17
    assert record["inputs"] == {
        "card": {"path": str(card), "sha256": hashlib.sha256(b"Top:gg2ttbar = on\n").hexdigest()}
    }  # an absent optional input is left out
    assert record["versions"] == {"bsmflow": __version__, "pythia": "8.317"}
    assert record["bsmflow_version"] == __version__
    started, finished = (datetime.fromisoformat(record[key]) for key in ("started", "finished"))
    assert started <= finished and record["wall_time_s"] >= 0


def test_sidecar_is_sorted_json_written_atomically(tmp_path):
    path = tmp_path / "out/chunk0.json"
    write_record(path, {"b": 1, "a": [1, 2]})
    assert json.loads(path.read_text()) == {"a": [1, 2], "b": 1}
    assert path.read_text().index('"a"') < path.read_text().index('"b"')
    assert [p.name for p in path.parent.iterdir()] == ["chunk0.json"]


def test_chunk_spec_takes_the_workflow_params():
    params = {
        "sample": "s",
        "chunk": 1,
        "n_events": 10,
        "seed": 3,
        "sqrt_s_gev": 13000.0,
        "pdf": {"pythia_pset": 13},
    }
    assert GenerationSpec(**params).n_events == 10


def test_record_counts_the_process_cpu_its_children_and_peak_memory():
    """cpu_time_s is the job's process from its start plus its finished children (MadGraph runs
    in subprocesses): a child that burns CPU shows up in it; max_rss_mb is the largest resident
    set of the process or a child."""
    import subprocess
    import sys

    before = Stage("x", None, {}).record()
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\nx = bytearray(200_000_000)"
    subprocess.run([sys.executable, "-c", burn], check=True)
    after = Stage("x", None, {}).record()
    assert after["cpu_time_s"] - before["cpu_time_s"] >= 0.3
    assert after["max_rss_mb"] >= 190
