"""Atomic outputs: a file or directory appears whole, or nothing appears."""

import os

import pytest

from bsmflow.io import atomic_output


def test_file_appears_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "sub/out.txt"
    with atomic_output(target) as tmp:
        with open(tmp, "w") as stream:
            stream.write("done")
        assert not target.exists()  # not visible while being written
    assert target.read_text() == "done"
    assert os.listdir(target.parent) == ["out.txt"]  # no temporary file left


def test_failing_block_leaves_neither_output_nor_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="tool failed"):
        with atomic_output(target) as tmp:
            with open(tmp, "w") as stream:
                stream.write("half")
            raise RuntimeError("tool failed")
    assert target.read_text() == "old"  # an earlier complete output is not replaced by a partial one
    assert os.listdir(tmp_path) == ["out.txt"]


def test_failing_directory_output_is_removed(tmp_path):
    target = tmp_path / "UFO"
    with pytest.raises(ValueError):
        with atomic_output(target) as tmp:
            os.mkdir(tmp)
            (tmp_path / os.path.basename(tmp) / "particles.py").write_text("x")
            raise ValueError("validation failed")
    assert os.listdir(tmp_path) == []
