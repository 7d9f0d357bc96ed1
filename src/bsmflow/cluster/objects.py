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

    pt_min: float
    eta_max: float
    dressing_dr: float
    isolation_dr: float
    isolation_max: float


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
    """Records with px, py, pz, E (and any other fields) plus pt, eta, phi and mass."""
    fields = {name: particles[name] for name in particles.fields}
    fields.update(jagged_kinematics(particles.px, particles.py, particles.pz, particles.E))
    return ak.zip(fields)


def same_event_pairs(counts_a: np.ndarray, counts_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices (ia, ib) of every pair of an object of list a and one of list b in the same
    event, given the per-event counts of both (the flat arrays of ak.flatten)."""
    n_pairs = counts_a * counts_b
    event = np.repeat(np.arange(len(n_pairs)), n_pairs)
    local = np.arange(n_pairs.sum()) - np.repeat(np.cumsum(n_pairs) - n_pairs, n_pairs)
    first_a, first_b = np.cumsum(counts_a) - counts_a, np.cumsum(counts_b) - counts_b
    return first_a[event] + local // counts_b[event], first_b[event] + local % counts_b[event]


@dataclass(frozen=True)
class Flat:
    """Flat numpy columns of a jagged event array, in event order, with each entry's event."""

    columns: dict[str, np.ndarray]
    event: np.ndarray
    n_events: int

    def with_columns(self, **columns: np.ndarray) -> Flat:
        return Flat({**self.columns, **columns}, self.event, self.n_events)

    @classmethod
    def of(cls, array: ak.Array, fields: tuple[str, ...]) -> Flat:
        counts = ak.to_numpy(ak.num(array, axis=1))
        columns = {name: ak.to_numpy(ak.flatten(array[name])) for name in fields}
        return cls(columns, np.repeat(np.arange(len(counts)), counts), len(counts))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def take(self, selection: np.ndarray) -> Flat:
        return Flat({k: v[selection] for k, v in self.columns.items()}, self.event[selection], self.n_events)

    def counts(self) -> np.ndarray:
        return np.bincount(self.event, minlength=self.n_events)

    def to_awkward(self, fields: tuple[str, ...], with_name: str | None = None) -> ak.Array:
        records = ak.zip({name: self.columns[name] for name in fields}, with_name=with_name)
        return ak.unflatten(records, self.counts())


def _delta_r(eta1, phi1, eta2, phi2) -> np.ndarray:
    dphi = (phi1 - phi2 + np.pi) % (2 * np.pi) - np.pi
    return np.sqrt((eta1 - eta2) ** 2 + dphi**2)


def dress_leptons(particles: Flat, cone: float, eta_max: float = np.inf) -> tuple[Flat, np.ndarray]:
    """Dressed e/mu candidates and, per particle, the flat position of the lepton it belongs to.

    Each photon within ``cone`` of at least one bare lepton is added to the nearest one. Returns
    the dressed leptons (px, py, pz, E, pt, eta, phi, mass, pid, charge and ``position``, the
    bare lepton's flat position in ``particles``) and ``owner`` aligned with ``particles``: the
    owning lepton's position for the lepton itself and its dressing photons, -1 otherwise.

    ``eta_max``: only leptons that can end up with dressed |eta| < eta_max are needed. Dressing
    moves a lepton by less than ``cone``, its photons lie within ``cone`` of it and a competing
    lepton within ``cone`` of those photons, so seeds with |eta| < eta_max + 3 cone and photons
    with |eta| < eta_max + 2 cone give exactly the same dressed leptons inside eta_max.
    """
    abs_pid, abs_eta = np.abs(particles["pid"]), np.abs(particles["eta"])
    is_lepton = np.isin(abs_pid, LEPTON_FLAVOURS)
    bare_at = np.flatnonzero(
        is_lepton & (particles["pt"] > LEPTON_SEED_PT_MIN) & (abs_eta < eta_max + 3 * cone)
    )
    photon_at = np.flatnonzero((abs_pid == PHOTON) & (abs_eta < eta_max + 2 * cone))
    bare, photons = particles.take(bare_at), particles.take(photon_at)
    i_bare, i_photon = same_event_pairs(bare.counts(), photons.counts())
    distance = _delta_r(
        bare["eta"][i_bare], bare["phi"][i_bare], photons["eta"][i_photon], photons["phi"][i_photon]
    )
    close = distance < cone
    i_bare, i_photon, distance = i_bare[close], i_photon[close], distance[close]
    order = np.lexsort((distance, i_photon))  # per photon, nearest lepton first
    nearest = order[np.unique(i_photon[order], return_index=True)[1]]
    i_bare, i_photon = i_bare[nearest], i_photon[nearest]

    momentum = {
        name: bare[name].astype(np.float64)
        + np.bincount(i_bare, weights=photons[name][i_photon], minlength=len(bare_at))
        for name in ("px", "py", "pz", "E")
    }
    columns = {
        **momentum,
        **kinematics(*momentum.values()),
        "pid": bare["pid"],
        "charge": bare["charge"],
        "position": bare_at,
    }
    owner = np.full(len(particles.event), -1, dtype=np.int64)
    owner[bare_at] = bare_at
    owner[photon_at[i_photon]] = bare_at[i_bare]
    return Flat(columns, bare.event, particles.n_events), owner


def isolation(leptons: Flat, particles: Flat, owner: np.ndarray, cone: float) -> np.ndarray:
    """Scalar sum of pT (GeV) of visible particles within ``cone`` of each dressed lepton,
    not counting the lepton itself and its own dressing photons."""
    # particles farther than the cone in eta from every lepton of their event cannot contribute
    reach = np.full(particles.n_events, -np.inf)
    np.maximum.at(reach, leptons.event, np.abs(leptons["eta"]))
    nearby_at = np.flatnonzero(np.abs(particles["eta"]) < reach[particles.event] + cone)
    nearby = particles.take(nearby_at)
    i_lepton, i_particle = same_event_pairs(leptons.counts(), nearby.counts())
    distance = _delta_r(
        leptons["eta"][i_lepton],
        leptons["phi"][i_lepton],
        nearby["eta"][i_particle],
        nearby["phi"][i_particle],
    )
    near = (distance < cone) & (owner[nearby_at[i_particle]] != leptons["position"][i_lepton])
    return np.bincount(i_lepton[near], weights=nearby["pt"][i_particle[near]], minlength=len(leptons.event))


LEPTON_FIELDS = ("pt", "eta", "phi", "mass", "pid", "charge")


def visible_particles(raw: ak.Array) -> Flat:
    """The visible final state (everything but neutrinos) of jagged particles with px, py, pz,
    E, pid, charge, as flat columns with pt, eta, phi and mass added."""
    particles = Flat.of(raw, ("px", "py", "pz", "E", "pid", "charge"))
    particles = particles.take(~np.isin(np.abs(particles["pid"]), NEUTRINOS))
    momentum = (particles[name].astype(np.float64) for name in ("px", "py", "pz", "E"))
    return particles.with_columns(**kinematics(*momentum))


def select_leptons(raw: ak.Array, definition: LeptonDefinition) -> tuple[ak.Array, ak.Array]:
    """Selected leptons (pT-ordered; pt, eta, phi, mass, pid, charge) of jagged final-state
    particles, and the jet-input mask over their visible particles (neutrinos dropped).

    The jet-input mask removes the selected leptons and their dressing photons; leptons failing
    the selection stay in the jet inputs. Isolation is computed only for dressed leptons that
    pass the pT and |eta| cuts. The work is done on flat numpy arrays (pairs from
    :func:`same_event_pairs`), several times faster than nested awkward products.
    """
    particles = visible_particles(raw)
    selected, jet_inputs = select_leptons_flat(particles, definition)
    return selected.to_awkward(LEPTON_FIELDS), ak.unflatten(jet_inputs, particles.counts())


def select_leptons_flat(particles: Flat, definition: LeptonDefinition) -> tuple[Flat, np.ndarray]:
    """:func:`select_leptons` on :func:`visible_particles`: the selected leptons (pT-ordered
    within each event) and the flat jet-input mask."""
    dressed, owner = dress_leptons(particles, definition.dressing_dr, definition.eta_max)
    dressed = dressed.take(
        (dressed["pt"] > definition.pt_min) & (np.abs(dressed["eta"]) < definition.eta_max)
    )
    iso = isolation(dressed, particles, owner, definition.isolation_dr)
    selected = dressed.take(iso < definition.isolation_max * dressed["pt"])
    selected = selected.take(np.lexsort((-selected["pt"], selected.event)))
    removed = (owner >= 0) & np.isin(owner, selected["position"])
    return selected, ~removed
