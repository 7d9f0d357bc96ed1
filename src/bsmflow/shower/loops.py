"""The shower loops of one LHE chunk: Pythia's batches turned into final-state particles and
event weights, unmatched (in batches, optionally with shower sampling) or MLM-matched (one event at
a time, with the differential jet rates)."""

from __future__ import annotations

import logging

import awkward as ak
import numpy as np

from ..stage import Stage
from .hepmc import event_columns

N_DJR = 3  # differential jet rates kept per matched event: d(0->1), d(1->2), d(2->3)
log = logging.getLogger(__name__)


def charges_of(pids: np.ndarray, particle_data) -> np.ndarray:
    """Electric charge (units of e) for an array of PDG ids, looked up once per distinct id."""
    unique, inverse = np.unique(pids, return_inverse=True)
    table = np.array([particle_data.charge(int(pid)) for pid in unique], dtype=np.float32)
    return table[inverse]


def final_state(batch, particle_data) -> ak.Array:
    """Final-state particles (status > 0) of a nextBatch result as a jagged record array.

    Fields: px, py, pz, E in GeV (float32), pid, charge (units of e, float32). Neutrinos and
    other invisible particles are kept; the cluster stage decides what is visible.
    """
    particles = batch.prt[batch.prt.status > 0]
    counts = ak.num(particles, axis=1)
    flat = ak.flatten(particles)
    pid = ak.to_numpy(flat.id).astype(np.int32)
    momentum = flat.p
    columns = {
        "px": ak.to_numpy(momentum.px).astype(np.float32),
        "py": ak.to_numpy(momentum.py).astype(np.float32),
        "pz": ak.to_numpy(momentum.pz).astype(np.float32),
        "E": ak.to_numpy(momentum.e).astype(np.float32),
        "pid": pid,
        "charge": charges_of(pid, particle_data),
    }
    return ak.unflatten(ak.zip(columns), counts)


def event_weights(batch) -> np.ndarray:
    """(events, weights) of a nextBatch result: Pythia's nominal weight first, then every
    variation in the order of Info::weightNameVector."""
    return np.asarray(ak.to_numpy(batch.info.weights), dtype=np.float64)


def weight_names(pythia, weights: np.ndarray, names: list[str] | None = None) -> list[str]:
    """The names of the weight columns, read right after a batch (or ``names`` taken while an
    event was loaded): at the end of the file Pythia has dropped the LHE weights of the last
    event read (a vetoed or missing one)."""
    names = names or list(pythia.infoPython().weightNameVector())
    if weights.shape[1] != len(names):
        raise RuntimeError(f"Pythia gave {weights.shape[1]} weights per event for the names {names}")
    return names


def shower_all(
    pythia,
    n_lhe: int,
    batch_size: int,
    stage: Stage,
    sample: str,
    chunk: int,
    hepmc: str | None,
    sampler=None,
):
    """Every LHE event showered, in batches: (final states, weights) per batch, the names of the
    weight columns and, with ``hepmc`` (a record kind), the particles HepMC gets per batch. With
    a ``sampler`` (:func:`bsmflow.shower.sampling.make_hook`) Pythia drops events inside the
    shower: batches run until the file ends and each kept event's weights get its factor."""
    batches, weights, names, records = [], [], [], []
    done = read = 0
    while read < n_lhe:
        batch = pythia.nextBatch(batch_size if sampler else min(batch_size, n_lhe - done), "skip")
        if len(batch) == 0:
            break
        batches.append(final_state(batch, pythia.particleData))
        weights.append(event_weights(batch))
        names = names or weight_names(pythia, weights[-1], sampler.weight_names if sampler else None)
        if sampler is not None:
            weights[-1] *= sampling_factors(batch, sampler)[:, None]
        if hepmc is not None:
            records.append(event_columns(batch, hepmc))
        done += len(batch)
        read = pythia.infoPython().nTried() if sampler else done
        rate = read / stage.elapsed()
        log.info(
            "%s chunk %d: %d/%d events showered, %d kept, %.1f ev/s", sample, chunk, read, n_lhe, done, rate
        )
    return batches, weights, names, records


def sampling_factors(batch, sampler) -> np.ndarray:
    """The shower-sampling weight factor of each event of a batch, by its hard process (the
    incoming partons' pz, entries 3 and 4 of the event record: :func:`..sampling.hard_key`)."""
    keys = zip(ak.to_numpy(batch.prt.p.pz[:, 3]), ak.to_numpy(batch.prt.p.pz[:, 4]), strict=True)
    return np.array([sampler.factors.pop(key) for key in keys], dtype=np.float64)


def shower_matched(
    pythia, hook, n_lhe: int, stage: Stage, sample: str, chunk: int, hepmc: str | None, sampler=None
):
    """MLM-matched showering, one event at a time (the hook's DJR belong to the last event):
    (final states, weights, weight names, {djr01, djr12, djr23, n_me_partons}, HepMC particles)
    of the accepted events (HepMC particles only with ``hepmc``, a record kind). With a
    ``sampler`` the events it drops never reach the matching and each kept one gets its factor."""
    batches, weights, djr, partons, names, records = [], [], [], [], [], []
    while pythia.infoPython().nTried() < n_lhe:
        batch = pythia.nextBatch(1, "skip")  # Pythia reads on past vetoed events
        if len(batch) == 0:
            break
        batches.append(final_state(batch, pythia.particleData))
        weights.append(event_weights(batch))
        names = names or weight_names(pythia, weights[-1], sampler.weight_names if sampler else None)
        if sampler is not None:
            weights[-1] *= sampling_factors(batch, sampler)[:, None]
        if hepmc is not None:
            records.append(event_columns(batch, hepmc))
        rates = list(hook.getDJR())[:N_DJR]
        djr.append(rates + [np.nan] * (N_DJR - len(rates)))
        partons.append(hook.nMEpartons()[0])
        if len(batches) % 200 == 0:
            log.info(
                "%s chunk %d: %d LHE events read, %d accepted by the matching, %.1f ev/s",
                sample,
                chunk,
                pythia.infoPython().nTried(),
                len(batches),
                pythia.infoPython().nTried() / stage.elapsed(),
            )
    rates = np.array(djr, dtype=np.float64).reshape(-1, N_DJR)
    extra = {f"djr{i}{i + 1}": rates[:, i] for i in range(N_DJR)}
    extra["n_me_partons"] = np.array(partons, dtype=np.int32)
    return batches, weights, names, extra, records
