"""The generation stage's job specs: one chunk of events (either generator) and one MadGraph
gridpack."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import JobSpec, check_seed

SLICE_VARIABLES = ("mhat", "pthat", "ht", "st")


def check_slice(owner: str, slice: dict | None) -> None:
    """A slice is {variable, min_gev, max_gev} with max_gev None (open) or above min_gev."""
    if slice is None:
        return
    if slice["variable"] not in SLICE_VARIABLES:
        raise ValueError(f"{owner}.slice.variable = {slice['variable']!r}: expected one of {SLICE_VARIABLES}")
    if slice["max_gev"] is not None and slice["max_gev"] <= slice["min_gev"]:
        raise ValueError(f"{owner}.slice = {slice}: max_gev must exceed min_gev")


@dataclass(frozen=True)
class GenerationSpec(JobSpec):
    """One generation job: the sample, the chunk's index and size, its seed, the collision energy
    (GeV), the PDF set (config ``pdf``) and the variation weights the events get ({scale, pdf,
    pdf_path} of config ``variations``). The Pythia path also takes the sample's slice, decay
    filter, phase-space bias, pT-sum sampling and, for a signal, how to read its param card
    ({pdg_id, yukawa_block}); on the MadGraph path these are None (the gridpack holds the slice)."""

    sample: str
    chunk: int
    n_events: int
    seed: int
    sqrt_s_gev: float
    pdf: dict
    variations: dict | None = None
    slice: dict | None = None
    decay_filter: str | None = None
    bias: dict | None = None
    sampling: dict | None = None
    param_card_keys: dict | None = None

    def check(self) -> None:
        name = f"generation of {self.sample} chunk {self.chunk}"
        if self.chunk < 0 or self.n_events < 1:
            raise ValueError(f"{name}: chunk = {self.chunk}, n_events = {self.n_events} (need >= 0 and >= 1)")
        if self.sqrt_s_gev <= 0:
            raise ValueError(f"{name}: sqrt_s_gev = {self.sqrt_s_gev} must be positive")
        check_seed(name, self.seed)
        check_slice(name, self.slice)


@dataclass(frozen=True)
class GridpackSpec(JobSpec):
    """One MadGraph integration: the sample, the collision energy (GeV), the PDF set, the seed of
    the integration and the sample's slice (None unsliced)."""

    sample: str
    sqrt_s_gev: float
    pdf: dict
    seed: int
    slice: dict | None = None

    def check(self) -> None:
        check_seed(f"gridpack of {self.sample}", self.seed)
        check_slice(f"gridpack of {self.sample}", self.slice)
