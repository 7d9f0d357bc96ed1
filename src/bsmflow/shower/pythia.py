"""Shower and hadronization of LHE events with Pythia 8 (rule pythia_shower); the final state is
written as a ROOT TTree."""

from __future__ import annotations

import json
import logging

import awkward as ak
import numpy as np

from ..cards import apply_settings, read_pythia_card
from ..generate.lhe import check_lhe
from ..io import atomic_output
from ..stage import Stage

MB_TO_PB = 1e9
TREE = "events"
log = logging.getLogger(__name__)


def lhe_input_settings(lhe_path: str, seed: int) -> list[str]:
    """Settings that make Pythia read an LHE file (Beams:frameType = 4) with this job's seed."""
    return [
        "Beams:frameType = 4",
        f"Beams:LHEF = {lhe_path}",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Next:numberShowEvent = 0",
        "Next:numberShowProcess = 0",
        "Next:numberShowInfo = 0",
        "Next:numberShowLHA = 0",
    ]


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


def shower_lhe(
    lhe: str,
    card: str,
    output_root: str,
    *,
    sample: str,
    chunk: int,
    seed: int,
    batch_size: int = 200,
) -> dict:
    """Shower every event of one LHE chunk and write its final state to ``output_root``.

    Tree ``events``: jagged branches particle_{px,py,pz,E,pid,charge} and the event weight
    (Pythia's, 1 for unweighted LHE input). A TObjString ``metadata`` holds the settings, seed
    and the LHE cross section. Progress lines (events done, rate) go to the logger.
    """
    import pythia8mc
    import uproot

    stage = Stage("shower", seed, {"lhe": lhe, "card": card})
    n_lhe = check_lhe(lhe)
    pythia = pythia8mc.Pythia("", False)
    settings = lhe_input_settings(lhe, seed)
    apply_settings(pythia, settings, "shower defaults")
    card_settings = read_pythia_card(card)
    apply_settings(pythia, card_settings, card)
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise on {lhe} (card {card})")

    batches, weights = [], []
    done = 0
    while done < n_lhe:
        batch = pythia.nextBatch(min(batch_size, n_lhe - done), "skip")
        if len(batch) == 0:
            break
        batches.append(final_state(batch, pythia.particleData))
        weights.append(ak.to_numpy(ak.firsts(batch.info.weights)).astype(np.float64))
        done += len(batch)
        rate = done / stage.elapsed()
        log.info("%s chunk %d: %d/%d events showered, %.1f ev/s", sample, chunk, done, n_lhe, rate)
    if done < n_lhe:
        raise RuntimeError(f"{lhe}: Pythia showered {done} of {n_lhe} events; see the log above")
    info = pythia.infoPython()
    stage.tools["pythia"] = f"{pythia.parm('Pythia:versionNumber'):.3f}"
    metadata = stage.record(
        sample=sample,
        chunk=chunk,
        n_events=done,
        lhe_sigma_pb=info.sigmaGen() * MB_TO_PB,
        settings=settings + card_settings,
    )
    particles = ak.concatenate(batches)
    with atomic_output(output_root) as tmp:
        with uproot.recreate(tmp, compression=uproot.LZ4(1)) as out:
            out[TREE] = {"particle": particles, "weight": np.concatenate(weights)}
            out["metadata"] = json.dumps(metadata, sort_keys=True)
    return metadata
