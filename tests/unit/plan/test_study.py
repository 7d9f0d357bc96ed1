"""The study plan without Snakemake: samples, chunks, paths and plot names from the config, and
each job kind's spec holding exactly the values that shape its job."""

import copy
import json
import re

import pytest
import yaml

from bsmflow.analyse.spec import AnalysisSpec
from bsmflow.conventions import mass_plot
from bsmflow.generate.spec import GenerationSpec, GridpackSpec
from bsmflow.infer.spec import InferenceSummarySpec, WorkspaceSpec
from bsmflow.plan import build_study
from bsmflow.plan.study import Study
from bsmflow.plan.validate import validate_config
from bsmflow.schema import ConfigError, fill_defaults
from bsmflow.shower.spec import ShowerSpec
from bsmflow.summarise.spec import SummarySpec

SCHEMA = "workflow/schemas/config.schema.yaml"


@pytest.fixture()
def config(repo):
    return yaml.safe_load((repo / "config" / "config.yaml").read_text())


def planned(repo, config, generator="pythia") -> Study:
    config = copy.deepcopy(config)
    validate_config(config, repo / SCHEMA, source="test", workdir=repo)
    return Study(config, generator, f"generator: {generator} requested")


def plain(value) -> bool:
    """Only the builtins whose repr Snakemake can record faithfully."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def test_the_default_study_is_planned_from_the_config(repo, config):
    study = planned(repo, config)
    assert study.signal_samples == ["lq_m1000", "lq_m1500", "lq_m2000"]
    assert study.masses == [1000, 1500, 2000]
    assert len(study.background_samples) == 17 and study.processes == ["diboson", "dyjets", "lq", "ttbar"]
    events = sum(s.events for s in study.samples.values())
    assert sum(sum(sizes) for sizes in study.chunks.values()) == events == 12_000 + 110_800
    assert all(max(sizes) <= config["chunk_size"] for sizes in study.chunks.values())
    assert study.level == "particle" and study.layout.level_dir == ""


def test_final_outputs_name_every_result_and_the_plots_the_plotting_code_draws(repo, config):
    study = planned(repo, config)
    outputs = study.final_outputs()
    assert len(outputs) == len(set(outputs))
    assert "results/summary/mass_limit.json" in outputs and "results/summary/yields.csv" in outputs
    assert "results/pythia/lq_m1500/manifest.json" in outputs
    for mass in study.masses:
        assert f"results/plots/{mass_plot('mlq_min', mass)}.png" in outputs
        assert f"results/plots/{mass_plot('fit', mass)}.pdf" in outputs
    assert not any("hepmc" in path or "djr" in path for path in outputs)


def test_every_spec_is_plain_builtins_and_rebuilds_to_itself(repo, config):
    study = planned(repo, config)
    sample = "dyjets_mhat300to800"
    cases = [
        (GenerationSpec, study.generation_spec(sample=sample, chunk="1")),
        (GridpackSpec, study.gridpack_spec(sample=sample)),
        (ShowerSpec, study.shower_spec(sample=sample, chunk="0")),
        (AnalysisSpec, study.analysis_spec(sample=sample)),
        (WorkspaceSpec, study.workspace_spec(sample="lq_m1000")),
        (SummarySpec, study.summary_spec()),
        (InferenceSummarySpec, study.inference_summary_spec()),
    ]
    for kind, params in cases:
        assert plain(params), kind
        assert kind.from_params(params).params() == params
    generation = GenerationSpec.from_params(cases[0][1])
    assert generation.n_events == 5000 and generation.bias == {"power": 2.0, "reference_gev": 100.0}
    assert generation.slice == {"variable": "mhat", "min_gev": 300.0, "max_gev": 800.0}
    assert generation.seed != GenerationSpec.from_params(study.generation_spec(sample=sample, chunk="0")).seed


def test_a_spec_holds_only_what_shapes_its_job(repo, config):
    """Switching the shower variations changes the shower spec, not the generation spec; the
    scale weights the other way round (so each switch reruns only its stage)."""
    base = planned(repo, config)
    shower_off = copy.deepcopy(config)
    shower_off.setdefault("variations", {})["shower"] = False
    scale_off = copy.deepcopy(config)
    scale_off.setdefault("variations", {})["scale"] = False
    job = {"sample": "ttbar_ee_mumu_mhat1100to1400", "chunk": "2"}
    for changed, same, different in (
        (planned(repo, shower_off), "generation_spec", "shower_spec"),
        (planned(repo, scale_off), "shower_spec", "generation_spec"),
    ):
        assert getattr(changed, same)(**job) == getattr(base, same)(**job)
        assert getattr(changed, different)(**job) != getattr(base, different)(**job)
    assert base.analysis_spec(sample="lq_m1000") == planned(repo, shower_off).analysis_spec(sample="lq_m1000")


def test_the_madgraph_path_gets_no_pythia_options_and_its_own_paths(repo, config):
    study = planned(repo, config, "madgraph")
    # every background in the MadGraph path's own S_T slices, ttbar whole (no channel split)
    assert [s for s in study.samples if s.startswith(("dyjets", "ttbar"))] == [
        "dyjets_st1000to1400",
        "dyjets_st1400toinf",
        "ttbar_st0to700",
        "ttbar_st700to1000",
        "ttbar_st1000toinf",
    ]
    sample = "dyjets_st1000to1400"
    spec = GenerationSpec.from_params(study.generation_spec(sample=sample, chunk="0"))
    assert (spec.slice, spec.bias, spec.sampling, spec.decay_filter) == (None, None, None, None)
    gridpack = GridpackSpec.from_params(study.gridpack_spec(sample=sample))
    assert (gridpack.slice["variable"], gridpack.slice["min_gev"]) == ("st", 1000.0)
    # shower sampling acts on any LHE file: ttbar keeps the process' own; the matched
    # Drell-Yan slices decide on the LHE event, before the shower and the matching
    assert study.samples[sample].shower_sampling["decide_at"] == "hard_process"
    assert (
        study.samples["ttbar_st0to700"].shower_sampling
        == config["backgrounds"]["processes"]["ttbar"]["shower_sampling"]
    )
    assert study.layout.lhe(sample, 0) == f"results/madgraph/{sample}/lhe/chunk0.lhe.gz"
    assert study.madgraph_model(process="ttbar") == "results/model/SM/UFO"
    assert study.madgraph_model(process="lq") == "results/model/S1/UFO"


def test_a_detector_level_study_writes_beside_the_particle_level(repo, config):
    config["detector"] = "atlas_like"
    study = planned(repo, config)
    assert study.level == "detector:atlas_like"
    assert study.layout.summary_dir == "results/detector/atlas_like/summary"
    assert (
        study.layout.objects("lq_m1000", 0)
        == "results/pythia/lq_m1000/detector/atlas_like/objects/chunk0.root"
    )
    manifest = study.manifest_inputs(sample="lq_m1000")
    assert "config/detectors/atlas_like.yaml" in manifest["cards"]


def test_specs_refuse_values_their_job_cannot_run_with():
    with pytest.raises(ValueError, match="n_events = 0"):
        GenerationSpec("s", 0, 0, 5, 13000.0, {})
    with pytest.raises(ValueError, match="seed = 0"):
        ShowerSpec("s", 0, 0, True)
    with pytest.raises(ValueError, match="unknown field"):
        ShowerSpec.from_params({"sample": "s", "chunk": 0, "seed": 3, "shower_variations": True, "cut": 1})
    with pytest.raises(ValueError, match="keep_fraction"):
        ShowerSpec("s", 0, 3, True, {"keep_fraction": 0.0})


def test_the_schema_fills_its_defaults_and_the_code_adds_none(repo, config):
    for key in ("hepmc", "detector", "variations", "madgraph"):
        config.pop(key, None)
    config["inference"].pop("variation_min_mc_events")
    fill_defaults(config, repo / SCHEMA)
    assert config["hepmc"] == {"write": False, "record": "final"} and config["detector"] == "none"
    assert config["madgraph"] == {"path": None, "container_executable": "/opt/madgraph/bin/mg5_aMC"}
    assert config["inference"]["variation_min_mc_events"] == 10  # the schema's, not a copy in code


def test_a_named_pdf_set_that_is_not_found_stops_the_run(repo, config):
    config.setdefault("variations", {})["pdf"] = "NNPDF31_nnlo_as_0118"
    config["variations"]["pdf_path"] = str(repo / "config")
    with pytest.raises(ConfigError) as error:
        build_study(config, repo / SCHEMA, source="config/config.yaml", workdir=repo)
    message = str(error.value)
    assert "config/config.yaml" in message and "variations.pdf = 'NNPDF31_nnlo_as_0118'" in message
    assert "no such LHAPDF set" in message


def test_make_run_prints_the_mass_limit_of_the_level_it_ran(repo, config, tmp_path, monkeypatch):
    from bsmflow.plan.__main__ import mass_limit, overview

    config["detector"] = "atlas_like"
    study = planned(repo, config)
    summary = {
        "expected_mass_limit_gev": 1746.0,
        "expected_mass_limit_bound": None,
        "expected_mass_limit_band_gev": {
            "minus_1sigma": {"value": 1664.0, "bound": None},
            "plus_1sigma": {"value": 1823.0, "bound": None},
        },
        "normalisation": "reference",
        "luminosity_fb": 139.0,
    }
    particle = dict(summary, expected_mass_limit_gev=1773.0)
    for directory, content in (
        ("results/summary", particle),
        ("results/detector/atlas_like/summary", summary),
    ):
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "mass_limit.json").write_text(json.dumps(content))
    monkeypatch.chdir(tmp_path)
    line = mass_limit(study)
    assert line.startswith("detector:atlas_like level: ") and "1746 GeV, -1 sigma 1664 GeV" in line
    assert "generator pythia, detector:atlas_like level" in overview(study)
    assert "110800 events" in overview(study)


def test_make_run_says_which_generator_and_roughly_how_long(repo, config):
    from bsmflow.plan.__main__ import merged, overview
    from bsmflow.plan.estimate import GRIDPACK_CPU_S, PROCESS_CPU_S, cpu_seconds

    pythia = planned(repo, config)
    assert re.search(r"^generator pythia: roughly \d+ min on 2 cores$", overview(pythia, "2"), re.MULTILINE)
    madgraph = planned(repo, config, "madgraph")
    line = overview(madgraph, "2").splitlines()[1]
    assert re.match(
        r"generator madgraph: roughly \d+ min on 2 cores \(\d+ min of it MadGraph integration, 10 gridpacks",
        line,
    )
    parts = cpu_seconds(madgraph)
    # two matched Drell-Yan gridpacks, five unmatched background ones, three signal, four processes
    kinds = 2 * GRIDPACK_CPU_S["matched"] + 5 * GRIDPACK_CPU_S["unmatched"] + 3 * GRIDPACK_CPU_S["signal"]
    assert parts["integration"] == pytest.approx(kinds + 4 * PROCESS_CPU_S)
    assert sum(cpu_seconds(madgraph).values()) > 2 * sum(cpu_seconds(pythia).values())
    # a study file over the default config, merged as Snakemake merges --configfile
    study = yaml.safe_load((repo / "config/studies/s1_left.yaml").read_text())
    both = merged(config, study)
    assert both["model"]["file"] == "config/models/S1_left.yaml" and both["model"]["top_mass_gev"] == 172.5
    assert both["signal"] == config["signal"]
