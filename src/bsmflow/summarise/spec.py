"""The summary stage's job spec: what the tables and plots of all samples state."""

from __future__ import annotations

from dataclasses import dataclass

from ..conventions import PARTICLE_LEVEL
from ..spec import JobSpec

GENERATORS = ("pythia", "madgraph")


@dataclass(frozen=True)
class SummarySpec(JobSpec):
    """The generator and level every record must come from; for the plots the collision energy
    (GeV), the luminosity (fb^-1) and where the backgrounds are complete (GeV: the fit region's
    lower edge; below it the stacks are greyed)."""

    generator: str
    sqrt_s_gev: float
    luminosity_fb: float
    complete_above_gev: float
    level: str = PARTICLE_LEVEL

    def check(self) -> None:
        if self.generator not in GENERATORS:
            raise ValueError(f"summary: generator = {self.generator!r}, expected one of {GENERATORS}")
