"""Shower sampling: the proxies on hand-made events, the keep rule, and real Pythia dropping
events inside the shower with reproducible decisions and weights carried to the output."""

import math

import numpy as np
import pytest

from bsmflow.shower.pythia import SHOWER_VARIATIONS, shower_lhe
from bsmflow.shower.sampling import keep_probability, merge_partons, proxies

SAMPLING = {"veto_scale_gev": 50.0, "st_min_gev": 800.0, "mlq_min_gev": 400.0, "keep_fraction": 0.25}
HARD_PROCESS = {"decide_at": "hard_process", "st_min_gev": 800.0, "mlq_min_gev": 400.0, "keep_fraction": 0.25}


def vec(pt, eta, phi, mass=0.0):
    px, py, pz = pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta)
    return np.array([px, py, pz, math.sqrt(px * px + py * py + pz * pz + mass * mass)])


def mass(p):
    return math.sqrt(max(p[3] ** 2 - p[0] ** 2 - p[1] ** 2 - p[2] ** 2, 0.0))


def test_partons_closer_than_the_jet_radius_merge_and_others_do_not():
    hard, near, far = vec(300, 0.0, 0.0), vec(100, 0.3, 0.0), vec(200, 0.0, 1.0)
    jets = merge_partons([near, far, hard])
    assert len(jets) == 2
    np.testing.assert_allclose(jets[0], hard + near)
    np.testing.assert_allclose(jets[1], far)
    assert len(merge_partons([hard, vec(100, 0.45, 0.0)])) == 2


def test_proxies_are_the_analysis_st_and_balanced_pairing():
    l1, l2 = vec(400, 0.5, 0.0), vec(300, -0.5, 2.5)
    j1, j2 = vec(350, -1.0, 3.0), vec(250, 1.2, -0.4)
    st, mlq = proxies([l2, l1], [j2, j1])
    assert st == pytest.approx(1300.0)
    pairs = [(mass(l1 + j1), mass(l2 + j2)), (mass(l1 + j2), mass(l2 + j1))]
    best = min(pairs, key=lambda pair: abs(pair[0] - pair[1]))
    assert mlq == pytest.approx(min(best))


def test_a_third_jet_can_only_raise_the_mass_proxy_and_jets_on_leptons_are_removed():
    l1, l2 = vec(400, 0.5, 0.0), vec(300, -0.5, 2.5)
    j1, j2 = vec(350, -1.0, 3.0), vec(250, 1.2, -0.4)
    _, two = proxies([l1, l2], [j1, j2])
    _, three = proxies([l1, l2], [j1, j2, vec(100, 2.0, 1.5)])
    assert three >= two
    st, mlq = proxies([l1, l2], [j1, j2, vec(500, 0.55, 0.05)])  # on top of l1: removed
    assert st == pytest.approx(1300.0) and mlq == pytest.approx(two)


def test_without_two_leptons_or_two_jets_only_st_decides():
    st, mlq = proxies([vec(500, 0, 0)], [vec(400, 1, 2), vec(300, -1, -2)])
    assert mlq is None and st == pytest.approx(1200)
    assert keep_probability(st, mlq, SAMPLING) == 1.0
    assert keep_probability(700.0, None, SAMPLING) == 0.25


@pytest.mark.parametrize("sampling", [SAMPLING, HARD_PROCESS], ids=["shower", "hard_process"])
def test_keep_probability_needs_both_thresholds(sampling):
    assert keep_probability(800.0, 400.0, sampling) == 1.0
    assert keep_probability(799.0, 900.0, sampling) == 0.25
    assert keep_probability(2000.0, 399.0, sampling) == 0.25


def test_at_the_hard_process_fewer_than_two_jets_count_as_below():
    """A matched sample's one-parton event gets its second jet only from the shower, below the
    merging scale: at the hard process it is sampled, in the shower it is judged on S_T alone."""
    st, mlq = proxies([vec(500, 0, 0), vec(400, 1, 2)], [vec(300, -1, -2)])
    assert mlq is None and st == pytest.approx(1200)
    assert keep_probability(st, mlq, HARD_PROCESS) == 0.25
    assert keep_probability(st, mlq, SAMPLING) == 1.0


def shower(signal_lhe, repo, path, seed, sampling):
    import uproot

    directory, _ = signal_lhe
    metadata = shower_lhe(
        str(directory / "a.lhe.gz"),
        str(repo / "config/cards/shower.cmnd"),
        str(path),
        sample="lq_m1000",
        chunk=0,
        seed=seed,
        shower_variations=True,
        sampling=sampling,
    )
    with uproot.open(path) as handle:
        tree = handle["events"].arrays(["weight", "variation_weight"], library="np")
        tree["px"] = handle["events"]["particle.px"].array(library="np")
    return metadata, tree


def test_real_pythia_drops_events_in_the_shower_and_weights_the_kept_ones(signal_lhe, repo, tmp_path):
    # thresholds no 1 TeV leptoquark pair reaches: every event is below, kept with 1 / 2
    sampling = {**SAMPLING, "st_min_gev": 1e5, "keep_fraction": 0.5}
    plain, plain_tree = shower(signal_lhe, repo, tmp_path / "plain.root", 5, None)
    first, tree = shower(signal_lhe, repo, tmp_path / "a.root", 5, sampling)
    again, tree_again = shower(signal_lhe, repo, tmp_path / "b.root", 5, sampling)
    record = first["sampling"]
    assert record["events"] == 60 and record["below"] == 60
    assert first["n_events"] == record["kept_below"] and 10 < first["n_events"] < 50
    assert first["n_lhe_events"] == 60
    # the LHE weights are 1 (unweighted signal): kept events weigh 2, their variations likewise
    assert first["weight_norm"] == pytest.approx(np.mean(np.abs(plain_tree["weight"])), rel=1e-9)
    np.testing.assert_allclose(tree["weight"], 2 * first["weight_norm"], rtol=1e-9)
    # the variation weights carry the factor as well: pooled over the ISR/FSR variations their
    # ratio to the nominal is near 1 as in the unsampled shower (without the factor: near 1/2)
    assert first["variations"] == list(SHOWER_VARIATIONS)
    ratios = [np.median(t["variation_weight"] / t["weight"][:, None]) for t in (tree, plain_tree)]
    assert 0.75 < ratios[0] < 1.33 and 0.75 < ratios[1] < 1.33, ratios
    assert first["lhe_sigma_pb"] == pytest.approx(plain["lhe_sigma_pb"], rel=1e-6)
    # the same seed takes the same decisions on the same showers
    assert again["n_events"] == first["n_events"]
    np.testing.assert_array_equal(tree_again["weight"], tree["weight"])
    for event, event_again in zip(tree["px"], tree_again["px"], strict=True):
        np.testing.assert_array_equal(event_again, event)


def lhe_proxies(path):
    """(S_T, m_LQ^min) proxies of every event of an LHE file, from its final leptons and partons."""
    import pylhe

    from bsmflow.shower.sampling import CHARGED_LEPTONS, PARTONS

    found = []
    for event in pylhe.LHEFile.fromfile(str(path)).events:
        leptons, partons = [], []
        for particle in event.particles:
            if int(particle.status) != 1:
                continue
            p = np.array([particle.px, particle.py, particle.pz, particle.e])
            ident = abs(int(particle.id))
            if ident in CHARGED_LEPTONS:
                leptons.append(p)
            elif ident in PARTONS:
                partons.append(p)
        found.append(proxies(leptons, partons))
    return found


def test_at_the_hard_process_pythia_decides_on_the_lhe_event_before_the_shower(signal_lhe, repo, tmp_path):
    """With the S_T threshold at the median of the LHE events' own S_T proxy, exactly the events
    above it are kept with weight 1 and the others with 1 / keep_fraction: the decision is the
    LHE record's, whatever the shower does next, and it is the same for the same seed."""
    directory, _ = signal_lhe
    found = lhe_proxies(directory / "a.lhe.gz")
    threshold = float(np.median([st for st, _ in found]))
    above = sum(st >= threshold for st, _ in found)
    sampling = {**HARD_PROCESS, "st_min_gev": threshold, "mlq_min_gev": 0.0, "keep_fraction": 0.5}
    plain, plain_tree = shower(signal_lhe, repo, tmp_path / "plain.root", 5, None)
    first, tree = shower(signal_lhe, repo, tmp_path / "a.root", 5, sampling)
    again, tree_again = shower(signal_lhe, repo, tmp_path / "b.root", 5, sampling)
    record = first["sampling"]
    assert record["events"] == 60 and record["below"] == 60 - above and 20 < above < 40
    assert first["n_events"] == above + record["kept_below"] < 60
    factors = np.round(tree["weight"] / first["weight_norm"], 9)
    assert sorted(set(factors)) == [1.0, 2.0]
    assert (factors == 1.0).sum() == above and (factors == 2.0).sum() == record["kept_below"]
    assert first["weight_norm"] == pytest.approx(np.mean(np.abs(plain_tree["weight"])), rel=1e-9)
    assert first["lhe_sigma_pb"] == pytest.approx(plain["lhe_sigma_pb"], rel=1e-6)
    np.testing.assert_array_equal(tree_again["weight"], tree["weight"])


def weighted_copy(source, target, factors):
    """The LHE file ``source`` with each event's XWGTUP multiplied by the next factor and IDWTUP
    = 4 (weights the reader keeps): a weighted sample as a biased generation writes it."""
    import gzip

    lines, factor = [], iter(factors)
    header_next = init_next = False
    with gzip.open(source, "rt") as stream:
        for line in stream:
            if init_next:
                fields = line.split()
                fields[8] = "4"
                line = " ".join(fields) + "\n"
                init_next = False
            elif line.startswith("<init>"):
                init_next = True
            elif header_next:
                fields = line.split()
                fields[2] = f"{float(fields[2]) * next(factor):.10e}"
                line = " " + " ".join(fields) + "\n"
                header_next = False
            elif line.lstrip().startswith("<event"):
                header_next = True
            lines.append(line)
    with gzip.open(target, "wt") as stream:
        stream.writelines(lines)


@pytest.mark.parametrize("mode", [SAMPLING, HARD_PROCESS], ids=["shower", "hard_process"])
def test_a_weighted_lhe_file_is_normalised_to_every_event_read_not_to_the_kept_ones(
    signal_lhe, repo, tmp_path, mode
):
    """Weights 1 ... 6 over the 60 events: the kept events' mean weight is not the mean over the
    file, and the analysis must divide by the latter (what each kept event stands for)."""
    import uproot

    from bsmflow.analyse.sample import relative_weights
    from bsmflow.generate.lhe import event_weight_sum

    directory, _ = signal_lhe
    lhe = tmp_path / "weighted.lhe.gz"
    weighted_copy(directory / "a.lhe.gz", lhe, [1 + i % 6 for i in range(60)])
    n_lhe, weight_sum = event_weight_sum(lhe)
    assert n_lhe == 60 and weight_sum / n_lhe != pytest.approx(weight_sum / 60 * 1.1)

    def run(name, sampling):
        metadata = shower_lhe(
            str(lhe),
            str(repo / "config/cards/shower.cmnd"),
            str(tmp_path / name),
            sample="lq_m1000",
            chunk=0,
            seed=8,
            sampling=sampling,
        )
        with uproot.open(tmp_path / name) as handle:
            return metadata, handle["events"]["weight"].array(library="np")

    plain, all_weights = run("plain.root", None)
    sampled, kept = run("sampled.root", {**mode, "st_min_gev": 1e5, "keep_fraction": 0.5})
    assert plain["n_events"] == 60 and 10 < sampled["n_events"] < 50
    # Pythia reports XWGTUP as it is: its weights follow the file's, event by event
    assert sorted(set(np.round(all_weights / all_weights.min(), 6))) == [1, 2, 3, 4, 5, 6]
    assert sampled["weight_norm"] == pytest.approx(np.mean(np.abs(all_weights)), rel=1e-12)
    raw_kept = kept / 2  # each kept event carries 1 / keep_fraction
    assert np.mean(raw_kept) != pytest.approx(sampled["weight_norm"], rel=1e-3)
    relative, norm = relative_weights(kept, sampled["weight_norm"])
    np.testing.assert_allclose(relative * norm, kept)
    # each relative weight is 2 x the event's LHE weight over the file's mean (3.5 x the smallest)
    assert set(np.round(relative / 2 * 3.5, 6)) <= {1, 2, 3, 4, 5, 6}
    assert sampled["lhe_sigma_pb"] == pytest.approx(weight_sum / n_lhe, rel=1e-9)


def test_a_sampled_chunk_that_ends_in_its_first_batch_keeps_the_lhe_weight_names(repo, tmp_path):
    """Few kept events reach the file's end inside the first batch, where Pythia no longer lists
    the LHE's scale weights: the names come from the sampler, taken while an event was loaded."""
    import yaml

    from bsmflow.generate.pythia import generate_lhe
    from bsmflow.generate.scale_weights import SCALE_IDS
    from bsmflow.generate.spec import GenerationSpec

    config = yaml.safe_load((repo / "config/config.yaml").read_text())
    chunk = GenerationSpec(
        "dy", 0, 120, 3, 13000.0, config["pdf"], {"scale": True, "pdf": None, "pdf_path": None}
    )
    lhe = tmp_path / "a.lhe.gz"
    cut = {"variable": "mhat", "min_gev": 1200.0, "max_gev": 1800.0}
    generate_lhe(
        str(repo / "config/cards/dyjets/pythia.cmnd"),
        None,
        None,
        str(lhe),
        str(tmp_path / "a.json"),
        chunk,
        slice=cut,
    )
    metadata = shower_lhe(
        str(lhe),
        str(repo / "config/cards/shower.cmnd"),
        str(tmp_path / "s.root"),
        sample="dy",
        chunk=0,
        seed=4,
        shower_variations=True,
        sampling=SAMPLING,
    )
    assert 0 < metadata["n_events"] < 120 and metadata["n_lhe_events"] == 120
    assert metadata["variations"] == [
        *(name for name in SCALE_IDS if name in metadata["variations"]),
        *SHOWER_VARIATIONS,
    ]
    assert len(metadata["variations"]) > len(SHOWER_VARIATIONS)
