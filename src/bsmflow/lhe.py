"""Les Houches Event files: write the hard process of Pythia events, check files read back.

Layout follows the Les Houches accord (hep-ph/0609017): <init> with beams, PDF ids, IDWTUP = 3
(unweighted events), one process line with sigma and error in pb; each <event> with the
particle lines (ISTUP -1 incoming, 2 decayed resonance, 1 final).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

IDWTUP_UNWEIGHTED = 3
WEIGHT_PLACEHOLDER = "{weight}"  # XWGTUP is the chunk's cross section, known only at the end


@dataclass(frozen=True)
class Beams:
    """Beam and PDF description of the <init> block."""

    sqrt_s_gev: float
    lhapdf_id: int
    beam_id: int = 2212


def event_block(process, process_id: int, scale: float, alpha_em: float, alpha_s: float) -> str:
    """The <event> text for a Pythia process record (beams and the system entry dropped).

    Pythia record entries 3.. become LHE lines 1..; mother indices are shifted to match and
    incoming partons get mothers 0 0, as the accord requires. XWGTUP is left as
    WEIGHT_PLACEHOLDER for :func:`write_lhe` to fill in.
    """
    lines = []
    first = 3
    for index in range(first, process.size()):
        particle = process[index]
        status = particle.status()
        if status == -21:
            istup, mothers = -1, (0, 0)
        else:
            istup = 1 if particle.isFinal() else 2
            mothers = tuple(max(m - first + 1, 0) for m in (particle.mother1(), particle.mother2()))
        lines.append(
            f"{particle.id():>9d} {istup:>2d} {mothers[0]:>4d} {mothers[1]:>4d}"
            f" {particle.col():>4d} {particle.acol():>4d}"
            f" {particle.px():+.10e} {particle.py():+.10e} {particle.pz():+.10e}"
            f" {particle.e():.10e} {particle.m():.10e} 0.0 9.0"
        )
    header = f"{len(lines)} {process_id} {WEIGHT_PLACEHOLDER} {scale:.8e} {alpha_em:.8e} {alpha_s:.8e}"
    return "<event>\n" + header + "\n" + "\n".join(lines) + "\n</event>\n"


def write_lhe(
    path: str | Path,
    events: list[str],
    beams: Beams,
    processes: list[tuple[int, float, float]],
    metadata: dict,
) -> None:
    """Write a gzip-compressed LHE file from event blocks made by :func:`event_block`.

    ``processes``: (process id, sigma in pb, error in pb) per subprocess, one <init> line each.
    Every event carries XWGTUP = the total sigma (the average convention), so that
    sum of weights / N = sigma. The metadata (generator, settings, seed, cards) goes into the
    header as JSON.
    """
    energy = beams.sqrt_s_gev / 2
    init = (
        "<init>\n"
        f"{beams.beam_id} {beams.beam_id} {energy:.6e} {energy:.6e} 0 0"
        f" {beams.lhapdf_id} {beams.lhapdf_id} {IDWTUP_UNWEIGHTED} {len(processes)}\n"
    )
    for process_id, sigma_pb, sigma_err_pb in processes:
        init += f"{sigma_pb:.8e} {sigma_err_pb:.8e} {sigma_pb:.8e} {process_id}\n"
    init += "</init>\n"
    weight = f"{sum(sigma for _, sigma, _ in processes):.8e}"
    with gzip.open(path, "wt", compresslevel=6) as stream:
        stream.write('<LesHouchesEvents version="3.0">\n<header>\n<bsmflow>\n')
        stream.write(escape(json.dumps(metadata, indent=1, sort_keys=True)))
        stream.write("\n</bsmflow>\n</header>\n")
        stream.write(init)
        for block in events:
            stream.write(block.replace(WEIGHT_PLACEHOLDER, weight, 1))
        stream.write("</LesHouchesEvents>\n")


def check_lhe(path: str | Path) -> int:
    """Number of events of an LHE file, or ValueError naming the file if it is truncated or corrupt."""
    try:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt") as stream:
            text = stream.read()
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: unreadable LHE file ({error})") from error
    if "<init>" not in text or not text.rstrip().endswith("</LesHouchesEvents>"):
        raise ValueError(f"{path}: truncated LHE file (no <init> block or no closing tag)")
    count = text.count("<event>")
    if count != text.count("</event>"):
        raise ValueError(f"{path}: corrupt LHE file (unbalanced <event> tags)")
    return count
