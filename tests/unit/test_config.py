"""Config validation: each bad input is rejected with the key, the value and what is allowed."""

import copy
import os
import shutil

import pytest
import yaml

from bsmflow.generate.checks import check_generator_support, locate_madgraph, resolve_generator
from bsmflow.plan.samples import chunk_sizes, samples
from bsmflow.plan.validate import validate_config
from bsmflow.schema import ConfigError


@pytest.fixture()
def config(repo):
    return yaml.safe_load((repo / "config" / "config.yaml").read_text())


@pytest.fixture()
def check(repo):
    schema = repo / "workflow" / "schemas" / "config.schema.yaml"

    def run(cfg):
        validate_config(cfg, schema, source="config/config.yaml", workdir=repo)

    return run


def test_default_config_is_valid(config, check):
    check(config)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda c: c.update(sqrt_s=13000), r"unknown key\(s\) \['sqrt_s'\]"),
        (
            lambda c: c["objects"]["jets"].update(radius="0.4"),
            r"objects.jets.radius = '0.4': '0.4' is not of type 'number'",
        ),
        (
            lambda c: c["signal"].update(masses_gev=[1000, -1500]),
            r"signal.masses_gev\[1\] = -1500: -1500 is less than or equal to the minimum of 0",
        ),
        (lambda c: c["signal"].update(masses_gev=[]), r"signal.masses_gev = \[\]: \[\] should be non-empty"),
        (
            lambda c: c["backgrounds"].update(wjets={"events": 10}),
            r"backgrounds: unknown key\(s\) \['wjets'\]; allowed: \['enabled', 'processes'\]",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][1].update(events=0),
            r"backgrounds.processes.ttbar.slices\[1\].events = 0: 0 is less than the minimum of 1",
        ),
        (
            lambda c: c["backgrounds"].update(enabled=["dyjets", "wjets"]),
            r"backgrounds.enabled: 'wjets' is not defined in backgrounds.processes \(defined: "
            r"\['diboson', 'dyjets', 'ttbar'\]\)",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"].update(events=100),
            r"backgrounds.processes.ttbar: give either events \(one sample\) or slices, not both",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"].pop("slice_variable"),
            r"backgrounds.processes.ttbar: slices need a slice_variable",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][1].update(min_gev=1100),
            r"backgrounds.processes.ttbar.slices\[1\].min_gev = 1100: gap after "
            r"backgrounds.processes.ttbar.slices\[0\].max_gev = 1000 \(slices must be contiguous\)",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][1].update(min_gev=900),
            r"backgrounds.processes.ttbar.slices\[1\].min_gev = 900: overlaps "
            r"backgrounds.processes.ttbar.slices\[0\].max_gev = 1000",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][1].update(max_gev=900),
            r"backgrounds.processes.ttbar.slices\[1\] = 1000-900 GeV: unordered edges",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][-1].update(max_gev=5000),
            r"backgrounds.processes.ttbar.slices\[\d\].max_gev = 5000: the last slice must be open-ended",
        ),
        (
            lambda c: c["backgrounds"]["processes"]["ttbar"]["slices"][0].update(max_gev=None),
            r"backgrounds.processes.ttbar.slices\[0\].max_gev = null: only the last slice is open-ended",
        ),
        (lambda c: c["signal"].update(events=-5), r"signal.events = -5"),
        (
            lambda c: c.update(generator="herwig"),
            r"generator = 'herwig': 'herwig' is not one of \['auto', 'pythia', 'madgraph'\]",
        ),
        (lambda c: c.pop("seed"), r"'seed' is a required property"),
        (lambda c: c["binning"].update(width_gev=70), r"binning = .*whole number of width_gev"),
        (
            lambda c: c.update(cards_dir="config/nocards"),
            r"cards_dir = 'config/nocards': missing card file config/nocards/shower.cmnd",
        ),
        (lambda c: c["model"].update(yukawa=[[0, 0, 0]] * 3), r"model.yukawa = .*every coupling is zero"),
        (
            lambda c: c["model"].update(file="config/models/nope.yaml"),
            r"model.file = 'config/models/nope.yaml': .*config/models/nope.yaml: cannot read the model file",
        ),
        (
            lambda c: c["model"].update(yukawa_block="YUKX"),
            r"model.yukawa_block = 'YUKX': config/models/S1_leptoquark.yaml declares the Yukawa blocks \['YUKS1'\]",
        ),
        (lambda c: c["model"].update(source="ufo"), r"model: 'ufo' is a required property"),
        (
            lambda c: c["model"].update(source="ufo", ufo="config"),
            r"model.ufo = 'config': not a UFO directory \(no __init__.py\)",
        ),
        (lambda c: c["model"].update(source="feynrules"), r"model: 'feynrules' is a required property"),
        (lambda c: c["model"].pop("yukawa_block"), r"model: 'yukawa_block' is a required property"),
        (
            lambda c: c["signal"].update(masses_gev=[1000, 7000]),
            r"signal.masses_gev: 7000 is at or above sqrt_s_gev / 2 = 6500 GeV \(sqrt_s_gev = 13000\)",
        ),
        (
            lambda c: c.update(sqrt_s_gev=1000),
            r"signal.masses_gev: 1000 is at or above sqrt_s_gev / 2 = 500 GeV",
        ),
        (
            lambda c: c["inference"]["fit_region"].update(min_gev=2000.0, max_gev=2000.0),
            r"inference.fit_region = .*: empty \(max_gev must exceed min_gev\)",
        ),
        (
            lambda c: c["inference"]["fit_region"].update(min_gev=625.0),
            r"inference.fit_region = .*: the edges must be edges of the binning",
        ),
        (
            lambda c: c["signal"].update(masses_gev=[1000, 3500]),
            r"signal.masses_gev: 3500 is outside inference.reference_table = .* \(500-3000 GeV\); .* never extrapolated",
        ),
        (
            lambda c: c["inference"]["uncertainties"].update(luminosity=-0.02),
            r"inference.uncertainties.luminosity = -0.02: -0.02 is less than the minimum of 0",
        ),
        (
            lambda c: c["inference"]["uncertainties"]["background_normalisation"].update(ttbar=-0.1),
            r"inference.uncertainties.background_normalisation.ttbar = -0.1: -0.1 is less than the minimum of 0",
        ),
        (
            lambda c: c["inference"]["uncertainties"]["background_normalisation"].pop("diboson"),
            r"background_normalisation = .*: no entry for the background 'diboson'",
        ),
        (
            lambda c: c["inference"].update(observed="data/nope.csv"),
            r"inference.observed = 'data/nope.csv': no such file",
        ),
        (lambda c: c["inference"].update(calculator="bayes"), r"inference.calculator = 'bayes'"),
    ],
)
def test_bad_config_is_rejected_with_key_and_value(config, check, change, expected):
    bad = copy.deepcopy(config)
    change(bad)
    with pytest.raises(ConfigError, match=expected) as error:
        check(bad)
    assert str(error.value).startswith("invalid configuration in config/config.yaml")


def test_a_study_file_chooses_the_backgrounds(config, check, repo):
    """Snakemake merges a study file into config/config.yaml key by key, lists replaced whole: a
    study's `enabled` list drops the default backgrounds it does not name."""
    from snakemake.utils import update_config

    study = {"backgrounds": {"enabled": ["ttbar"]}}
    update_config(config, study)
    check(config)
    assert {s.process for s in samples(config) if not s.is_signal} == {"ttbar"}
    update_config(config, {"backgrounds": {"enabled": []}})
    check(config)
    assert all(s.is_signal for s in samples(config))


def test_missing_card_of_one_process_is_named(config, check, repo, tmp_path):
    cards = tmp_path / "cards"
    for card in (repo / "config" / "cards").rglob("*.cmnd"):
        if "ttbar" not in card.parts:
            target = cards / card.relative_to(repo / "config" / "cards")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(card.read_text())
    config["cards_dir"] = str(cards)
    with pytest.raises(ConfigError, match=r"missing card file .*ttbar/pythia.cmnd"):
        check(config)


def test_samples_and_chunks(config):
    config["backgrounds"]["processes"]["dyjets"] = {"events": 100}
    config["backgrounds"]["processes"]["ttbar"] = {
        "slice_variable": "mhat",
        "slices": [
            {"min_gev": 0, "max_gev": 1000, "events": 10},
            {"min_gev": 1000, "max_gev": None, "events": 20},
        ],
    }
    listed = samples(config)
    names = [s.name for s in listed]
    assert names[:4] == ["lq_m1000", "lq_m1500", "lq_m2000", "dyjets"]
    assert names[4:6] == ["ttbar_mhat0to1000", "ttbar_mhat1000toinf"]
    assert [s.process for s in listed[4:6]] == ["ttbar", "ttbar"]
    assert (listed[5].slice.min_gev, listed[5].slice.max_gev, listed[5].events) == (1000.0, None, 20)
    assert listed[3].slice is None and listed[3].events == 100
    assert all(s.decay_filter == "diboson_ll" for s in listed if s.process == "diboson")
    assert chunk_sizes(2500, 1000) == [1000, 1000, 500]
    assert chunk_sizes(300, 1000) == [300]  # a sample smaller than chunk_size is one chunk
    assert chunk_sizes(2000, 1000) == [1000, 1000]


def test_a_channel_split_makes_two_strata_on_the_pythia_path_only(config):
    config["backgrounds"]["processes"]["ttbar"] = {
        "slice_variable": "mhat",
        "slices": [{"min_gev": 0, "max_gev": None, "events": 10}],
        "channel_split": {
            "filter": "ee_mumu",
            "slices": [
                {"min_gev": 0, "max_gev": 1000, "events": 20},
                {"min_gev": 1000, "max_gev": None, "events": 30},
            ],
        },
    }
    sampling = {"particles": "leptons", "threshold_gev": 200.0, "keep_fraction": 0.2}
    config["backgrounds"]["processes"]["ttbar"]["pt_sampling"] = sampling
    own = {"particles": "visible", "threshold_gev": 500.0, "keep_fraction": 0.1}
    config["backgrounds"]["processes"]["ttbar"]["channel_split"]["slices"][0]["pt_sampling"] = own
    config["backgrounds"]["processes"]["ttbar"]["slices"][0]["pt_sampling"] = None
    ttbar = [s for s in samples(config) if s.process == "ttbar"]
    assert [s.sampling for s in ttbar] == [own, sampling, None]  # a slice's own replaces the process'
    assert [(s.name, s.decay_filter, s.events) for s in ttbar] == [
        ("ttbar_ee_mumu_mhat0to1000", "ee_mumu", 20),
        ("ttbar_ee_mumu_mhat1000toinf", "ee_mumu", 30),
        ("ttbar_not_ee_mumu_mhat0toinf", "not_ee_mumu", 10),
    ]
    ttbar = [s for s in samples(config, "madgraph") if s.process == "ttbar"]
    assert [(s.name, s.decay_filter, s.events) for s in ttbar] == [
        ("ttbar_mhat0to1000", None, 20),
        ("ttbar_mhat1000toinf", None, 30),
    ]


def test_slice_settings_replace_the_process_ones_and_shower_sampling_holds_on_both_paths(config, check):
    dyjets = config["backgrounds"]["processes"]["dyjets"]
    shower = {"veto_scale_gev": 50.0, "st_min_gev": 800.0, "mlq_min_gev": 400.0, "keep_fraction": 0.1}
    own_shower = {**shower, "keep_fraction": 0.5}
    bias, own_bias = {"power": 1.0, "reference_gev": 100.0}, {"power": 2.0, "reference_gev": 100.0}
    dyjets.update(slice_variable="mhat", pythia_bias=bias, shower_sampling=shower)
    dyjets.pop("madgraph_slices")  # the MadGraph path takes the same slices
    dyjets["slices"] = [
        {
            "min_gev": 300,
            "max_gev": 800,
            "events": 10,
            "pythia_bias": own_bias,
            "shower_sampling": own_shower,
        },
        {"min_gev": 800, "max_gev": None, "events": 20},
    ]
    check(config)
    listed = [s for s in samples(config) if s.process == "dyjets"]
    assert [(s.bias, s.shower_sampling) for s in listed] == [(own_bias, own_shower), (bias, shower)]
    madgraph = [s for s in samples(config, "madgraph") if s.process == "dyjets"]
    assert [(s.bias, s.shower_sampling) for s in madgraph] == [(own_bias, own_shower), (bias, shower)]
    dyjets["shower_sampling"] = {**shower, "keep_fraction": 0}
    with pytest.raises(ConfigError, match="keep_fraction"):
        check(config)


def test_shower_sampling_has_a_veto_scale_in_the_shower_and_none_at_the_hard_process(config, check):
    dyjets = config["backgrounds"]["processes"]["dyjets"]
    hard = {"decide_at": "hard_process", "st_min_gev": 800.0, "mlq_min_gev": 400.0, "keep_fraction": 0.2}
    dyjets["shower_sampling"] = hard
    check(config)
    dyjets["shower_sampling"] = {**hard, "veto_scale_gev": 50.0}
    with pytest.raises(ConfigError, match=r"dyjets\.shower_sampling\.veto_scale_gev = 50\.0: not used"):
        check(config)
    dyjets["madgraph_slices"]["slices"][1]["shower_sampling"] = {**hard, "decide_at": "shower"}
    with pytest.raises(
        ConfigError, match=r"madgraph_slices\.slices\[1\]\.shower_sampling: veto_scale_gev missing"
    ):
        check(config)
    dyjets["shower_sampling"] = {**hard, "decide_at": "matching"}
    with pytest.raises(ConfigError, match="matching"):
        check(config)


def test_channel_split_errors_name_the_key(config, check):
    ttbar = config["backgrounds"]["processes"]["ttbar"]
    ttbar["channel_split"] = {"filter": "ee_mumu", "slices": [{"min_gev": 0, "max_gev": 900, "events": 5}]}
    with pytest.raises(ConfigError, match=r"ttbar.channel_split.slices\[0\].max_gev = 900: the last slice"):
        check(config)
    ttbar["channel_split"]["slices"][0]["max_gev"] = None
    ttbar["decay_filter"] = "diboson_ll"
    with pytest.raises(
        ConfigError, match=r"decay_filter = 'diboson_ll' and channel_split.filter = 'ee_mumu'"
    ):
        check(config)
    del ttbar["decay_filter"]
    ttbar["channel_split"]["filter"] = "tautau"
    with pytest.raises(ConfigError, match=r"ttbar.channel_split.filter = 'tautau'"):
        check(config)


def fake_installation(root, version="3.5.7", auto_update="0"):
    """A directory laid out like a MadGraph release (VERSION, bin/mg5_aMC, its configuration):
    enough for the locator's checks, which read files and run nothing."""
    (root / "bin").mkdir(parents=True)
    (root / "input").mkdir()
    (root / "VERSION").write_text(f"version = {version}\ndate = 2024-11-29\n")
    (root / "bin/mg5_aMC").write_text("#!/bin/sh\nexit 1\n")
    (root / "bin/mg5_aMC").chmod(0o755)
    (root / "input/mg5_configuration.txt").write_text(f"# auto_update = 7\nauto_update = {auto_update}\n")
    return root / "bin/mg5_aMC"


def test_generator_resolution(config, tmp_path, monkeypatch):
    monkeypatch.delenv("MG5_AMC", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert resolve_generator("pythia", "/opt/mg5_aMC", "x")[0] == "pythia"
    where_none = locate_madgraph(config, use_containers=False)
    assert where_none == (
        None,
        "no MadGraph found (searched madgraph.path, the MG5_AMC environment variable, mg5_aMC on PATH)",
    )
    generator, reason = resolve_generator("auto", *where_none)
    assert generator == "pythia" and "auto -> pythia (no MadGraph found" in reason
    with pytest.raises(
        ConfigError, match=r"generator = 'madgraph': no MadGraph found \(searched madgraph.path"
    ):
        resolve_generator("madgraph", *where_none)

    good = fake_installation(tmp_path / "mg5")
    monkeypatch.setenv("MG5_AMC", str(good))
    found, where = locate_madgraph(config, use_containers=False)
    assert found == str(good.resolve()) and where == f"MadGraph 3.5.7 at {good.resolve()}"
    assert resolve_generator("auto", found, where) == ("madgraph", f"generator: auto found {where}")

    old = fake_installation(tmp_path / "old", version="3.4.2")
    config["madgraph"] = {"path": str(old)}  # the config key comes before MG5_AMC
    found, where = locate_madgraph(config, use_containers=False)
    assert found is None and "MadGraph 3.4.2 is too old; 3.5 or newer is needed" in where
    assert resolve_generator("auto", found, where)[0] == "pythia"
    with pytest.raises(ConfigError, match="too old"):
        resolve_generator("madgraph", found, where)

    online = fake_installation(tmp_path / "online", auto_update="7")
    config["madgraph"] = {"path": str(online)}
    assert "set 'auto_update = 0'" in locate_madgraph(config, use_containers=False)[1]

    config["madgraph"] = {"path": None, "container_executable": "/opt/madgraph/bin/mg5_aMC"}
    monkeypatch.delenv("MG5_AMC")
    found, where = locate_madgraph(config, use_containers=True)
    assert found == "/opt/madgraph/bin/mg5_aMC" and config["containers"]["madgraph"] in where


def test_madgraph_cards_are_checked_before_any_job(config, repo, tmp_path):
    check_generator_support(config, "madgraph", repo)  # the shipped cards are complete
    shutil.copytree(repo / "config/cards", tmp_path / "cards")
    (tmp_path / "cards/ttbar/madgraph/run.mg5").write_text("set run_card iseed 5\n")
    (tmp_path / "cards/dyjets/madgraph/process.mg5").write_text("import model sm\ngenerate p p > e+ e-\n")
    (tmp_path / "cards/diboson/madgraph/run.mg5").unlink()
    config["cards_dir"] = str(tmp_path / "cards")
    with pytest.raises(ConfigError) as error:
        check_generator_support(config, "madgraph", tmp_path)
    message = str(error.value)
    assert "ttbar/madgraph/run.mg5:1: run_card iseed is set by the workflow" in message
    assert "dyjets/madgraph/process.mg5:1: 'import model sm': a process card holds only" in message
    assert "missing MadGraph card" in message and "diboson/madgraph/run.mg5" in message


def test_pythia_refuses_a_model_it_cannot_simulate(config):
    config["model"]["yukawa"] = [[0.1, 0.1, 0], [0, 0, 0], [0, 0, 0]]
    with pytest.raises(ConfigError, match=r"several non-zero couplings \(y11, y12\)"):
        check_generator_support(config, "pythia")
    config["model"]["yukawa"] = [[0.5, 0, 0], [0, 0, 0], [0, 0, 0]]
    with pytest.raises(ConfigError, match=r"\|y\| = 0.5 > 0.3 with generator pythia.*generator: madgraph"):
        check_generator_support(config, "pythia")
    config["model"]["yukawa"] = [[0.3, 0, 0], [0, 0, 0], [0, 0, 0]]
    check_generator_support(config, "pythia")


def test_results_that_cannot_be_written_are_rejected(config, repo, tmp_path):
    schema = repo / "workflow" / "schemas" / "config.schema.yaml"
    (tmp_path / "config").symlink_to(repo / "config")
    (tmp_path / "results").write_text("a file where the results directory should be")
    with pytest.raises(ConfigError, match=r"results directory .*results exists but is not a directory"):
        validate_config(config, schema, source="config/config.yaml", workdir=tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only directory")
def test_read_only_results_directory_is_rejected(config, repo, tmp_path):
    schema = repo / "workflow" / "schemas" / "config.schema.yaml"
    (tmp_path / "config").symlink_to(repo / "config")
    (tmp_path / "results").mkdir(mode=0o555)
    with pytest.raises(ConfigError, match="is not writable"):
        validate_config(config, schema, source="config/config.yaml", workdir=tmp_path)


def test_a_model_pythia_does_not_have_stops_before_any_job_without_madgraph(config, repo, monkeypatch):
    """generator: auto with no MadGraph anywhere, and the left-handed S1 (it decays to d nu):
    the plan refuses it, naming the model and MadGraph."""
    from bsmflow.plan import build_study

    study = yaml.safe_load((repo / "config/studies/s1_left.yaml").read_text())
    config["model"] = study["model"] | {"top_mass_gev": 172.5}
    config["generator"] = "auto"
    config["madgraph"]["path"] = None
    monkeypatch.delenv("MG5_AMC", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    with pytest.raises(ConfigError) as error:
        build_study(config, repo / "workflow/schemas/config.schema.yaml", "config", workdir=repo)
    message = str(error.value)
    assert "model S1_LQ_left (model.file = 'config/models/S1_left.yaml') needs MadGraph" in message
    assert "yukawas.yL_dnu couples S1 to d nu: a decay to a neutrino" in message
    assert "generator: auto -> pythia (no MadGraph found (searched madgraph.path" in message
    # the right-handed S1 of the default config: Pythia has it
    config["model"] = yaml.safe_load((repo / "config/config.yaml").read_text())["model"]
    build_study(config, repo / "workflow/schemas/config.schema.yaml", "config", workdir=repo)


def test_madgraph_slices_are_checked_and_ht_st_slices_are_madgraph_only(config, check):
    dyjets = config["backgrounds"]["processes"]["dyjets"]
    dyjets["madgraph_slices"]["slices"][1]["min_gev"] = 1450
    with pytest.raises(ConfigError, match=r"dyjets\.madgraph_slices\.slices\[1\]\.min_gev = 1450: gap"):
        check(config)
    dyjets["madgraph_slices"]["slices"][1]["min_gev"] = 1400
    check(config)
    for variable in ("ht", "st"):
        dyjets["slice_variable"] = variable
        with pytest.raises(
            ConfigError,
            match=rf"dyjets\.slice_variable = '{variable}': {variable.upper()} slices exist only on the MadGraph",
        ):
            check_generator_support(config, "pythia")
