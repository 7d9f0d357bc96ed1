"""Deterministic per-job random seeds."""

from __future__ import annotations

import hashlib

PYTHIA_SEED_MAX = 900_000_000  # Pythia's Random:seed accepts 1 .. 900 000 000


def derive_seed(base_seed: int, sample: str, chunk: int, stage: str) -> int:
    """Seed for one (sample, chunk, stage) job, a pure function of its arguments.

    A SHA-256 of the tuple spreads neighbouring chunks over the whole seed range, so chunks of
    one sample, the same chunk of two samples and the generation and shower steps of one chunk
    never share a random stream.
    """
    key = f"{base_seed}:{sample}:{chunk}:{stage}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % PYTHIA_SEED_MAX + 1
