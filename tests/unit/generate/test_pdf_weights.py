"""PDF error-set weights. No error set ships with the environment, so the tests build one in the
LHAPDF 6 layout from Pythia's own NNPDF2.3 LO grid: member 0 is the grid itself, members 1 and 2
scale every grid value by 1.1 and 0.8, which Pythia's interpolation carries exactly into
x f(x, Q^2). The weights must then be exactly 1.1^2 and 0.8^2 for every event."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bsmflow.generate.pdf_weights import combined_uncertainty, find_pdf_set, member_ratios, pdf_note

SCALES = (1.0, 1.1, 0.8)


def pythia_grid() -> Path:
    import pythia8mc

    xml = Path(pythia8mc.Pythia("", False).settings.word("xmlPath"))
    return xml.parent / "pdfdata" / "NNPDF23_lo_as_0130_qed_0000.dat"


def scaled_grid(text: str, factor: float) -> str:
    """The grid with every value line of every subgrid multiplied by ``factor`` (the x, Q and
    flavour lines after each '---' are kept)."""
    lines, out, position = text.splitlines(), [], None
    for line in lines:
        if line.strip() == "---":
            position = 0
            out.append(line)
            continue
        if position is None or position < 3 or not line.strip():
            position = None if position is None else position + 1
            out.append(line)
            continue
        out.append(" ".join(f"{float(v) * factor:.8e}" for v in line.split()))
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("lhapdf")
    name = "TOYSET"
    (root / name).mkdir()
    (root / name / f"{name}.info").write_text(
        "SetDesc: test set built from NNPDF23_lo_as_0130_qed\nErrorType: symmhessian\nNumMembers: 3\n"
    )
    text = pythia_grid().read_text()
    for k, factor in enumerate(SCALES):
        (root / name / f"{name}_{k:04d}.dat").write_text(scaled_grid(text, factor))
    return root


def test_a_found_set_gives_member_weights_that_follow_the_grids(pdf_dir):
    from bsmflow.generate.scale_weights import proton_pdf

    found = find_pdf_set("TOYSET", str(pdf_dir))
    assert found.error_type == "symmhessian" and len(found.members) == 3
    assert found.weight_ids() == ["pdf_symmhessian_0000", "pdf_symmhessian_0001", "pdf_symmhessian_0002"]
    pdf, _owner = proton_pdf(13)
    x1, x2 = np.array([0.1, 0.01, 0.3]), np.array([0.05, 0.2, 0.002])
    ids1, ids2, mu = np.array([21, 2, -1]), np.array([1, 21, 1]), np.array([100.0, 1000.0, 3000.0])
    ratios = member_ratios(found, x1, x2, ids1, ids2, mu, pdf.xf)
    assert ratios == pytest.approx(np.tile(np.square(SCALES), (3, 1)), rel=1e-6)


def test_missing_and_malformed_sets_and_the_notes(pdf_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("LHAPDF_DATA_PATH", f"{tmp_path}:{pdf_dir}")
    assert find_pdf_set("TOYSET", None) is not None  # found through LHAPDF_DATA_PATH
    assert find_pdf_set("NNPDF31_lo_as_0130", None) is None
    assert "not found in " + str(tmp_path) in pdf_note("NNPDF31_lo_as_0130", None, None)
    assert pdf_note(None, None, None).startswith("PDF uncertainty not evaluated (variations.pdf: null")
    (tmp_path / "BAD").mkdir()
    (tmp_path / "BAD" / "BAD.info").write_text("ErrorType: unknown\nNumMembers: 1\n")
    with pytest.raises(ValueError, match="ErrorType 'unknown'"):
        find_pdf_set("BAD", str(tmp_path))


def test_combination_rules():
    members = np.array([[10.0], [11.0], [9.5], [10.2], [9.6]])
    assert combined_uncertainty(members, "symmhessian") == pytest.approx([np.sqrt(1 + 0.25 + 0.04 + 0.16)])
    assert combined_uncertainty(members, "hessian") == pytest.approx([np.sqrt(0.75**2 + 0.3**2)])
    assert combined_uncertainty(members, "replicas") == pytest.approx(
        [np.std([11.0, 9.5, 10.2, 9.6], ddof=1)]
    )


def test_generation_writes_the_members_into_the_lhe_file(pdf_dir, tmp_path):
    """Real Pythia events: every event's member weights are its weight x 1.21 and x 0.64."""
    from bsmflow.generate.lhe import read_event_weights
    from bsmflow.generate.pythia import generate_lhe
    from bsmflow.generate.spec import GenerationSpec

    repo = Path(__file__).resolve().parents[3]
    pdf = {"name": "NNPDF23_lo_as_0130_qed", "lhapdf_id": 247000, "pythia_pset": 13}
    chunk = GenerationSpec(
        "ttbar", 0, 50, 7, 13000.0, pdf, {"scale": False, "pdf": "TOYSET", "pdf_path": str(pdf_dir)}
    )
    record = generate_lhe(
        str(repo / "config/cards/ttbar/pythia.cmnd"),
        None,
        None,
        str(tmp_path / "e.lhe.gz"),
        str(tmp_path / "e.json"),
        chunk,
    )
    nominal, named = read_event_weights(tmp_path / "e.lhe.gz")
    assert named["pdf_symmhessian_0001"] == pytest.approx(nominal * 1.21, rel=1e-6)
    assert named["pdf_symmhessian_0002"] == pytest.approx(nominal * 0.64, rel=1e-6)
    assert record["variations"]["pdf_note"] == "PDF uncertainty from TOYSET (3 members, symmhessian)"
    assert json.loads((tmp_path / "e.json").read_text())["variations"]["sigma_ratio"][
        "pdf_symmhessian_0001"
    ] == (pytest.approx(1.21, rel=1e-5))
