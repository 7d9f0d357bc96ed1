"""Showered events as HepMC3 (config hepmc), the format Rivet and Delphes read, written with
pyhepmc (the HepMC3 library's Python binding).

``record``: ``full`` keeps Pythia's whole event record with its mother-daughter history (the
system entry 0 dropped, as Pythia's own HepMC3 interface does); ``final`` keeps the two beam
protons and the final-state particles, attached to one vertex. Status codes follow Pythia's
statusHepMC: 1 final, 4 beam, 2 a hadron or lepton that decayed, otherwise |Pythia status|.

Every event carries its weights, named in the run info: ``nominal`` (Pythia's event weight, the
shower file's ``weight``) then the variations (the shower file's ``variation_weight`` names), and
the chunk's cross section (pb, Pythia's estimate after the whole chunk, with its error) with the
accepted and attempted event counts. The run info names the tools and holds the sample, chunk,
seed and settings as attributes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import awkward as ak
import numpy as np

from ..io import atomic_output

RECORDS = ("final", "full")
NOMINAL = "nominal"
BEAM_STATUS = -12


def record_of(path: str) -> str:
    """The record kind of a workflow HepMC3 file, chunk<N>.<record>.hepmc3.gz."""
    record = Path(path).name.split(".")[1]
    if record not in RECORDS:
        raise ValueError(f"{path}: no record kind {RECORDS} in the name (chunk<N>.<record>.hepmc3.gz)")
    return record


def event_columns(batch, record: str) -> dict[str, np.ndarray]:
    """The particles of a nextBatch result that go to HepMC, as flat columns: px, py, pz, e, m,
    pid, status (HepMC), parent1, parent2 (1-based indices into the event's list, 0 = none), the
    production vertex vx, vy, vz, vt (mm) and ``counts``, the particles per event."""
    if record not in RECORDS:
        raise ValueError(f"HepMC record {record!r}: must be one of {RECORDS}")
    prt = batch.prt[:, 1:]  # entry 0 is Pythia's system entry
    status = ak.to_numpy(ak.flatten(prt.status)).astype(np.int32)
    counts = ak.to_numpy(ak.num(prt, axis=1))
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    mother1, mother2 = (
        ak.to_numpy(ak.flatten(prt[name])).astype(np.int64) for name in ("mother1", "mother2")
    )
    daughter1 = ak.to_numpy(ak.flatten(prt.daughter1)).astype(np.int64)
    flat_status = np.abs(status)
    # a decayed particle: negative status and a first daughter made by a decay (status 91-99)
    first_daughter = np.where(daughter1 > 0, offsets + daughter1 - 1, 0)
    decayed = (
        (status < 0)
        & (daughter1 > 0)
        & (flat_status[first_daughter] >= 91)
        & (flat_status[first_daughter] <= 99)
    )
    hepmc_status = np.where(
        status > 0, 1, np.where(status == BEAM_STATUS, 4, np.where(decayed, 2, flat_status))
    )
    # Pythia's mother pairs: (m, 0) one mother, (m1 < m2) a range, (m1 > m2 > 0) two mothers
    parent1 = np.where((mother2 > 0) & (mother2 < mother1), mother2, mother1)
    parent2 = np.where(mother2 == 0, mother1, np.maximum(mother1, mother2))
    p, v = prt.p, prt.vProd
    columns = {
        "px": ak.flatten(p.px),
        "py": ak.flatten(p.py),
        "pz": ak.flatten(p.pz),
        "e": ak.flatten(p.e),
        "m": ak.flatten(prt.m),
        "pid": ak.flatten(prt.id),
        "status": hepmc_status.astype(np.int32),
        "parent1": parent1,
        "parent2": parent2,
        # Pythia gives no production vertex (None) for most particles: the origin
        **{
            f"v{axis}": ak.fill_none(ak.flatten(v[field]), 0.0)
            for axis, field in zip("xyzt", ("px", "py", "pz", "e"), strict=True)
        },
    }
    flat = {name: ak.to_numpy(values) for name, values in columns.items()}
    if record == "final":
        keep = (status > 0) | (status == BEAM_STATUS)
        kept_counts = np.bincount(np.repeat(np.arange(len(counts)), counts)[keep], minlength=len(counts))
        flat = {name: values[keep] for name, values in flat.items()}
        beam = flat["status"] == 4
        flat["parent1"] = np.where(beam, 0, 1)  # the beams are the first two of each event
        flat["parent2"] = np.where(beam, 0, 2)
        flat["vx"] = flat["vy"] = flat["vz"] = flat["vt"] = np.zeros(len(beam))
        counts = kept_counts
    return {**flat, "counts": counts}


def write_hepmc(
    path: str,
    batches: list[dict[str, np.ndarray]],
    weights: np.ndarray,
    variation_names: list[str],
    *,
    record: str,
    sigma_pb: float,
    sigma_err_pb: float,
    n_attempted: int,
    tools: dict[str, str],
    attributes: dict[str, str],
    precision: int = 10,
) -> None:
    """Write the events of ``batches`` (:func:`event_columns` of the same ``record`` kind) with
    their weights (events x (1 + variations), nominal first) to a gzip-compressed HepMC3 file,
    atomically."""
    import pyhepmc

    run = pyhepmc.GenRunInfo()
    run.tools = [pyhepmc.GenRunInfo.ToolInfo(name, version, "") for name, version in tools.items()]
    run.weight_names = [NOMINAL, *variation_names]
    for key, value in attributes.items():
        run.attributes[key] = str(value)
    columns = {name: np.concatenate([b[name] for b in batches]) for name in batches[0]} if batches else {}
    counts = columns.pop("counts", np.zeros(0, dtype=np.int64))
    if weights.shape != (len(counts), 1 + len(variation_names)):
        raise ValueError(
            f"{path}: weights of shape {weights.shape} for {len(counts)} events and {run.weight_names}"
        )
    ends = np.cumsum(counts)
    # gzip level 1: 3 times faster than level 6 for 15 % more bytes (bench/detector_cost.py)
    with atomic_output(path) as tmp, gzip.open(tmp, "wb", compresslevel=1) as handle:
        with pyhepmc.open(handle, "w", precision=precision) as out:
            for number, (first, last) in enumerate(zip(ends - counts, ends, strict=True)):
                particles = {name: values[first:last] for name, values in columns.items()}
                event = (
                    build_final(pyhepmc, particles) if record == "final" else build_event(pyhepmc, particles)
                )
                event.event_number = number
                event.run_info = run
                event.weights = [float(w) for w in weights[number]]
                cross_section = pyhepmc.GenCrossSection()
                cross_section.set_cross_section(sigma_pb, sigma_err_pb, len(counts), n_attempted)
                event.cross_section = cross_section
                out.write(event)


def vertices(parent1: np.ndarray, parent2: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """The event's vertices as (incoming, outgoing) 0-based particle indices, in an order where
    every incoming particle is produced by an earlier vertex or is a beam (HepMC3's ASCII reader
    needs it; Pythia's record lists ISR initiators before their mothers). A particle's production
    vertex is its first parent's decay vertex, as in Pythia's own HepMC3 interface."""
    end_vertex: dict[int, int] = {}
    incoming: list[list[int]] = []
    outgoing: list[list[int]] = []
    for i, (low, high) in enumerate(zip(parent1.tolist(), parent2.tolist(), strict=True)):
        if low == 0:
            continue
        parents = range(low - 1, high) if high > low else [low - 1]
        vertex = end_vertex.get(parents[0])
        if vertex is None:
            vertex = len(incoming)
            incoming.append([p for p in parents if p not in end_vertex])
            outgoing.append([])
            for p in incoming[vertex]:
                end_vertex[p] = vertex
        outgoing[vertex].append(i)
    produced_by = {i: v for v, out in enumerate(outgoing) for i in out}
    order, done = [], set()

    def visit(vertex: int, path: set) -> None:  # depth-first: producers of the inputs first
        if vertex in done or vertex in path:
            return
        path.add(vertex)
        for p in incoming[vertex]:
            if p in produced_by:
                visit(produced_by[p], path)
        done.add(vertex)
        order.append(vertex)

    for vertex in range(len(incoming)):
        visit(vertex, set())
    return [(incoming[v], outgoing[v]) for v in order]


def build_final(pyhepmc, columns: dict[str, np.ndarray]):
    """One GenEvent of a final-state record (beams, then the final state from one vertex) from
    :func:`event_columns` columns, by HepMC3's own HEPEVT conversion (5 times faster than
    :func:`build_event`)."""
    event = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.MM)
    event.from_hepevt(
        0,
        *(columns[name].astype(np.float64) for name in ("px", "py", "pz", "e", "m")),
        *(columns[name].astype(np.int32) for name in ("pid", "status")),
        parents=np.column_stack([columns["parent1"], columns["parent2"]]).astype(np.int32),
        fortran=True,
    )
    event.set_units(pyhepmc.Units.GEV, pyhepmc.Units.MM)  # Pythia's units: nothing is converted
    return event


def build_event(pyhepmc, columns: dict[str, np.ndarray]):
    """One GenEvent from :func:`event_columns` columns of one event (GeV, mm), vertex by vertex:
    Pythia's full record is not in an order HepMC3's HEPEVT conversion writes readably."""
    event = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.MM)
    momenta = np.column_stack([columns[name] for name in ("px", "py", "pz", "e")]).tolist()
    particles = [
        pyhepmc.GenParticle(pyhepmc.FourVector(*p), int(pid), int(status))
        for p, pid, status in zip(momenta, columns["pid"].tolist(), columns["status"].tolist(), strict=True)
    ]
    for particle, mass in zip(particles, columns["m"].tolist(), strict=True):
        particle.generated_mass = mass
    for i in np.flatnonzero(columns["parent1"] == 0):
        event.add_particle(particles[i])
    position = np.column_stack([columns[f"v{axis}"] for axis in "xyzt"])
    for into, out in vertices(columns["parent1"], columns["parent2"]):
        vertex = pyhepmc.GenVertex(pyhepmc.FourVector(*position[out[0]].tolist()))
        for i in into:
            vertex.add_particle_in(particles[i])
        for i in out:
            vertex.add_particle_out(particles[i])
        event.add_vertex(vertex)
    return event


def read_hepmc(path: str) -> list:
    """Every event of a HepMC file (pyhepmc GenEvents), for the tests and for inspection."""
    import pyhepmc

    with pyhepmc.open(path) as handle:
        return list(handle)
