"""Particle-level object definitions: dressed, isolated leptons and jet inputs (columnar).

All functions take jagged awkward arrays of particles with px, py, pz, E (GeV), pid and
charge and contain no I/O. Angles in radians; dR = sqrt(d_eta^2 + d_phi^2) with eta the
pseudorapidity. pT, eta and phi are computed once per particle (:func:`with_kinematics`) and
reused by every pairwise distance, which is what keeps this stage fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import awkward as ak
import numpy as np

NEUTRINOS = (12, 14, 16)
PHOTON = 22
LEPTON_FLAVOURS = (11, 13)
# Bare leptons below this pT are not dressing seeds: reaching a 50 GeV dressed pT would need a
# collinear photon carrying > 90% of the momentum, which is a photon, not a lepton.
LEPTON_SEED_PT_MIN = 5.0


@dataclass(frozen=True)
class LeptonDefinition:
    """Dressed, isolated e/mu: pT and |eta| cuts on the dressed momentum (GeV, radians)."""

    pt_min: float = 50.0
    eta_max: float = 2.5
    dressing_dr: float = 0.1
    isolation_dr: float = 0.3
    isolation_max: float = 0.15


def jagged_kinematics(px: ak.Array, py: ak.Array, pz: ak.Array, energy: ak.Array) -> dict[str, ak.Array]:
    """:func:`kinematics` of equally-jagged momentum components, computed on the flat content."""
    counts = ak.num(px, axis=1)
    flat = [ak.to_numpy(ak.flatten(column)).astype(np.float64) for column in (px, py, pz, energy)]
    return {name: ak.unflatten(values, counts) for name, values in kinematics(*flat).items()}


def kinematics(px: np.ndarray, py: np.ndarray, pz: np.ndarray, energy: np.ndarray) -> dict:
    """pT, pseudorapidity eta, azimuth phi and mass (GeV, radians) from four-momenta (numpy)."""
    pt = np.hypot(px, py)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.where(pt > 0, np.arcsinh(pz / pt), np.sign(pz) * np.inf)
    mass = np.sqrt(np.maximum(energy**2 - px**2 - py**2 - pz**2, 0.0))
    return {"pt": pt, "eta": eta, "phi": np.arctan2(py, px), "mass": mass}


def with_kinematics(particles: ak.Array) -> ak.Array:
    """Records with px, py, pz, E (and any other fields) plus pt, eta, phi, mass and
    ``index`` = position in the event.

    Apply after any filtering (e.g. :func:`visible`): the object code uses ``index`` to refer
    back to positions in exactly this array.
    """
    fields = {name: particles[name] for name in particles.fields}
    fields.update(jagged_kinematics(particles.px, particles.py, particles.pz, particles.E))
    fields["index"] = ak.local_index(particles.px, axis=1)
    return ak.zip(fields)


def delta_r(a: ak.Array, b: ak.Array) -> ak.Array:
    """dR = sqrt(d_eta^2 + d_phi^2) of records with eta and phi, d_phi wrapped into [-pi, pi)."""
    dphi = (a.phi - b.phi + np.pi) % (2 * np.pi) - np.pi
    return np.sqrt((a.eta - b.eta) ** 2 + dphi**2)


def pid_in(pid: ak.Array, ids: tuple[int, ...]) -> ak.Array:
    """Jagged mask: |pid| is one of ``ids`` (np.isin does not take jagged arrays)."""
    abs_pid = np.abs(pid)
    mask = abs_pid == ids[0]
    for other in ids[1:]:
        mask = mask | (abs_pid == other)
    return mask


def visible(particles: ak.Array) -> ak.Array:
    """Final-state particles a detector sees: everything but neutrinos."""
    return particles[~pid_in(particles.pid, NEUTRINOS)]


def dress_leptons(particles: ak.Array, cone: float) -> tuple[ak.Array, ak.Array]:
    """Dressed e/mu candidates and, per particle, the index of the candidate it belongs to.

    Each photon within ``cone`` of at least one bare lepton is added to the nearest one. Returns
    (dressed leptons with px, py, pz, E, pt, eta, phi, mass, pid, charge, index = the bare
    lepton's position in ``particles``) and an ``owner`` array aligned with ``particles``: the
    owning lepton's particle index for the lepton itself and its dressing photons, -1 otherwise.
    """
    bare = particles[pid_in(particles.pid, LEPTON_FLAVOURS) & (particles.pt > LEPTON_SEED_PT_MIN)]
    photons = particles[particles.pid == PHOTON]

    pairs = ak.cartesian([photons, bare], nested=True)  # per photon, one entry per bare lepton
    distance = delta_r(pairs["0"], pairs["1"])
    nearest = ak.argmin(distance, axis=2, keepdims=True)
    nearest_distance = ak.flatten(distance[nearest], axis=2)
    nearest_lepton = ak.flatten(pairs["1"].index[nearest], axis=2)
    attached = ak.fill_none(nearest_distance < cone, False)
    photon_owner = ak.where(attached, ak.fill_none(nearest_lepton, -1), -1)

    dressing = ak.with_field(photons[attached], photon_owner[attached], "owner")
    per_lepton = ak.cartesian([bare, dressing], nested=True)
    added = per_lepton["1"][per_lepton["1"].owner == per_lepton["0"].index]
    momentum = {name: bare[name] + ak.sum(added[name], axis=2) for name in ("px", "py", "pz", "E")}
    derived = jagged_kinematics(*momentum.values())
    dressed = ak.zip({**momentum, **derived, "pid": bare.pid, "charge": bare.charge, "index": bare.index})
    owner = ak.full_like(particles.pid, -1)
    owner = _scatter(owner, bare.index, bare.index)
    owner = _scatter(owner, photons.index, photon_owner)
    return dressed, owner


def _scatter(target: ak.Array, positions: ak.Array, values: ak.Array) -> ak.Array:
    """target[event][positions] = values, per event, without a Python loop over events."""
    counts = ak.num(target, axis=1)
    offsets = np.concatenate([[0], np.cumsum(ak.to_numpy(counts))])[:-1]
    flat = ak.to_numpy(ak.flatten(target)).copy()
    flat_positions = ak.to_numpy(ak.flatten(positions + offsets))
    flat[flat_positions] = ak.to_numpy(ak.flatten(values))
    return ak.unflatten(flat, counts)


def isolation(leptons: ak.Array, particles: ak.Array, owner: ak.Array, cone: float) -> ak.Array:
    """Scalar sum of pT (GeV) of visible particles within ``cone`` of each dressed lepton,
    not counting the lepton itself and its own dressing photons."""
    pairs = ak.cartesian([leptons, ak.with_field(particles, owner, "owner")], nested=True)
    lepton, other = pairs["0"], pairs["1"]
    near = (delta_r(lepton, other) < cone) & (other.owner != lepton.index)
    return ak.sum(ak.where(near, other.pt, 0.0), axis=2)


def select_leptons(particles: ak.Array, definition: LeptonDefinition) -> tuple[ak.Array, ak.Array]:
    """Selected leptons (pT-ordered) and the jet-input mask over ``particles``.

    ``particles``: the visible final state as returned by ``with_kinematics(visible(...))``.
    The jet-input mask removes the selected leptons and their dressing photons; leptons failing
    the selection stay in the jet inputs. Isolation is computed only for dressed leptons that
    pass the pT and |eta| cuts.
    """
    dressed, owner = dress_leptons(particles, definition.dressing_dr)
    dressed = dressed[(dressed.pt > definition.pt_min) & (np.abs(dressed.eta) < definition.eta_max)]
    iso = isolation(dressed, particles, owner, definition.isolation_dr)
    selected = dressed[iso < definition.isolation_max * dressed.pt]
    selected = selected[ak.argsort(selected.pt, axis=1, ascending=False)]
    owned = ak.cartesian([owner, selected.index], nested=True)
    removed = ak.any(owned["0"] == owned["1"], axis=2)
    return selected, ~removed
