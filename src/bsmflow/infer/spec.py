"""The inference stage's job specs: one mass point's workspace and limits, and the summary of all
mass points."""

from __future__ import annotations

from dataclasses import dataclass

from ..conventions import PARTICLE_LEVEL
from ..spec import JobSpec, check_seed


@dataclass(frozen=True)
class WorkspaceSpec(JobSpec):
    """One mass point (GeV): the signal sample, the background samples with their processes (in
    the order of the rule's background inputs), the inference settings (config ``inference``),
    the binning (GeV), how to read the param card ({pdg_id, yukawa_block}) and the toys' seed."""

    sample: str
    mass_gev: int
    backgrounds: list
    background_processes: list
    inference: dict
    binning: dict
    model_keys: dict
    toys_seed: int

    def check(self) -> None:
        check_seed(f"inference of {self.sample}", self.toys_seed)
        if len(self.backgrounds) != len(self.background_processes):
            raise ValueError(f"inference of {self.sample}: one process per background sample")

    def by_process(self, files: list[str]) -> dict[str, list[str]]:
        """process -> the selected-events files of its samples (slices are stitched), from the
        rule's background inputs in :attr:`backgrounds` order."""
        grouped: dict[str, list[str]] = {}
        for process, path in zip(self.background_processes, files, strict=True):
            grouped.setdefault(process, []).append(path)
        return grouped


@dataclass(frozen=True)
class InferenceSummarySpec(JobSpec):
    """The inference settings, luminosity (fb^-1), collision energy (GeV), generator and level
    that the limit table, the excluded mass and the plots' captions state."""

    inference: dict
    luminosity_fb: float
    sqrt_s_gev: float
    generator: str
    level: str = PARTICLE_LEVEL
