"""The shower stage's job spec: one LHE chunk showered by Pythia 8."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import JobSpec, check_seed


@dataclass(frozen=True)
class ShowerSpec(JobSpec):
    """The sample and chunk, the shower's seed, whether Pythia's UncertaintyBands weights are
    written, and the sample's shower sampling ({veto_scale_gev, st_min_gev, mlq_min_gev,
    keep_fraction}; None without)."""

    sample: str
    chunk: int
    seed: int
    shower_variations: bool
    sampling: dict | None = None

    def check(self) -> None:
        check_seed(f"shower of {self.sample} chunk {self.chunk}", self.seed)
        if self.sampling is not None and not 0 < self.sampling["keep_fraction"] <= 1:
            raise ValueError(
                f"shower of {self.sample}: sampling.keep_fraction = {self.sampling['keep_fraction']} "
                "outside (0, 1]"
            )
