"""What the workflow reads from MadGraph's events: the cross section of an LHE file's <init>
block, the pull of a chunk against its gridpack, and the variation weights computed from the
events (MadGraph's systematics module needs LHAPDF, which is not available)."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

from .event_weights import write_variation_weights
from .mg5 import MadGraphError
from .scale_weights import hard_scatterings_from_lhe, proton_pdf, two_loop_alpha_s, two_loop_scale
from .spec import GenerationSpec

# alpha_s(M_Z) MadGraph takes from its built-in PDF sets (Source/PDF/pdfwrap.f)
MADGRAPH_ALPHA_S_MZ = {"nn23lo1": 0.130, "nn23lo": 0.119}


def lhe_cross_section(path: str | Path) -> tuple[float, float]:
    """(sigma, error) in pb of an LHE file: the sum of the NPRUP process lines of its <init>
    block (errors added in quadrature). MadGraph writes one line per subprocess group: the first
    line alone is only part of the cross section (58 % for the diboson channels)."""
    with gzip.open(path, "rt") as stream:
        head = stream.read(200_000)
    if "<init>" not in head or "</init>" not in head:
        raise MadGraphError(f"{path}: no <init> block with a cross section")
    block = head.split("<init>", 1)[1].split("</init>", 1)[0].strip().splitlines()
    lines = [line for line in block if line.strip() and not line.lstrip().startswith(("<", "#"))]
    try:
        n_processes = int(lines[0].split()[9])
        values = [tuple(map(float, line.split()[:2])) for line in lines[1 : 1 + n_processes]]
    except (IndexError, ValueError) as error:
        raise MadGraphError(f"{path}: unreadable <init> block ({error})") from error
    if len(values) != n_processes:
        raise MadGraphError(
            f"{path}: the <init> block lists {len(values)} of NPRUP = {n_processes} processes"
        )
    return sum(v[0] for v in values), math.sqrt(sum(v[1] ** 2 for v in values))


def chunk_pull(chunk_sigma: tuple[float, float], grid_sigma: tuple[float, float]) -> float:
    """(chunk - gridpack) / combined error of two (sigma, error) cross-section estimates."""
    return (chunk_sigma[0] - grid_sigma[0]) / math.hypot(chunk_sigma[1], grid_sigma[1])


def madgraph_variation_weights(events: Path, output: Path, chunk: GenerationSpec, matched: bool) -> dict:
    """The variation weights of a gridpack's events (:mod:`.event_weights`), computed by bsmflow
    from the events
    (mu_R = mu_F = SCALUP, MadGraph's two-loop alpha_s from the PDF's alpha_s(M_Z), Pythia's copy
    of the PDF). MadGraph's own systematics module is not used: it needs LHAPDF."""
    alpha_s_mz = MADGRAPH_ALPHA_S_MZ[chunk.pdf["madgraph"]]
    pdf, _owner = proton_pdf(chunk.pdf["pythia_pset"])
    inverse = two_loop_scale(alpha_s_mz) if matched else None
    hard = hard_scatterings_from_lhe(str(events), chunk.sqrt_s_gev, inverse)
    scales = (
        "mu_F = SCALUP, mu_R where the running gives the event's alpha_s (MLM)"
        if matched
        else "SCALUP = mu_R = mu_F"
    )
    method = (
        f"bsmflow, from each event's x1, x2, ids and {scales} (two-loop alpha_s, "
        f"alpha_s(M_Z) = {alpha_s_mz}; PDF:pSet = {chunk.pdf['pythia_pset']}); MadGraph's "
        "systematics module needs LHAPDF"
    )
    return write_variation_weights(
        str(events), str(output), chunk, hard, two_loop_alpha_s(alpha_s_mz), pdf.xf, method
    )
