"""Change one thing in a finished run; Snakemake must schedule exactly the jobs it affects.

Each case copies the finished tiny run (tests/configs/tiny: lq_m1000, dyjets_mhat800toinf and
ttbar_mhat1100toinf with two chunks each; diboson in two slices of one chunk each), applies one
change and reads the job list from Snakemake's dry-run output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from snakemake_run import clone_run, scheduled_jobs, snakemake

pytestmark = pytest.mark.e2e
CHAIN = ("pythia_generate", "pythia_shower", "fastjet_cluster")
SUMMARY = {"summary_tables", "summary_plots", "inference_summary", "all"}
INFERENCE = ("pyhf_inference",)
CHUNKS = {
    "lq_m1000": 2,
    "dyjets_mhat800toinf": 2,
    "ttbar_mhat1100toinf": 2,
    "diboson_mhat0to800": 1,
    "diboson_mhat800toinf": 1,
}
ALL = tuple(CHUNKS)
CHUNKS |= {"lq_m1500": 2, "diboson_mhat0to700": 1, "diboson_mhat700toinf": 1}  # samples the edits make


@pytest.fixture()
def finished(tiny_run, tmp_path):
    workdir, _ = tiny_run
    return clone_run(workdir, tmp_path / "run")


def dry_run(workdir):
    result = snakemake(workdir, "-n", "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return scheduled_jobs(result.stdout + result.stderr)


def edit_config(workdir, change):
    path = workdir / "config/config.yaml"
    config = yaml.safe_load(path.read_text())
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def sample_jobs(*samples, chain=CHAIN, mass_points=("lq_m1000",)):
    """The exact jobs of the given samples from the first rule of ``chain`` on: each chunk rule
    once per chunk (two per sample), analysis and manifest once per sample, the inference of the
    affected mass points, the summaries once."""
    jobs = {
        rule: {f"{sample}/{chunk}" for sample in samples for chunk in range(CHUNKS[sample])} for rule in chain
    }
    jobs |= {rule: set(samples) for rule in ("analyse_sample", "sample_manifest")}
    jobs |= {rule: set(mass_points) for rule in INFERENCE}
    return jobs | {rule: {""} for rule in SUMMARY}


def test_nothing_changed_nothing_runs(finished):
    """(How long the no-op takes is measured in bench/snakemake_overhead.py.)"""
    result = snakemake(finished, "--cores", "2")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_ttbar_card_edit_reruns_the_ttbar_chain_and_summaries_only(finished):
    card = finished / "config/cards/ttbar/pythia.cmnd"
    card.write_text(card.read_text().replace("24:onIfAny = 11 13 15", "24:onIfAny = 11 13"))
    jobs = dry_run(finished)
    assert jobs == sample_jobs("ttbar_mhat1100toinf")


def test_new_mass_point_adds_only_its_jobs(finished):
    edit_config(finished, lambda c: c["signal"].update(masses_gev=[1000, 1500]))
    jobs = dry_run(finished)
    assert jobs == {"model_param_card": {"1500"}, **sample_jobs("lq_m1500", mass_points=("lq_m1500",))}


def test_analysis_cut_reruns_analysis_and_summaries_only(finished):
    edit_config(finished, lambda c: c["selection"].update(mll_min=200.0))
    jobs = dry_run(finished)
    assert jobs == sample_jobs(*ALL, chain=())


def test_shower_card_edit_reruns_shower_and_downstream_for_every_sample(finished):
    card = finished / "config/cards/shower.cmnd"
    card.write_text(card.read_text().replace("PartonLevel:MPI = on", "PartonLevel:MPI = off"))
    jobs = dry_run(finished)
    assert jobs == sample_jobs(*ALL, chain=CHAIN[1:])


def test_slice_event_count_edit_reruns_only_that_slice(finished):
    slices = lambda c: c["backgrounds"]["processes"]["diboson"]["slices"]  # noqa: E731
    edit_config(finished, lambda c: slices(c)[1].update(events=300))
    jobs = dry_run(finished)
    expected = sample_jobs("diboson_mhat800toinf")
    for rule in CHAIN:  # now two chunks of 150: chunk 0 (same size, same seed) is kept
        expected[rule] = {"diboson_mhat800toinf/1"}
    assert jobs == expected


def test_slice_edge_edit_reruns_only_the_two_slices_it_bounds(finished):
    def move_edge(config):
        low, high = config["backgrounds"]["processes"]["diboson"]["slices"]
        low["max_gev"] = high["min_gev"] = 700

    edit_config(finished, move_edge)
    jobs = dry_run(finished)
    assert jobs == sample_jobs("diboson_mhat0to700", "diboson_mhat700toinf")


def test_yukawa_change_reruns_model_and_signal_chain_only(finished):
    edit_config(finished, lambda c: c["model"].update(yukawa=[[0.2, 0, 0], [0, 0, 0], [0, 0, 0]]))
    jobs = dry_run(finished)
    # the UFO's restriction card holds the couplings
    assert jobs == {"model_ufo": {""}, "model_param_card": {"1000"}, **sample_jobs("lq_m1000")}


def test_model_file_change_reruns_model_and_signal_chain_only(finished):
    model = finished / "config/models/S1_leptoquark.yaml"
    model.write_text(model.read_text().replace("default: 1000.0", "default: 1200.0"))
    jobs = dry_run(finished)
    assert jobs == {"model_ufo": {""}, "model_param_card": {"1000"}, **sample_jobs("lq_m1000")}


@pytest.mark.parametrize(
    "change",
    [
        lambda i: i["rebinning"].update(min_background_mc_events=2),
        lambda i: i.update(calculator="asymptotics"),
        lambda i: i["uncertainties"].update(luminosity=0.02),
    ],
)
def test_inference_setting_reruns_only_the_inference(finished, change):
    edit_config(finished, lambda c: change(c["inference"]))
    jobs = dry_run(finished)
    assert jobs == {"pyhf_inference": {"lq_m1000"}, "inference_summary": {""}, "all": {""}}


def test_shower_variations_switch_reruns_only_shower_and_downstream(finished):
    edit_config(finished, lambda c: c.setdefault("variations", {}).update(shower=False))
    jobs = dry_run(finished)
    assert jobs == sample_jobs(*ALL, chain=CHAIN[1:], mass_points=("lq_m1000",))


def test_scale_variations_switch_reruns_generation_and_downstream(finished):
    edit_config(finished, lambda c: c.setdefault("variations", {}).update(scale=False))
    jobs = dry_run(finished)
    assert jobs == sample_jobs(*ALL)


def toy_pdf_set(root: Path, name: str = "TOYSET") -> Path:
    """An LHAPDF-format error set of two members, each Pythia's own NNPDF2.3 LO grid."""
    import pythia8mc

    grid = Path(pythia8mc.Pythia("", False).settings.word("xmlPath")).parent / "pdfdata"
    (root / name).mkdir(parents=True)
    (root / name / f"{name}.info").write_text("ErrorType: symmhessian\nNumMembers: 2\n")
    for k in range(2):
        shutil.copy(grid / "NNPDF23_lo_as_0130_qed_0000.dat", root / name / f"{name}_{k:04d}.dat")
    return root


def test_pdf_set_switch_reruns_generation_and_downstream(finished, tmp_path):
    """A PDF error set switched on adds member weights to every generated event."""
    path = str(toy_pdf_set(tmp_path / "lhapdf"))
    edit_config(finished, lambda c: c.setdefault("variations", {}).update(pdf="TOYSET", pdf_path=path))
    jobs = dry_run(finished)
    assert jobs == sample_jobs(*ALL)


def test_a_pdf_set_that_is_not_found_stops_before_any_job(finished):
    edit_config(finished, lambda c: c.setdefault("variations", {}).update(pdf="NNPDF31_lo_as_0130"))
    result = snakemake(finished, "-n", "--cores", "2")
    assert result.returncode != 0
    assert "variations.pdf = 'NNPDF31_lo_as_0130': no such LHAPDF set" in result.stdout + result.stderr
