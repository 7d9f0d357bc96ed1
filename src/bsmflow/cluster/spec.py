"""The cluster stage's job spec: the lepton and jet definitions (config ``objects``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import JobSpec
from .jets import ALGORITHMS, JetDefinition
from .objects import LeptonDefinition


@dataclass(frozen=True)
class ClusterSpec(JobSpec):
    """Dressed isolated leptons and jets: the fields of :class:`LeptonDefinition` and
    :class:`JetDefinition` (pT in GeV)."""

    leptons: dict
    jets: dict

    def check(self) -> None:
        for name, definition in (("leptons", LeptonDefinition), ("jets", JetDefinition)):
            try:
                definition(**getattr(self, name))
            except TypeError as error:
                raise ValueError(f"objects.{name} = {getattr(self, name)}: {error}") from error
        if self.jets["algorithm"] not in ALGORITHMS:
            raise ValueError(
                f"objects.jets.algorithm = {self.jets['algorithm']!r}: one of {sorted(ALGORITHMS)}"
            )
