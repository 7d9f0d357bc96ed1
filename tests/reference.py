"""Comparison of a seeded run's cross section with the recorded high-statistics reference."""

from __future__ import annotations

import json
import math
from pathlib import Path

REFERENCE = json.loads((Path(__file__).parent / "data/reference_cross_sections.json").read_text())


def assert_reference_cross_section(generator: str, sample: str, sigma_pb: float, sigma_err_pb: float) -> None:
    """|sigma - reference| < 3 sigma_stat (run and reference combined) + the systematic tolerance
    (a few percent: MadGraph's integration grids and Pythia's estimate at other seeds)."""
    reference = REFERENCE[generator][sample]
    allowed = 3 * math.hypot(sigma_err_pb, reference["sigma_err_pb"])
    allowed += REFERENCE["systematic_tolerance"][generator] * reference["sigma_pb"]
    difference = sigma_pb - reference["sigma_pb"]
    assert abs(difference) < allowed, (
        f"{generator} {sample}: sigma = {sigma_pb:.5g} +- {sigma_err_pb:.2g} pb, reference "
        f"{reference['sigma_pb']:.5g} +- {reference['sigma_err_pb']:.2g} pb (seed {reference['seed']}, "
        f"{reference['generator_version']}): difference {difference:.3g} pb, allowed {allowed:.3g} pb"
    )
