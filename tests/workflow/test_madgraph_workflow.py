"""The whole DAG with generator: madgraph on tests/configs/tiny_madgraph (one mass point and ttbar
in two mhat slices, two chunks each), with real MadGraph (marker `madgraph`: skipped with the reason
when MadGraph is absent) and the real shower, clustering and analysis."""

import json
import math
import re
import tarfile

import pandas as pd
import pylhe
import pytest
from reference import assert_reference_cross_section
from snakemake_run import clone_run, copy_workflow, scheduled_jobs, snakemake

pytestmark = [pytest.mark.madgraph, pytest.mark.e2e]
TTBAR = ["ttbar_mhat1100to1500", "ttbar_mhat1500toinf"]
SAMPLES = ["lq_m1000", *TTBAR]


@pytest.fixture(scope="module")
def mg_run(mg5, repo, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MG5_AMC", str(mg5.executable))  # the workflow finds MadGraph as the tests do
        workdir = copy_workflow(repo, tmp_path_factory.mktemp("tiny_madgraph"), config="tiny_madgraph")
        result = snakemake(workdir, "--cores", "2", timeout=1800)
        assert result.returncode == 0, result.stderr[-6000:]
        assert f"generator: madgraph requested, using MadGraph {mg5.version_text}" in result.stderr
        yield workdir


def chunk_records(workdir, sample):
    return [
        json.loads((workdir / f"results/madgraph/{sample}/lhe/chunk{k}.json").read_text()) for k in (0, 1)
    ]


@pytest.mark.parametrize("sample", SAMPLES)
def test_chunks_are_valid_lhe_with_their_own_seeds(mg_run, sample):
    events = []
    for chunk in (0, 1):
        path = mg_run / f"results/madgraph/{sample}/lhe/chunk{chunk}.lhe.gz"
        lhe = pylhe.LHEFile.fromfile(str(path))
        assert (lhe.init.initInfo.beamA, lhe.init.initInfo.energyA, lhe.init.initInfo.PDFsetA) == (
            2212,
            6500,
            247000,
        )
        read = list(lhe.events)
        assert len(read) == 100
        events.append([tuple(round(p.px, 6) for p in e.particles) for e in read])
    assert events[0] != events[1]  # different seeds, different events
    first, second = chunk_records(mg_run, sample)
    assert first["seed"] != second["seed"] and first["generator"] == "madgraph"
    if sample == "lq_m1000":
        ids = {abs(p.id) for p in read[0].particles}
        assert 42 in ids and {2, 11} <= ids  # s1 decayed to u e- in MadGraph


@pytest.mark.parametrize("sample", SAMPLES)
def test_chunk_cross_sections_agree_within_errors(mg_run, sample):
    """Each chunk's own estimate agrees with the other chunk and with the gridpack's integration,
    which every chunk carries as the sample's cross section."""
    first, second = chunk_records(mg_run, sample)
    spread = abs(first["chunk_sigma_pb"] - second["chunk_sigma_pb"])
    assert spread < 3 * math.hypot(first["chunk_sigma_err_pb"], second["chunk_sigma_err_pb"])
    grid = json.loads((mg_run / f"results/madgraph/{sample}/gridpack/gridpack.json").read_text())
    for record in (first, second):
        assert (record["sigma_pb"], record["sigma_err_pb"]) == (grid["sigma_pb"], grid["sigma_err_pb"])
        assert record["chunk_sigma_consistent"]
        pull = (record["chunk_sigma_pb"] - grid["sigma_pb"]) / math.hypot(
            record["chunk_sigma_err_pb"], grid["sigma_err_pb"]
        )
        assert abs(pull) < 3


def test_cross_sections_land_in_the_summary_with_generator_madgraph(mg_run, mg5):
    table = pd.read_csv(mg_run / "results/summary/cross_sections.csv")
    assert list(table["sample"]) == SAMPLES and set(table["generator"]) == {"madgraph"}
    # the version of the installation, read from its own VERSION file
    installed = re.search(r"version\s*=\s*(\S+)", (mg5.root / "VERSION").read_text()).group(1)
    assert set(table["generator_version"]) == {f"MadGraph5_aMC@NLO {installed}"}
    # each within 3 sigma_stat + 3 % of the recorded gridpack integration at another seed (tests/data)
    for sample in SAMPLES:
        assert_reference_cross_section(
            "madgraph", sample, *table.set_index("sample").loc[sample, ["sigma_pb", "sigma_err_pb"]]
        )


def test_signal_mlq_min_peaks_near_the_mass(mg_run):
    hist = pd.read_csv(mg_run / "results/summary/histograms.csv")
    signal = hist[(hist["sample"] == "lq_m1000") & (hist["observable"] == "mlq_min")]
    peak = signal.loc[signal["value"].idxmax()]
    assert 850 <= peak["low_gev"] < 1050, peak


def test_rendered_cards_are_stored_next_to_the_outputs(mg_run):
    cards = mg_run / "results/madgraph/lq_m1000/cards"
    launch = (cards / "launch.mg5").read_text()
    assert "set run_card bwcutoff 50" in launch and "gridpack True" in launch
    run_card = (cards / "run_card.dat").read_text()
    assert "50.0\t= bwcutoff" in run_card and "nn23lo1\t= pdlabel" in run_card
    assert re.search(r"(?m)^DECAY\s+42\s+1\.9894\d*e-01", (cards / "param_card.dat").read_text())
    with tarfile.open(mg_run / "results/madgraph/lq/process.tar") as process:
        commands = process.extractfile("./bsmflow_process.mg5").read().decode()
        assert process.getmember("./bin/generate_events").mode & 0o111  # executable, kept so
    assert "generate p p > s1 s1~" in commands
    manifest = json.loads((mg_run / "results/madgraph/lq_m1000/manifest.json").read_text())
    assert {
        "config/cards/lq/madgraph/process.mg5",
        "config/cards/lq/madgraph/run.mg5",
        "config/cards/lq/madgraph/scale.f",
        "results/model/S1/param_card_M1000.dat",
    } <= set(manifest["cards_sha256"])


def test_rerun_with_nothing_changed_runs_nothing(mg_run):
    result = snakemake(mg_run, "--cores", "2", "--dry-run")
    assert result.returncode == 0 and "Nothing to be done" in result.stdout + result.stderr


def dry_run(workdir):
    result = snakemake(workdir, "--cores", "2", "--dry-run")
    assert result.returncode == 0, result.stderr[-3000:]
    return scheduled_jobs(result.stdout)


def sample_jobs(*samples):
    """The exact jobs of the samples from their gridpacks on (two chunks each), and the summaries."""
    chunks = {f"{sample}/{k}" for sample in samples for k in (0, 1)}
    return {
        "madgraph_gridpack": set(samples),
        **{rule: chunks for rule in ("madgraph_generate", "pythia_shower", "fastjet_cluster")},
        "analyse_sample": set(samples),
        "sample_manifest": set(samples),
        "pyhf_inference": {"lq_m1000"},
        **{rule: {""} for rule in ("summary_tables", "summary_plots", "inference_summary", "all")},
    }


def test_run_card_change_reruns_its_gridpack_not_the_process_output(mg_run, tmp_path):
    clone = clone_run(mg_run, tmp_path / "clone")
    card = clone / "config/cards/ttbar/madgraph/run.mg5"
    card.write_text(card.read_text() + "set run_card ptl 20\n")
    assert dry_run(clone) == sample_jobs(*TTBAR)


def test_process_card_change_reruns_that_process_only(mg_run, tmp_path):
    clone = clone_run(mg_run, tmp_path / "clone")
    card = clone / "config/cards/lq/madgraph/process.mg5"
    card.write_text(card.read_text().replace("define lqq = u c t", "define lqq = u c"))
    assert dry_run(clone) == {"madgraph_process": {""}, **sample_jobs("lq_m1000")}


@pytest.mark.parametrize("factor, weight_id", [(2.0, "muR_2_muF_2"), (0.5, "muR_0p5_muF_0p5")])
def test_scale_weights_agree_with_real_runs_at_the_varied_scale(mg_run, tmp_path, factor, weight_id):
    """The workflow's events reweighted to mu x 2 and mu x 0.5 against gridpacks integrated with
    the run card's scalefact at that value (mu_R and mu_F together), for the signal and ttbar:
    within 1 % or 3 standard deviations, and the variation itself is much larger than that."""
    clone = clone_run(mg_run, tmp_path / "clone")
    samples = {"lq_m1000": "lq", "ttbar_mhat1500toinf": "ttbar"}
    for process in samples.values():
        card = clone / f"config/cards/{process}/madgraph/run.mg5"
        card.write_text(card.read_text() + f"set run_card scalefact {factor}\n")
    targets = [f"results/madgraph/{sample}/gridpack/gridpack.json" for sample in samples]
    result = snakemake(clone, *targets, "--cores", "2", timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    for sample in samples:
        grid = json.loads((mg_run / f"results/madgraph/{sample}/gridpack/gridpack.json").read_text())
        real = json.loads((clone / f"results/madgraph/{sample}/gridpack/gridpack.json").read_text())
        chunks = chunk_records(mg_run, sample)
        ratio = sum(c["n_events"] * c["variations"]["sigma_ratio"][weight_id] for c in chunks)
        ratio /= sum(c["n_events"] for c in chunks)
        reweighted = grid["sigma_pb"] * ratio
        stat = math.hypot(grid["sigma_err_pb"] / grid["sigma_pb"], real["sigma_err_pb"] / real["sigma_pb"])
        difference = reweighted / real["sigma_pb"] - 1
        print(
            f"{sample} {weight_id}: reweighted {reweighted:.5g} pb, real {real['sigma_pb']:.5g} pb ({difference:+.4f})"
        )
        assert abs(difference) < max(0.01, 3 * stat), (sample, reweighted, real["sigma_pb"], stat)
        assert abs(ratio - 1) > 0.1  # LO QCD pair production: a 20-30 % effect


def test_shower_sampling_on_madgraph_events_gives_the_unsampled_yields(mg_run, tmp_path):
    """Unmatched MadGraph ttbar showered with and without sampling (same chunks, same seeds):
    most events fall below the thresholds and are kept with 0.3; every cutflow step agrees."""
    from sampled_chain import analyse_chunks, pulls, sampling_counts, step

    sample = TTBAR[0]
    sampling = {"veto_scale_gev": 50.0, "st_min_gev": 1200.0, "mlq_min_gev": 500.0, "keep_fraction": 0.3}
    plain = analyse_chunks(mg_run, "madgraph", sample, 2, tmp_path / "plain")
    sampled = analyse_chunks(mg_run, "madgraph", sample, 2, tmp_path / "sampled", sampling=sampling)
    counts = sampling_counts(tmp_path / "sampled", 2)
    assert counts["events"] == 200 and counts["below"] > 100
    assert step(sampled, "all")["raw"] < 0.8 * step(plain, "all")["raw"]
    assert step(sampled, "all")["weighted"] == pytest.approx(step(plain, "all")["weighted"], rel=0.25)
    assert all(abs(pull) < 3.5 for pull in pulls(plain, sampled).values()), pulls(plain, sampled)


def test_the_workflow_samples_madgraph_showers_where_configured(mg_run):
    import uproot

    with uproot.open(mg_run / f"results/madgraph/{TTBAR[1]}/shower/chunk0.root") as handle:
        metadata = json.loads(str(handle["metadata"]))
    assert metadata["sampling"]["keep_fraction"] == 0.5 and metadata["sampling"]["events"] == 100
    assert metadata["weight_norm"] > 0
