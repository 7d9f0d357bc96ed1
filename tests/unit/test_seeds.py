from bsmflow.seeds import PYTHIA_SEED_MAX, derive_seed


def test_seeds_are_the_recorded_values():
    """Computed once (bsmflow 0.1.0) and written down: a change of the derivation, or anything
    that makes it depend on the process or the machine, changes every sample's events."""
    assert derive_seed(1, "lq_m1000", 3, "shower") == 230615134
    assert derive_seed(4242, "lq_m1000", 0, "generate") == 303460754
    assert derive_seed(4242, "ttbar", 1, "shower") == 70491419
    assert derive_seed(7, "dyjets", 0, "gridpack") == 529419170


def test_seeds_differ_between_chunks_samples_stages_and_base_seeds():
    seeds = {
        derive_seed(base, sample, chunk, stage)
        for base in (1, 2)
        for sample in ("lq_m1000", "lq_m1500", "ttbar")
        for chunk in range(50)
        for stage in ("generate", "shower")
    }
    assert len(seeds) == 2 * 3 * 50 * 2


def test_seeds_are_in_pythias_range():
    for chunk in range(1000):
        assert 1 <= derive_seed(7, "dyjets", chunk, "generate") <= PYTHIA_SEED_MAX
