"""Les Houches Event files: the hard process of Pythia events written with pylhe, and a check that
a file (ours or MadGraph's) is complete.

Layout follows the Les Houches accord (hep-ph/0609017) in version 3.0: <init> with beams, PDF
ids, IDWTUP = 3 (unweighted events; 4 for biased, weighted ones), one process line per
subprocess with sigma and error in pb; each <event> with the particle lines (ISTUP -1 incoming,
2 decayed resonance, 1 final). pylhe writes the file; its number formats are widened here to the
digits our own writer used (10 for momenta, 8 for scales and couplings), so the events Pythia
showers are the same to the last bit.
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pylhe

IDWTUP_UNWEIGHTED = 3
IDWTUP_WEIGHTED = 4  # event weights XWGTUP (pb) that the reader must keep (Pythia's phase-space bias)
FORMAT = pylhe.LHEXMLFormat(
    compress=True,
    compresslevel=6,
    eventinfo="{nparticles} {pid} {weight:.8e} {scale:.8e} {aqed:.8e} {aqcd:.8e}",
    particle=(
        "{id:>9d} {status:>2d} {mother1:>4d} {mother2:>4d} {color1:>4d} {color2:>4d}"
        " {px:+.10e} {py:+.10e} {pz:+.10e} {e:.10e} {m:.10e} {lifetime:.1f} {spin:.1f}"
    ),
    initinfo=(
        "{beamA} {beamB} {energyA:.6e} {energyB:.6e} {PDFgroupA} {PDFgroupB} {PDFsetA} {PDFsetB}"
        " {weightingStrategy} {numProcesses}"
    ),
    procinfo="{xSection:.8e} {error:.8e} {unitWeight:.8e} {procId}",
)
UNPOLARISED = 9.0  # LHE SPINUP: no helicity information


@dataclass(frozen=True)
class Beams:
    """Beam and PDF description of the <init> block: two protons at sqrt_s_gev / 2 each."""

    sqrt_s_gev: float
    lhapdf_id: int
    beam_id: int


def event_from_pythia(
    process, process_id: int, scale: float, alpha_em: float, alpha_s: float
) -> pylhe.LHEEvent:
    """The LHE event of a Pythia process record (beams and the system entry dropped).

    Pythia record entries 3.. become LHE lines 1..; mother indices are shifted to match and
    incoming partons get mothers 0 0, as the accord requires. The weight is set by
    :func:`write_lhe` once the cross section is known.
    """
    first = 3
    particles = []
    for index in range(first, process.size()):
        particle = process[index]
        if particle.status() == -21:
            status, mothers = -1, (0, 0)
        else:
            status = 1 if particle.isFinal() else 2
            mothers = tuple(max(m - first + 1, 0) for m in (particle.mother1(), particle.mother2()))
        particles.append(
            pylhe.LHEParticle(
                id=particle.id(),
                status=status,
                mother1=mothers[0],
                mother2=mothers[1],
                color1=particle.col(),
                color2=particle.acol(),
                px=particle.px(),
                py=particle.py(),
                pz=particle.pz(),
                e=particle.e(),
                m=particle.m(),
                lifetime=0.0,
                spin=UNPOLARISED,
            )
        )
    info = pylhe.LHEEventInfo(
        nparticles=len(particles), pid=process_id, weight=0.0, scale=scale, aqed=alpha_em, aqcd=alpha_s
    )
    return pylhe.LHEEvent(eventinfo=info, particles=particles)


def write_lhe(
    path: str | Path,
    events: list[pylhe.LHEEvent],
    beams: Beams,
    processes: list[tuple[int, float, float]],
    metadata: dict,
    weights: list[float] | None = None,
) -> None:
    """Write a gzip-compressed LHE file of events made by :func:`event_from_pythia`.

    ``processes``: (process id, sigma in pb, error in pb) per subprocess, one <init> line each.
    Every event carries XWGTUP = the total sigma (the average convention), so that
    sum of weights / N = sigma. With ``weights`` (biased generation: the generator's compensating
    weight of each event, any normalisation) XWGTUP = sigma x w / mean(w) and IDWTUP = 4, so that
    a reader keeps each event's weight (Pythia reports 1 for every event of an IDWTUP = 3 file).
    The metadata (generator, settings, seed, cards) goes into the header as JSON in a <bsmflow>
    element.
    """
    energy = beams.sqrt_s_gev / 2
    init = pylhe.LHEInit(
        initInfo=pylhe.LHEInitInfo(
            beamA=beams.beam_id,
            beamB=beams.beam_id,
            energyA=energy,
            energyB=energy,
            PDFgroupA=0,
            PDFgroupB=0,
            PDFsetA=beams.lhapdf_id,
            PDFsetB=beams.lhapdf_id,
            weightingStrategy=IDWTUP_UNWEIGHTED if weights is None else IDWTUP_WEIGHTED,
            numProcesses=len(processes),
        ),
        procInfo=[
            pylhe.LHEProcInfo(xSection=sigma, error=error, unitWeight=sigma, procId=process_id)
            for process_id, sigma, error in processes
        ],
        generators=[],
    )
    sigma = sum(sigma for _, sigma, _ in processes)
    if weights is None:
        weights = [1.0] * len(events)
    mean = sum(weights) / len(weights) if weights else 1.0
    for event, weight in zip(events, weights, strict=True):
        event.eventinfo.weight = sigma * weight / mean
    record = ET.Element("bsmflow")
    record.text = json.dumps(metadata, indent=1, sort_keys=True)
    header = pylhe.LHEHeader(initrwgt=pylhe.LHEInitRWGT(entries=[]), extra_elements=[record])
    pylhe.LHEFile(init=init, events=events, header=header).tofile(str(path), lheformat=FORMAT)


@dataclass(frozen=True)
class WeightGroup:
    """Named per-event weights of one <weightgroup>: ratios (n_events, len(ids)) to XWGTUP."""

    name: str
    combine: str
    ids: list[str]
    descriptions: list[str]
    ratios: np.ndarray


def add_weights(path_in: str | Path, path_out: str | Path, groups: list[WeightGroup]) -> np.ndarray:
    """Copy an LHE file adding named event weights in the LHE 3 convention: per group a
    <weightgroup> of <weight id=...> in the header's <initrwgt>, and per event an <rwgt> block of
    <wgt id=...>XWGTUP x ratio</wgt> (full double precision, so the ratio 1 gives XWGTUP back
    exactly). The ratios are in the file's event order. Returns every event's XWGTUP."""
    ids = [weight_id for group in groups for weight_id in group.ids]
    ratios = np.hstack([np.asarray(group.ratios, dtype=np.float64) for group in groups])
    declared = "".join(
        f"<weightgroup name='{group.name}' combine='{group.combine}'>\n"
        + "".join(
            f"<weight id='{weight_id}'> {text} </weight>\n"
            for weight_id, text in zip(group.ids, group.descriptions, strict=True)
        )
        + "</weightgroup>\n"
        for group in groups
    )
    init_block = f"<initrwgt>\n{declared}</initrwgt>\n"
    index, header_done, first_event_line = 0, False, False
    nominal = []
    with gzip.open(path_in, "rt") as source, gzip.open(path_out, "wt", compresslevel=6) as out:
        for line in source:
            stripped = line.strip()
            if not header_done and stripped in ("</header>", "<init>"):
                out.write(init_block if stripped == "</header>" else f"<header>\n{init_block}</header>\n")
                header_done = True
            elif stripped == "<event>":
                first_event_line = True
                out.write(line)
                continue
            elif first_event_line:
                weight = float(line.split()[2])
                nominal.append(weight)
                first_event_line = False
            elif stripped == "</event>":
                if index >= len(ratios):
                    raise ValueError(f"{path_in}: more events than the {len(ratios)} weight rows")
                out.write("<rwgt>\n")
                for weight_id, ratio in zip(ids, ratios[index], strict=True):
                    out.write(f"<wgt id='{weight_id}'> {weight * ratio:.16e} </wgt>\n")
                out.write("</rwgt>\n")
                index += 1
            out.write(line)
    if index != len(ratios):
        raise ValueError(f"{path_in}: {index} events for {len(ratios)} weight rows")
    return np.array(nominal)


def read_event_weights(path: str | Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """XWGTUP of every event and its named <rwgt> weights (id -> array), for checks and tests."""
    nominal, named = [], {}
    for event in pylhe.LHEFile.fromfile(str(path)).events:
        nominal.append(event.eventinfo.weight)
        for weight_id, value in event.weights.items():
            named.setdefault(weight_id, []).append(value)
    return np.array(nominal), {key: np.array(values) for key, values in named.items()}


def event_weight_sum(path: str | Path) -> tuple[int, float]:
    """(number of events, sum of |XWGTUP|) of an LHE file, read from each <event> block's first
    line without parsing the particles (the shower's normalisation when it drops events)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    count, total = 0, 0.0
    with opener(path, "rt") as stream:
        header_next = False
        for line in stream:
            if header_next:
                total += abs(float(line.split()[2]))
                count += 1
                header_next = False
            elif line.lstrip().startswith("<event"):
                header_next = True
    return count, total


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
