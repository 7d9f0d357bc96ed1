"""Jet clustering with FastJet's vectorized awkward interface, per chunk (rule fastjet_cluster).

Reads the shower stage's particles, selects dressed isolated leptons, clusters the remaining
visible particles and writes leptons and jets per event to a ROOT file (one row per event).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import awkward as ak
import numpy as np

from ..conventions import OBJECTS_TREE, SHOWER_TREE, VARIATION_BRANCH
from ..io import atomic_output
from ..rootio import read_tree, read_variations
from ..stage import Stage
from .objects import (
    LEPTON_FIELDS,
    Flat,
    LeptonDefinition,
    select_leptons_flat,
    visible_particles,
    with_kinematics,
)

ALGORITHMS = {"antikt": "antikt_algorithm", "kt": "kt_algorithm", "cambridge": "cambridge_algorithm"}
# events clustered per batch: bounds the memory of the pairwise lepton-particle arrays whatever
# the chunk size
CLUSTER_BATCH = 2000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JetDefinition:
    """Jet algorithm, radius R, and the pT (GeV) and |eta| cuts on the clustered jets."""

    algorithm: str
    radius: float
    pt_min: float
    eta_max: float


def cluster_jets(inputs: Flat, definition: JetDefinition) -> ak.Array:
    """Inclusive jets of each event (pT-ordered records with px, py, pz, E, pt, eta, phi, mass)
    with pT > pt_min and |eta| < eta_max."""
    import fastjet

    momenta = inputs.to_awkward(("px", "py", "pz", "E"), with_name="Momentum4D")
    jet_def = fastjet.JetDefinition(getattr(fastjet, ALGORITHMS[definition.algorithm]), definition.radius)
    sequence = fastjet.ClusterSequence(momenta, jet_def)
    jets = with_kinematics(sequence.inclusive_jets(min_pt=definition.pt_min))
    # FastJet keeps pT >= min_pt; the definition is pT > pt_min, as for leptons
    jets = jets[(jets.pt > definition.pt_min) & (np.abs(jets.eta) < definition.eta_max)]
    return jets[ak.argsort(jets.pt, axis=1, ascending=False)]


def reconstruct_objects(raw: ak.Array, leptons: LeptonDefinition, jets: JetDefinition) -> dict:
    """Leptons and jets per event from final-state particles (columns px, py, pz, E, pid, charge)."""
    particles = visible_particles(raw)
    selected, jet_inputs = select_leptons_flat(particles, leptons)
    jet_list = cluster_jets(particles.take(jet_inputs), jets)
    return {
        "lepton": selected.to_awkward(LEPTON_FIELDS),
        "jet": ak.zip({"pt": jet_list.pt, "eta": jet_list.eta, "phi": jet_list.phi, "mass": jet_list.mass}),
    }


def cluster_chunk(
    particles_root: str, output_root: str, *, leptons: dict, jets: dict, batch_size: int = CLUSTER_BATCH
) -> dict:
    """Run :func:`reconstruct_objects` on one shower chunk and write tree ``objects``.

    Events are processed ``batch_size`` at a time: the pairwise lepton-particle arrays then
    need a fixed amount of memory whatever the chunk size.
    """
    import uproot

    stage = Stage("cluster", None, {"particles": particles_root}, {"fastjet": _fastjet_version()})
    events, metadata = read_tree(particles_root, SHOWER_TREE, ["particle", "weight"])
    lepton_def, jet_def = LeptonDefinition(**leptons), JetDefinition(**jets)
    batches = [
        reconstruct_objects(events["particle"][first : first + batch_size], lepton_def, jet_def)
        for first in range(0, len(events), batch_size)
    ]
    objects = {name: ak.concatenate([batch[name] for batch in batches]) for name in ("lepton", "jet")}
    names = metadata.get("variations") or []
    variations = read_variations(particles_root, "events", names)
    record = stage.record(n_events=len(events), leptons=leptons, jets=jets, shower=metadata, variations=names)
    log.info("%s: %d events clustered in %.1f s", particles_root, len(events), record["wall_time_s"])
    with atomic_output(output_root) as tmp:
        with uproot.recreate(tmp, compression=uproot.LZ4(1)) as out:
            columns = {
                "lepton": float32_records(objects["lepton"]),
                "jet": float32_records(objects["jet"]),
                "weight": ak.to_numpy(events["weight"]),
            }
            if names:
                columns[VARIATION_BRANCH] = np.column_stack([variations[n] for n in names])
            out[OBJECTS_TREE] = columns
            out["metadata"] = json.dumps(record, sort_keys=True)
    return record


def float32_records(records: ak.Array) -> ak.Array:
    fields = {}
    for name in records.fields:
        column = records[name]
        fields[name] = ak.values_astype(column, np.int32 if name == "pid" else np.float32)
    return ak.zip(fields)


def _fastjet_version() -> str:
    import fastjet

    return getattr(fastjet, "__version__", "unknown")
