"""The model stage without MadGraph: model files, the UFO builder's structure, validation of any
UFO, the param card, and the FeynRules and ready-UFO routes."""

import math
import re
import shutil
from fractions import Fraction

import pytest
import yaml

from bsmflow.model.feynrules import FeynRulesError, feynrules_script, run_feynrules
from bsmflow.model.modelfile import ModelFileError, load_model_file
from bsmflow.model.param_card import build_param_card, model_param_card, read_param_card
from bsmflow.model.slha import read_slha
from bsmflow.model.ufo import make_ufo
from bsmflow.model.ufo_build import build_ufo
from bsmflow.model.ufo_read import UFOError, load_ufo
from bsmflow.model.ufo_validate import validate_ufo

NOT_BUILDER = {"model_file": None, "feynrules": None}  # keys of the other model sources
Y11 = [[0.1, 0, 0], [0, 0, 0], [0, 0, 0]]


@pytest.fixture(scope="module")
def model_file(repo):
    return repo / "config/models/S1_leptoquark.yaml"


@pytest.fixture(scope="module")
def built(model_file, tmp_path_factory):
    return build_ufo(load_model_file(model_file), tmp_path_factory.mktemp("ufo") / "S1_LQ")


def vertex_table(ufo):
    """{sorted particle names: (colour list, Lorentz structures, coupling values, orders)}."""
    table = {}
    for v in ufo.all_vertices:
        key = tuple(sorted(p.name for p in v.particles))
        table[key] = (
            v.color,
            [lo.structure for lo in v.lorentz],
            sorted({c.value for c in v.couplings.values()}),
            [c.order for c in v.couplings.values()],
        )
    return table


def test_built_ufo_imports_and_validates(built):
    ufo = load_ufo(built)
    assert validate_ufo(built) == []
    s1 = next(p for p in ufo.all_particles if p.pdg_code == 42)
    assert (s1.name, s1.antiname, s1.spin, s1.color) == ("s1", "s1~", 1, 3)
    assert Fraction(s1.charge).limit_denominator(10) == Fraction(-1, 3)
    assert s1.mass.name == "MS1" and s1.width.name == "WS1"
    assert not list(built.glob("*.pkl")) and (built / "bsmflow_provenance.json").is_file()
    lq = next(o for o in ufo.all_orders if o.name == "LQ")
    assert lq.hierarchy == 1  # MadGraph keeps the t-channel lepton exchange by default


def test_gauge_vertices_from_the_covariant_derivative(built):
    table = vertex_table(load_ufo(built))
    expected = {
        ("g", "s1", "s1~"): (["T(3,2,1)"], "complex(0,1)*G", {"QCD": 1}),
        ("g", "g", "s1", "s1~"): (
            ["T(3,-1,1)*T(4,2,-1)", "T(3,2,-1)*T(4,-1,1)"],
            "complex(0,1)*G**2",
            {"QCD": 2},
        ),
        ("a", "s1", "s1~"): (["Identity(1,2)"], "complex(0,1)*ee*(-1./3.)", {"QED": 1}),
        ("Z", "s1", "s1~"): (["Identity(1,2)"], "complex(0,1)*-(ee*(-1./3.)*sw)/cw", {"QED": 1}),
        ("a", "a", "s1", "s1~"): (["Identity(1,2)"], "complex(0,1)*2*(ee*(-1./3.))**2", {"QED": 2}),
        ("Z", "Z", "s1", "s1~"): (["Identity(1,2)"], "complex(0,1)*2*(-(ee*(-1./3.)*sw)/cw)**2", {"QED": 2}),
        ("Z", "a", "s1", "s1~"): (
            ["Identity(1,2)"],
            "complex(0,1)*2*(ee*(-1./3.))*(-(ee*(-1./3.)*sw)/cw)",
            {"QED": 2},
        ),
        ("a", "g", "s1", "s1~"): (["T(3,2,1)"], "2*complex(0,1)*G*(ee*(-1./3.))", {"QCD": 1, "QED": 1}),
        ("Z", "g", "s1", "s1~"): (
            ["T(3,2,1)"],
            "2*complex(0,1)*G*(-(ee*(-1./3.)*sw)/cw)",
            {"QCD": 1, "QED": 1},
        ),
    }
    for key, (colour, value, order) in expected.items():
        got_colour, structures, values, orders = table[tuple(sorted(key))]
        assert got_colour == colour, key
        assert values == [value] and orders[0] == order, key
        assert structures == (["P(3,2) - P(3,1)"] if len(key) == 3 else ["Metric(3,4)"]), key


def test_yukawa_vertices_have_chirality_and_fermion_flow(built):
    """y (u_R^c)bar e_R S1: outgoing [e+, u~, s1] with P_R; h.c. [u, e-, s1~] with P_L, for every
    (quark, lepton) generation pair, each with its own parameter and coupling order LQ."""
    ufo = load_ufo(built)
    quarks, leptons = ["u", "c", "t"], ["e", "mu", "ta"]
    for i, j in [(1, 1), (2, 3), (3, 2)]:
        q, lep = quarks[i - 1], leptons[j - 1]
        term = next(
            v for v in ufo.all_vertices if [p.name for p in v.particles] == [f"{lep}+", f"{q}~", "s1"]
        )
        conj = next(v for v in ufo.all_vertices if [p.name for p in v.particles] == [q, f"{lep}-", "s1~"])
        assert term.lorentz[0].structure == "ProjP(2,1)" and conj.lorentz[0].structure == "ProjM(2,1)"
        assert term.color == ["Identity(2,3)"] and conj.color == ["Identity(1,3)"]
        assert term.couplings[(0, 0)].value == f"complex(0,1)*y{i}x{j}"
        assert conj.couplings[(0, 0)].value == f"complex(0,1)*complexconjugate(y{i}x{j})"
        assert term.couplings[(0, 0)].order == {"LQ": 1}
    params = {p.name: p for p in ufo.all_parameters}
    assert params["y2x3"].lhablock == "YUKS1" and params["y2x3"].lhacode == [2, 3]


def test_validation_catches_broken_vertices(built, tmp_path):
    broken = shutil.copytree(built, tmp_path / "broken")
    text = (broken / "vertices.py").read_text()
    text = text.replace(
        "particles = [ P.e__plus__, P.u__tilde__, P.s1 ]", "particles = [ P.e__minus__, P.u__tilde__, P.s1 ]"
    )
    text = text.replace("couplings = {(0,0):C.GC_BSM1})", "couplings = {(0,0):C.GC_NOPE})", 1)
    (broken / "vertices.py").write_text(text)
    with open(broken / "couplings.py", "a") as handle:
        handle.write("GC_NOPE = Coupling(name='GC_NOPE', value='complex(0,1)*gNope', order={'XYZ':1})\n")
    problems = "\n".join(validate_ufo(broken))
    assert re.search(r"\['e-', 'u~', 's1'\]: charge -2 is not conserved", problems)
    assert "coupling GC_NOPE: unknown names ['gNope']" in problems
    assert "coupling order XYZ is not declared" in problems


def test_param_card_round_trips_and_matches_analytic_widths(built, tmp_path):
    yukawa = [[0.1, 0.2, 0], [0, 0, 0], [0, 0.5, 0]]  # massless leptons (the UFO's tau has a mass)
    text, card = model_param_card(built, 2000, yukawa, 172.5, 42, "YUKS1")
    path = tmp_path / "param_card.dat"
    path.write_text(text)
    back = read_param_card(path, 42, "YUKS1")
    assert (back.mass_gev, back.yukawa, back.top_mass_gev) == (card.mass_gev, card.yukawa, card.top_mass_gev)
    assert back.width_gev == pytest.approx(card.width_gev, rel=1e-10)
    assert [(c.quark, c.lepton) for c in back.channels] == [(c.quark, c.lepton) for c in card.channels]
    analytic = build_param_card(2000, yukawa, 172.5, 42)  # Gamma = |y|^2 M/16pi (1 - mq^2/M^2)^2
    assert card.width_gev == pytest.approx(analytic.width_gev, rel=1e-12)
    assert {(c.quark, c.lepton): c.branching_ratio for c in card.channels} == pytest.approx(
        {(c.quark, c.lepton): c.branching_ratio for c in analytic.channels}, rel=1e-12
    )
    slha = read_slha(path)
    assert slha.get("MASS", (42,)) == 2000 and slha.get("MASS", (6,)) == 172.5 == slha.get("YUKAWA", (6,))
    assert slha.get("YUKS1", (3, 2)) == 0.5 and slha.get("SMINPUTS", (3,)) == 0.118
    assert read_slha(path).format() == slha.format()  # stable when read and written again
    assert card.width_gev == pytest.approx(
        (0.01 + 0.04) * 2000 / (16 * math.pi) + 0.25 * 2000 / (16 * math.pi) * (1 - (172.5 / 2000) ** 2) ** 2,
        rel=1e-12,
    )


def test_restriction_keeps_the_configured_couplings(built):
    """MadGraph applies restrict_default.dat on import: non-zero y_ij stay, zero ones go, and no
    new parameter sits at exactly 1 (MadGraph would freeze it)."""
    card = read_slha(built / "restrict_default.dat")
    assert card.get("YUKS1", (1, 1)) == 0.1 and card.get("YUKS1", (2, 2)) == 0
    assert card.get("MASS", (42,)) == 1000.0 and card.get("MASS", (6,)) == 173.0
    assert card.get("DECAY", (42,)) == pytest.approx(0.01 * 1000 / (16 * math.pi), rel=1e-6)
    for extra in built.glob("restrict_*.dat"):
        assert "YUKS1" in extra.read_text().upper(), extra.name


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda m: m["scalars"]["S1"].update(su3="8"), r"scalars\.S1\.su3 = '8': allowed"),
        (lambda m: m["scalars"]["S1"].update(su2=2), r"scalars\.S1\.su2 = '2': only SU\(2\) singlets"),
        (lambda m: m["scalars"]["S1"].update(hypercharge="abc"), r"scalars\.S1\.hypercharge = 'abc'"),
        (
            lambda m: m["yukawas"]["yRR"]["field"].update(chirality="L"),
            r"yukawas\.yRR: .*chiralities must agree",
        ),
        (lambda m: m["yukawas"]["yRR"]["field"].update(fermion="nu", chirality="L"), r"yukawas\.yRR: "),
        (
            lambda m: m["yukawas"]["yRR"]["bar"].update(fermion="d"),
            r"yukawas\.yRR: the term violates electric charge",
        ),
        (lambda m: m["yukawas"]["yRR"].update(scalar="S3"), r"yukawas\.yRR\.scalar = 'S3'"),
        (lambda m: m["yukawas"]["yRR"]["bar"].update(fermion="x"), r"yukawas\.yRR\.bar\.fermion = 'x'"),
        (lambda m: m["scalars"]["S1"].pop("mass"), r"scalars\.S1\.mass: missing"),
    ],
)
def test_model_file_errors_name_file_and_key(model_file, tmp_path, edit, message):
    raw = yaml.safe_load(model_file.read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(path))}: {message}"):
        load_model_file(path)


def test_ordinary_qbar_l_yukawa_builds_a_flow_conserving_vertex(model_file, tmp_path):
    """A (d_R)bar e_L type coupling of a (3, 1, 2/3)-charged scalar: [e+, d, S] with P_L."""
    raw = yaml.safe_load(model_file.read_text())
    raw["scalars"] = {
        "S": {
            "su3": "3",
            "su2": 1,
            "hypercharge": "2/3",
            "pdg": 6000005,
            "name": "sx",
            "mass": {"parameter": "MSX", "default": 800.0},
            "width": {"parameter": "WSX"},
        }
    }
    raw["yukawas"] = {
        "yLR": {
            "scalar": "S",
            "block": "YUKSX",
            "parameter": "x",
            "order": "NP",
            "bar": {"fermion": "d", "chirality": "R"},
            "field": {"fermion": "e", "chirality": "L"},
            "values": [[0.3, 0, 0], [0, 0, 0], [0, 0, 0]],
        }
    }
    path = tmp_path / "sx.yaml"
    path.write_text(yaml.safe_dump(raw))
    out = build_ufo(load_model_file(path), tmp_path / "UFO")
    assert validate_ufo(out) == []
    ufo = load_ufo(out)
    term = next(v for v in ufo.all_vertices if [p.name for p in v.particles] == ["e+", "d", "sx~"])
    assert term.lorentz[0].structure == "ProjM(2,1)" and term.color == ["Identity(2,3)"]
    _, card = model_param_card(out, 800, [[0.3, 0, 0], [0, 0, 0], [0, 0, 0]], 172.5, 6000005, "YUKSX")
    assert card.width_gev == pytest.approx(0.09 * 800 / (16 * math.pi), rel=1e-12)


def test_make_ufo_leaves_nothing_when_validation_fails(built, tmp_path):
    broken = shutil.copytree(built, tmp_path / "broken")
    with open(broken / "vertices.py", "a") as handle:
        handle.write(
            "V_X = Vertex(name='V_X', particles=[P.e__minus__, P.e__minus__, P.a], color=['1'],"
            " lorentz=[L.FFV1], couplings={(0,0):C.GC_3})\n"
        )
    out = tmp_path / "results/UFO"
    with pytest.raises(UFOError, match=r"ufo UFO failed validation:\n.*V_X \['e-', 'e-', 'a'\]: charge -2"):
        make_ufo(out, source="ufo", ufo=str(broken), yukawa=Y11, yukawa_block="YUKS1", **NOT_BUILDER)
    assert not out.exists() and not list(out.parent.iterdir())
    make_ufo(out, source="ufo", ufo=str(built), yukawa=Y11, yukawa_block="YUKS1", **NOT_BUILDER)
    assert validate_ufo(out) == []


def test_feynrules_route(tmp_path, monkeypatch):
    script = feynrules_script("/opt/FeynRules", ["/m/SM.fr", "/m/S1.fr"], "LSM + LS1", "/out/UFO")
    assert script.splitlines() == [
        '$FeynRulesPath = SetDirectory["/opt/FeynRules"];',
        "<< FeynRules`;",
        'LoadModel["/m/SM.fr", "/m/S1.fr"];',
        "FeynmanGauge = False;",
        'WriteUFO[LSM + LS1, Output -> "/out/UFO"];',
        "Quit[];",
    ]
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FeynRulesError, match=r"model\.feynrules\.wolframscript = 'wolframscript': not found"):
        run_feynrules("wolframscript", "/opt/FeynRules", ["SM.fr"], "LSM", tmp_path / "UFO")
    fake = tmp_path / "wolframscript"  # found, but no FeynRules installation: the next check
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(FeynRulesError, match=r"model\.feynrules\.path = '/nonexistent': no FeynRules\.m"):
        run_feynrules("wolframscript", "/nonexistent", ["SM.fr"], "LSM", tmp_path / "UFO")
