"""The base of every job spec: a frozen dataclass built by the study plan (bsmflow.plan), passed
to the job as plain builtins through Snakemake's params (so that its repr decides reruns) and
rebuilt, checked, by the job's script."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from .seeds import PYTHIA_SEED_MAX


@dataclass(frozen=True)
class JobSpec:
    """Fields are the job's settings; :meth:`params` gives them to Snakemake, :meth:`from_params`
    takes them back in the script. Subclasses check their values in ``check``."""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise ValueError naming the field and value that the job cannot run with."""

    def params(self) -> dict:
        """The spec as plain builtins (Snakemake records their repr and reruns on change)."""
        return asdict(self)

    @classmethod
    def from_params(cls, params: dict):
        """The spec a rule's params hold (unknown keys are an error, not silently dropped)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown field(s) {unknown}; known: {sorted(known)}")
        return cls(**params)

    def kwargs(self, *names: str) -> dict:
        """The named fields (all without names) as keyword arguments of the job's function."""
        chosen = names or tuple(f.name for f in fields(self))
        return {name: getattr(self, name) for name in chosen}


def check_seed(owner: str, seed: int) -> None:
    """A job seed must be one Pythia accepts (1 .. 900 000 000)."""
    if not 1 <= seed <= PYTHIA_SEED_MAX:
        raise ValueError(f"{owner}.seed = {seed}: outside 1..{PYTHIA_SEED_MAX}")
