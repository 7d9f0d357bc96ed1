"""The variation weights a generation job writes into its LHE file (config ``variations``: the
scale points and, when a set is found, the PDF members), for both generator paths."""

from __future__ import annotations

import logging
import shutil

import numpy as np

from .lhe import WeightGroup, add_weights
from .pdf_weights import WEIGHT_GROUP as PDF_GROUP
from .pdf_weights import find_pdf_set, member_ratios, pdf_note
from .scale_weights import SCALE_IDS, SCALE_POINTS, WEIGHT_GROUP, HardScatterings, check_alpha_s, scale_ratios
from .spec import GenerationSpec

log = logging.getLogger(__name__)


def wants_weights(chunk: GenerationSpec) -> bool:
    spec = chunk.variations or {}
    return bool(spec.get("scale") or spec.get("pdf"))


NO_WEIGHTS = {"ids": [], "pdf_note": pdf_note(None, None, None)}  # the record entry without any


def write_variation_weights(
    path_in: str, path_out: str, chunk: GenerationSpec, hard: HardScatterings, alpha_s, xf, method: str
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


def describe(k_r: float, k_f: float) -> str:
    return f"mu_R x {k_r:g}, mu_F x {k_f:g}"


def reweight_lhe(
    path_in: str,
    path_out: str,
    events: HardScatterings,
    alpha_s,
    xf,
    *,
    source: str,
    method: str,
    scale: bool,
    pdf_set=None,
) -> dict:
    """Write a copy of an LHE file with the seven scale points (``scale``, after checking every
    event's alpha_s) and the members of ``pdf_set`` (:mod:`.pdf_weights`) as weights. Returns
    the record entry: weight ids, how they were computed and each weight's cross-section ratio
    sum(w r) / sum(w) over the chunk's events."""
    groups = []
    if scale:
        check_alpha_s(events, alpha_s, source)
        descriptions = [describe(k_r, k_f) for k_r, k_f in SCALE_POINTS]
        ratios = scale_ratios(events, alpha_s, xf)
        groups.append(WeightGroup(WEIGHT_GROUP, "envelope", list(SCALE_IDS), descriptions, ratios))
    if pdf_set is not None:
        ratios = member_ratios(pdf_set, events.x1, events.x2, events.id1, events.id2, events.mu_f, xf)
        ids = pdf_set.weight_ids()
        descriptions = [f"{pdf_set.name} member {k}" for k in range(len(ids))]
        groups.append(WeightGroup(PDF_GROUP, pdf_set.error_type, ids, descriptions, ratios))
    weights = add_weights(path_in, path_out, groups)
    ids = [weight_id for group in groups for weight_id in group.ids]
    all_ratios = np.hstack([group.ratios for group in groups]) if groups else np.ones((len(weights), 0))
    sigma_ratio = (weights @ all_ratios) / weights.sum() if len(weights) else np.ones(len(ids))
    return {
        "method": method,
        "ids": ids,
        "scale_points": [list(point) for point in SCALE_POINTS] if scale else [],
        "alpha_s_powers": sorted({int(n) for n in events.n_alpha_s}) if scale else [],
        "pdf_set": pdf_set.name if pdf_set else None,
        "sigma_ratio": dict(zip(ids, np.round(sigma_ratio, 6).tolist(), strict=True)),
    }
