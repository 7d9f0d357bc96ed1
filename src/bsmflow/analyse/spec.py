"""The analysis stage's job spec: one sample's selection and histograms."""

from __future__ import annotations

from dataclasses import dataclass

from ..conventions import PARTICLE_LEVEL
from ..spec import JobSpec


@dataclass(frozen=True)
class AnalysisSpec(JobSpec):
    """The sample, its process and mass point (GeV, None for a background), its generator-level
    slice, the selection, the histogram binning (GeV), the luminosity (fb^-1) and the level the
    objects come from ('particle' or 'detector:<card>')."""

    sample: str
    process: str
    mass_gev: int | None
    slice: dict | None
    selection: dict
    binning: dict
    luminosity_fb: float
    level: str = PARTICLE_LEVEL

    def check(self) -> None:
        if self.luminosity_fb <= 0:
            raise ValueError(
                f"analysis of {self.sample}: luminosity_fb = {self.luminosity_fb} must be positive"
            )
        if self.binning["width_gev"] <= 0:
            raise ValueError(f"analysis of {self.sample}: binning.width_gev = {self.binning['width_gev']}")
