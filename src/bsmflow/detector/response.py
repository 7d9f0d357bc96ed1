"""The detector response applied to one chunk's particle-level objects (rule detector_response).

Each lepton (by flavour) and jet is kept with the product of its card's efficiency factors and
its four-momentum is scaled by energy_scale x (1 + (sigma/X) z), z ~ N(0, 1), with the card's
formulas evaluated at the particle-level pT, eta and energy. The smeared objects must pass the
configured object cuts again (pT > pt_min; eta is not smeared), and are re-ordered in pT.

The random numbers are drawn for every object whatever the card says (one uniform number and one
Gaussian per object, from streams seeded by the job's seed), so two cards applied to the same
chunk with the same seed differ only by what the cards change. Objects below the particle-level
pT cut cannot migrate into the detector-level selection (they are not in the input): a small
deficit within about one resolution of the threshold (docs/detector.md).
"""

from __future__ import annotations

import json
import logging

import awkward as ak
import numpy as np

from ..conventions import OBJECTS_TREE, VARIATION_BRANCH
from ..io import atomic_output
from ..rootio import read_metadata, read_tree
from ..stage import Stage
from .card import DetectorCard, Response, load_card

log = logging.getLogger(__name__)
LEPTON_RESPONSES = {11: "electron", 13: "muon"}
_STREAMS = {"lepton": 0, "jet": 1}


def random_streams(seed: int, kind: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(uniform, gaussian) numbers for ``n`` objects of ``kind`` (lepton, jet) from ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_STREAMS[kind],)))
    return rng.random(n), rng.standard_normal(n)


def response_factors(response: Response, pt, eta, energy, uniform, gaussian) -> tuple[np.ndarray, np.ndarray]:
    """(kept, momentum factor) of flat objects under one response."""
    efficiency = np.ones_like(pt)
    for formula in response.efficiency.values():
        efficiency = efficiency * formula(pt, eta, energy)
    factor = np.ones_like(pt)
    if response.energy_scale is not None:
        factor = factor * response.energy_scale(pt, eta, energy)
    if response.resolution is not None:
        factor = factor * (1.0 + response.resolution(pt, eta, energy) * gaussian)
    return uniform < efficiency, factor


def apply_response(
    objects: ak.Array, responses: dict[str, Response] | Response, definition: dict, seed: int, kind: str
) -> ak.Array:
    """Detector-level objects (same fields, pT-ordered) of jagged particle-level ones.

    ``responses``: one Response (jets) or flavour name -> Response (leptons, chosen by |pid|).
    ``definition``: the configured object cuts (pt_min is applied again to smeared objects).
    """
    counts = ak.to_numpy(ak.num(objects, axis=1))
    flat = {name: ak.to_numpy(ak.flatten(objects[name])) for name in objects.fields}
    pt, eta, mass = (flat[name].astype(np.float64) for name in ("pt", "eta", "mass"))
    energy = np.sqrt((pt * np.cosh(eta)) ** 2 + mass**2)
    uniform, gaussian = random_streams(seed, kind, len(pt))
    kept, factor = np.ones(len(pt), bool), np.ones(len(pt))
    if isinstance(responses, Response):
        kept, factor = response_factors(responses, pt, eta, energy, uniform, gaussian)
    else:
        abs_pid = np.abs(flat["pid"])
        unknown = {int(pid) for pid in np.unique(abs_pid)} - set(LEPTON_RESPONSES)
        if unknown:
            raise ValueError(f"leptons with |pid| {sorted(unknown)} have no detector response")
        for pid, name in LEPTON_RESPONSES.items():
            this = abs_pid == pid
            kept[this], factor[this] = response_factors(
                responses[name], pt[this], eta[this], energy[this], uniform[this], gaussian[this]
            )
    smeared_pt = pt * factor
    # an unchanged object passed the particle-level cut already (its stored float32 pT may sit
    # on the threshold); a changed one must pass it at its new pT
    kept &= (factor > 0) & ((factor == 1.0) | (smeared_pt > definition["pt_min"]))
    flat["pt"], flat["mass"] = smeared_pt, mass * factor
    event = np.repeat(np.arange(len(counts)), counts)[kept]
    order = np.lexsort((-flat["pt"][kept], event))
    columns = {name: values[kept][order] for name, values in flat.items()}
    return ak.unflatten(ak.zip(columns), np.bincount(event, minlength=len(counts)))


def detector_chunk(objects_root: str, card_file: str, output_root: str, *, seed: int, objects: dict) -> dict:
    """Apply the detector card ``card_file`` to one chunk's objects (tree ``objects``) and write
    the detector-level objects in the same layout, weights and variation weights unchanged."""
    import uproot

    from ..cluster.jets import float32_records

    stage = Stage("detector", seed, {"objects": objects_root, "card": card_file})
    card: DetectorCard = load_card(card_file)
    names = read_metadata(objects_root).get("variations") or []
    branches = ["lepton", "jet", "weight"] + ([VARIATION_BRANCH] if names else [])
    events, metadata = read_tree(objects_root, OBJECTS_TREE, branches)
    leptons = apply_response(events["lepton"], card.responses, objects["leptons"], seed, "lepton")
    jets = apply_response(events["jet"], card.responses["jet"], objects["jets"], seed, "jet")
    counts = {
        "leptons_in": int(ak.sum(ak.num(events["lepton"]))),
        "leptons_out": int(ak.sum(ak.num(leptons))),
        "jets_in": int(ak.sum(ak.num(events["jet"]))),
        "jets_out": int(ak.sum(ak.num(jets))),
    }
    record = stage.record(
        n_events=len(events),
        detector=card.name,
        objects=counts,
        shower=metadata.get("shower", {}),
        particle_level=metadata,
        variations=names,
    )
    log.info("%s: detector card %s, %s, %.1f s", objects_root, card.name, counts, record["wall_time_s"])
    columns = {
        "lepton": float32_records(leptons),
        "jet": float32_records(jets),
        "weight": ak.to_numpy(events["weight"]),
    }
    if names:
        columns[VARIATION_BRANCH] = ak.to_numpy(events[VARIATION_BRANCH])
    with atomic_output(output_root) as tmp:
        with uproot.recreate(tmp, compression=uproot.LZ4(1)) as out:
            out[OBJECTS_TREE] = columns
            out["metadata"] = json.dumps(record, sort_keys=True)
    return record
