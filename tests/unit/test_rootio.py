"""Damaged inputs between stages fail with the file's name, not deep inside a library."""

import json

import awkward as ak
import numpy as np
import pytest
import uproot

from bsmflow.rootio import read_metadata, read_tree


@pytest.fixture()
def objects_file(tmp_path):
    path = tmp_path / "objects.root"
    with uproot.recreate(path) as out:
        out["objects"] = {
            "jet": ak.zip({"pt": ak.Array([[100.0, 50.0], [70.0]] * 500)}),
            "weight": np.ones(1000),
        }
        out["metadata"] = json.dumps({"n_events": 1000})
    return path


def test_a_good_file_reads(objects_file):
    events, metadata = read_tree(str(objects_file), "objects", ["jet", "weight"])
    assert len(events) == 1000 and metadata == {"n_events": 1000}
    assert read_metadata(str(objects_file)) == {"n_events": 1000}


def test_truncated_root_file_is_named(objects_file, tmp_path):
    data = objects_file.read_bytes()
    broken = tmp_path / "chunk3.root"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"chunk3.root: unreadable or corrupt ROOT file"):
        read_tree(str(broken), "objects", ["jet", "weight"])


def test_garbage_and_foreign_files_are_named(objects_file, tmp_path):
    garbage = tmp_path / "garbage.root"
    garbage.write_bytes(b"not a ROOT file at all" * 100)
    with pytest.raises(ValueError, match="garbage.root: unreadable or corrupt ROOT file"):
        read_tree(str(garbage), "objects", ["jet"])
    with pytest.raises(ValueError, match=r"objects.root: no 'events' tree or 'metadata'"):
        read_tree(str(objects_file), "events", ["particle"])
