"""File helpers: outputs appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: str | Path):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only if the block succeeds.

    A job killed or failing mid-write leaves no file at ``path`` (Snakemake also removes outputs
    of failed jobs, but a half-written file must never look finished to anyone reading it).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        yield str(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.is_dir():  # a directory output (e.g. a UFO) that did not complete
            shutil.rmtree(tmp)
        else:
            tmp.unlink(missing_ok=True)
