"""Reading the workflow's own ROOT files with errors that name the file."""

from __future__ import annotations

import json

import awkward as ak

from .conventions import VARIATION_BRANCH


def read_tree(path: str, tree: str, branches: list[str]) -> tuple[ak.Array, dict]:
    """Branches of ``tree`` as one awkward array, and the file's JSON ``metadata`` string.

    A truncated, corrupt or foreign file raises ValueError naming the file and what is missing,
    instead of an exception from deep inside uproot.
    """
    import uproot

    try:
        with uproot.open(path) as handle:
            if tree not in handle or "metadata" not in handle:
                arrays = None
            else:
                arrays = handle[tree].arrays(branches)
                metadata = json.loads(str(handle["metadata"]))
    except Exception as error:  # uproot raises many types for damaged files
        raise ValueError(
            f"{path}: unreadable or corrupt ROOT file ({type(error).__name__}: {error})"
        ) from error
    if arrays is None:
        raise ValueError(f"{path}: no '{tree}' tree or 'metadata' (not a file of this stage)")
    return arrays, metadata


def read_metadata(path: str) -> dict:
    """Only the JSON ``metadata`` string of one of the workflow's ROOT files."""
    import uproot

    try:
        with uproot.open(path) as handle:
            return json.loads(str(handle["metadata"]))
    except Exception as error:
        raise ValueError(f"{path}: no readable 'metadata' ({type(error).__name__}: {error})") from error


def read_variations(path: str, tree: str, names: list[str]) -> dict:
    """The variation weights of a shower, object file (branch ``variation_weight``, one column
    per name in the file's metadata): name -> per-event weight. Empty without variations."""
    import numpy as np

    if not names:
        return {}
    arrays, _ = read_tree(path, tree, [VARIATION_BRANCH])
    matrix = np.asarray(ak.to_numpy(arrays[VARIATION_BRANCH]), dtype=np.float64).reshape(-1, len(names))
    return {name: matrix[:, i] for i, name in enumerate(names)}
