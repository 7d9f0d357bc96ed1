"""The samples a study generates: signal mass points, background processes, their decay-channel
strata and generator-level slices, each cut into chunks (the jobs of the generation, shower and
clustering stages)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..generate.filters import COMPLEMENT


@dataclass(frozen=True)
class Slice:
    """A range [min_gev, max_gev) of a generator-level variable (mhat or pthat); max_gev None is
    open-ended."""

    variable: str
    min_gev: float
    max_gev: float | None

    @property
    def label(self) -> str:
        top = "inf" if self.max_gev is None else f"{self.max_gev:g}"
        return f"{self.variable}{self.min_gev:g}to{top}"


@dataclass(frozen=True)
class Sample:
    """One generated sample: a signal mass point, a background process or one slice of it."""

    name: str
    process: str
    events: int
    mass_gev: int | None = None
    slice: Slice | None = None
    decay_filter: str | None = None
    bias: dict | None = None
    sampling: dict | None = None
    shower_sampling: dict | None = None

    @property
    def is_signal(self) -> bool:
        return self.mass_gev is not None


def samples(config: dict, generator: str = "pythia") -> list[Sample]:
    """Signal mass points first (ascending), then backgrounds in config order.

    A background with a channel_split is two decay-channel strata on the Pythia path: the
    channels of its filter in channel_split.slices (samples <process>_<filter>_<slice>) and the
    rest in slices (<process>_not_<filter>_<slice>). MadGraph's process card has no such filter:
    there the process is generated whole, in the slices of channel_split (the larger sample),
    or in its madgraph_slices where given (the MadGraph path's own slicing)."""
    signal = config["signal"]
    result = [
        Sample(f"{signal['process']}_m{mass}", signal["process"], signal["events"], mass)
        for mass in sorted(signal["masses_gev"])
    ]
    for process in config["backgrounds"]["enabled"]:
        spec = config["backgrounds"]["processes"][process]
        decay_filter, bias, sampling = (
            spec.get("decay_filter"),
            spec.get("pythia_bias"),
            spec.get("pt_sampling"),
        )
        # inside the shower: on both paths (MadGraph's LHE files too, MLM-matched or not)
        in_shower = spec.get("shower_sampling")
        if "slices" not in spec:
            result.append(
                Sample(process, process, spec["events"], None, None, decay_filter, bias, sampling, in_shower)
            )
            continue
        split = spec.get("channel_split")
        variable = spec["slice_variable"]
        if generator == "madgraph" and "madgraph_slices" in spec:
            variable = spec["madgraph_slices"]["slice_variable"]
            strata = [(process, spec["madgraph_slices"]["slices"], None)]
        elif split is None:
            strata = [(process, spec["slices"], decay_filter)]
        elif generator == "madgraph":
            strata = [(process, split["slices"], None)]
        else:
            kept = split["filter"]
            strata = [
                (f"{process}_{kept}", split["slices"], kept),
                (f"{process}_{COMPLEMENT}{kept}", spec["slices"], f"{COMPLEMENT}{kept}"),
            ]
        for prefix, parts, channels in strata:
            for part in parts:
                top = None if part["max_gev"] is None else float(part["max_gev"])
                part_slice = Slice(variable, float(part["min_gev"]), top)
                name = f"{prefix}_{part_slice.label}"
                # a slice's own sampling replaces the process'
                chosen = part.get("pt_sampling", sampling)
                shower = part.get("shower_sampling", in_shower)
                slice_bias = part.get("pythia_bias", bias)
                result.append(
                    Sample(
                        name, process, part["events"], None, part_slice, channels, slice_bias, chosen, shower
                    )
                )
    return result


def processes(config: dict) -> list[str]:
    """The signal process and the enabled background processes."""
    return [config["signal"]["process"], *config["backgrounds"]["enabled"]]


def chunk_sizes(events: int, chunk_size: int) -> list[int]:
    """Events per chunk: full chunks, the last one holding the remainder."""
    n_chunks = math.ceil(events / chunk_size)
    return [min(chunk_size, events - i * chunk_size) for i in range(n_chunks)]
