from bsmflow.seeds import PYTHIA_SEED_MAX, derive_seed


def test_seed_is_a_pure_function_of_its_arguments():
    assert derive_seed(1, "lq_m1000", 3, "shower") == derive_seed(1, "lq_m1000", 3, "shower")


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
