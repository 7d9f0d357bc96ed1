"""What every job records, made the same way by every stage: the chunk it works on, its seed,
the hashes of its inputs, the tool versions, its timings.

A job creates a :class:`Stage` when it starts and asks it for the record when it is done; the
record goes into a JSON sidecar (:func:`write_record`) or the metadata of a ROOT file.
"""

from __future__ import annotations

import json
import os
import resource
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .cards import file_sha256
from .io import atomic_output


def utc_now() -> str:
    """The current UTC time, ISO 8601 to the second (every record's time stamps)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def cpu_seconds() -> float:
    """CPU time (user + system) of this process since it started (imports and set-up included:
    a rule's script runs in a process of its own) and of its finished child processes (MadGraph,
    the compilers): what a job costs, whatever the machine's other load."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def peak_memory_mb() -> float:
    """The largest resident set (MB) of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports kB


@dataclass
class Stage:
    """The record of one job of stage ``name``. The clock starts when it is created.

    ``inputs``: role -> path of the files that shaped the output (None for an absent optional
    input); ``tools``: tool -> version, next to bsmflow's own version.
    """

    name: str
    seed: int | None
    inputs: dict[str, str | None]
    tools: dict[str, str] = field(default_factory=dict)
    started: str = field(default_factory=utc_now, init=False)
    _clock: float = field(default_factory=time.monotonic, init=False, repr=False)

    def elapsed(self) -> float:
        """Seconds since the job started."""
        return time.monotonic() - self._clock

    def record(self, **fields) -> dict:
        """The job's fields plus stage, seed, inputs with their SHA-256, versions and timings."""
        return {
            **fields,
            "stage": self.name,
            "seed": self.seed,
            "inputs": {
                role: {"path": str(path), "sha256": file_sha256(path)}
                for role, path in self.inputs.items()
                if path is not None
            },
            "versions": {"bsmflow": __version__, **self.tools},
            "bsmflow_version": __version__,
            "wall_time_s": round(self.elapsed(), 3),
            "cpu_time_s": round(cpu_seconds(), 3),  # the job's process, from its start
            "max_rss_mb": round(peak_memory_mb(), 1),
            "started": self.started,
            "finished": utc_now(),
        }


def record_text(record: dict) -> str:
    """A stage record as indented, key-sorted JSON (the text of every JSON sidecar)."""
    return json.dumps(record, indent=1, sort_keys=True) + "\n"


def write_record(path: str | Path, record: dict) -> None:
    """A stage record as a JSON sidecar, written atomically (a job writing several outputs at once
    writes :func:`record_text` inside its own atomic block)."""
    with atomic_output(path) as tmp:
        Path(tmp).write_text(record_text(record))
