"""The variation weights a generation job writes into its LHE file (config ``variations``: the
scale points and, when a set is found, the PDF members), for both generator paths."""

from __future__ import annotations

import logging
import shutil

from ..stage import ChunkSpec
from .pdf_weights import find_pdf_set, pdf_note
from .scale_weights import HardScatterings, reweight_lhe

log = logging.getLogger(__name__)


def wants_weights(chunk: ChunkSpec) -> bool:
    spec = chunk.variations or {}
    return bool(spec.get("scale") or spec.get("pdf"))


NO_WEIGHTS = {"ids": [], "pdf_note": pdf_note(None, None, None)}  # the record entry without any


def write_variation_weights(
    path_in: str, path_out: str, chunk: ChunkSpec, hard: HardScatterings, alpha_s, xf, method: str
) -> dict:
    """Copy ``path_in`` to ``path_out`` with the configured weights; the record entry
    (ids, method, cross-section ratios and the sentence about the PDF uncertainty)."""
    spec = chunk.variations or {}
    name, path = spec.get("pdf"), spec.get("pdf_path")
    pdf_set = find_pdf_set(name, path) if name else None
    note = pdf_note(name, pdf_set, path)
    if name and pdf_set is None:
        log.warning("%s chunk %d: %s", chunk.sample, chunk.chunk, note)
    if not spec.get("scale") and pdf_set is None:
        shutil.copyfile(path_in, path_out)
        return {"ids": [], "pdf_note": note}
    entry = reweight_lhe(
        path_in,
        path_out,
        hard,
        alpha_s,
        xf,
        source=f"{chunk.sample} chunk {chunk.chunk}",
        method=method,
        scale=bool(spec.get("scale")),
        pdf_set=pdf_set,
    )
    return entry | {"pdf_note": note}
