"""The model stage's job specs: the UFO and one mass point's param card."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import JobSpec

SOURCES = ("builder", "ufo", "feynrules")


@dataclass(frozen=True)
class UfoSpec(JobSpec):
    """Where the UFO comes from (config model.source and its input) and the Yukawa matrix and
    block it must carry."""

    source: str
    model_file: str | None
    ufo: str | None
    feynrules: dict | None
    yukawa: list
    yukawa_block: str

    def check(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"model.source = {self.source!r}: one of {SOURCES}")


@dataclass(frozen=True)
class ParamCardSpec(JobSpec):
    """One mass point (GeV) of the leptoquark (PDG id ``pdg_id``) with the Yukawa matrix in block
    ``yukawa_block`` and the top mass (GeV)."""

    mass_gev: int
    yukawa: list
    yukawa_block: str
    top_mass_gev: float
    pdg_id: int

    def check(self) -> None:
        if self.mass_gev <= 0:
            raise ValueError(f"param card: mass_gev = {self.mass_gev} must be positive")
