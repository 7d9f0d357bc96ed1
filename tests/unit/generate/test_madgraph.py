"""The MadGraph generation stage's own logic, without MadGraph: model naming, the chunk's cross
section from its LHE file, the consistency pull, recompilation detection, scratch directories.
The stage with real MadGraph runs in tests/workflow/test_madgraph_workflow.py (marker madgraph)."""

import gzip
import math

import pytest

from bsmflow.generate.madgraph import RECOMPILATION, model_name, scratch
from bsmflow.generate.madgraph_events import chunk_pull, lhe_cross_section
from bsmflow.generate.mg5 import MadGraphError

INIT = """<LesHouchesEvents version="3.0">
<header>
</header>
<init>
2212 2212 6.500000e+03 6.500000e+03 0 0 247000 247000 -4 1
  0.4273E-02  0.1030E-04  0.4273E-02   1
<generator name='MadGraph5_aMC@NLO' version='3.5.7'>please cite 1405.0301 </generator>
</init>
"""


def test_model_is_named_after_its_directory(tmp_path):
    assert model_name(tmp_path / "results/model/S1/UFO") == "S1"
    assert model_name(tmp_path / "S1_LQ") == "S1_LQ"
    assert model_name(tmp_path / "my-model") == "my_model"
    assert model_name(tmp_path / "2hdm") == "model_2hdm"  # an identifier, as MadGraph needs


def test_chunk_cross_section_is_read_from_the_init_block(tmp_path):
    path = tmp_path / "events.lhe.gz"
    with gzip.open(path, "wt") as stream:
        stream.write(INIT + "<event>\n</event>\n</LesHouchesEvents>\n")
    assert lhe_cross_section(path) == (0.4273e-2, 0.1030e-4)
    with gzip.open(path, "wt") as stream:
        stream.write("<LesHouchesEvents>\n</LesHouchesEvents>\n")
    with pytest.raises(MadGraphError, match="no <init> block"):
        lhe_cross_section(path)


def test_chunk_cross_section_sums_every_subprocess_line(tmp_path):
    """A chunk of several subprocess groups (the diboson channels: 8): sigma is the sum of the
    NPRUP lines, not the first one (which was 58 % of it and looked like a biased gridpack)."""
    lines = ["  0.8500E-01  0.1100E-02  0.1000E+00   1", "  0.6200E-01  0.0500E-02  0.1000E+00   2"]
    text = INIT.replace("-4 1\n  0.4273E-02  0.1030E-04  0.4273E-02   1", "-4 2\n" + "\n".join(lines))
    path = tmp_path / "events.lhe.gz"
    with gzip.open(path, "wt") as stream:
        stream.write(text + "<event>\n</event>\n</LesHouchesEvents>\n")
    sigma, error = lhe_cross_section(path)
    assert sigma == pytest.approx(0.147) and error == pytest.approx(math.hypot(0.0011, 0.0005))
    with gzip.open(path, "wt") as stream:
        stream.write(text.replace("-4 2", "-4 3") + "</LesHouchesEvents>\n")
    with pytest.raises(MadGraphError, match="lists 2 of NPRUP = 3"):
        lhe_cross_section(path)


def test_pull_is_the_difference_over_the_combined_error():
    assert chunk_pull((0.068, 0.0003), (0.080, 0.0004)) == pytest.approx(-0.012 / 0.0005)
    assert chunk_pull((1.0, 0.1), (1.0, 0.1)) == 0.0
    assert abs(chunk_pull((1.3, 0.03), (1.0, 0.04))) == pytest.approx(6.0)  # beyond the warning at 5


def test_recompilation_is_recognised_in_the_gridpack_log():
    assert RECOMPILATION.search("Running MadEvent\n  gfortran -O -c matrix1.f\n")
    assert RECOMPILATION.search("make -j1 madevent\n")
    assert not RECOMPILATION.search("Generating 100 events\nmakes sense\nwrite events.lhe.gz\n")


def test_scratch_sits_beside_the_output_and_is_removed_even_on_failure(tmp_path):
    output = tmp_path / "lhe/chunk0.lhe.gz"
    with scratch(output, "chunk0") as work:
        assert work.parent == output.parent and work.name.startswith(".chunk0.")
        (work / "file").write_text("x")
    assert not work.exists()
    with pytest.raises(RuntimeError):
        with scratch(output, "chunk1") as work:
            raise RuntimeError("run.sh failed")
    assert not work.exists() and list(output.parent.iterdir()) == []
