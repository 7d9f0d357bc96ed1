"""The detector stage's job spec: one chunk's particle-level objects through a detector card."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import JobSpec, check_seed


@dataclass(frozen=True)
class DetectorSpec(JobSpec):
    """The seed of the chunk's smearing and efficiencies, and the object definitions whose cuts
    are applied again to the detector-level objects ({leptons, jets} of config ``objects``)."""

    seed: int
    objects: dict

    def check(self) -> None:
        check_seed("detector response", self.seed)
        missing = sorted({"leptons", "jets"} - set(self.objects))
        if missing:
            raise ValueError(f"detector response: objects lacks {missing}")
