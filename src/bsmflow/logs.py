"""Send a rule's output, Python's and the C++ libraries' alike, to its log file."""

from __future__ import annotations

import logging
import os
import sys


def redirect_to_log(path: str) -> None:
    """Point file descriptors 1 and 2 at ``path`` (Pythia and FastJet print from C++) and
    configure logging to write timestamped lines there."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    os.close(handle)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        force=True,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
