"""Decay-channel filters of the Pythia path: keep a hard process only if its boson decays are in
a named list of channels, the same list a MadGraph process card spells out with decay chains.

Pythia's per-particle decay switches (23:onMode, ...) cannot say "one Z -> l l and the other
boson -> q q", so the generation job lets the bosons decay freely, drops the events outside the
channels and scales the cross section by the accepted fraction (as a process-level veto does).
"""

from __future__ import annotations

Z, W = 23, 24
ELECTRON_MUON = {11, 13}
CHARGED_LEPTONS = {11, 13, 15}
NEUTRINOS = {12, 14, 16}
QUARKS = {1, 2, 3, 4, 5}


def decay_class(boson: int, daughters: tuple[int, int]) -> str:
    """'ll_em' (Z -> ee, mumu), 'll_tau' (Z -> tautau), 'nunu', 'lnu' (W -> l nu, any l), 'qq' or
    'other' for one boson decay (PDG ids, signs ignored)."""
    ids = {abs(d) for d in daughters}
    boson = abs(boson)
    if boson == Z and len(ids) == 1:
        (flavour,) = ids
        if flavour in ELECTRON_MUON:
            return "ll_em"
        if flavour == 15:
            return "ll_tau"
        if flavour in NEUTRINOS:
            return "nunu"
        if flavour in QUARKS:
            return "qq"
    if boson == W and len(ids) == 2:
        if ids <= QUARKS:
            return "qq"
        if len(ids & CHARGED_LEPTONS) == 1 and len(ids & NEUTRINOS) == 1:
            return "lnu"
    return "other"


def diboson_ll(decays: list[tuple[int, tuple[int, int]]]) -> bool:
    """The diboson channels of the analysis (l l j j), as in config/cards/diboson/madgraph:

    - fully leptonic, l = e, mu, tau: WW -> lnu lnu, WZ -> lnu ll, ZZ -> ll ll and ll nunu;
    - semi-leptonic: WZ and ZZ with one Z -> ee or mumu and the other boson -> q q.
    ``decays`` lists (boson PDG id, daughter ids) of the two bosons."""
    if len(decays) != 2:
        return False
    (boson_a, daughters_a), (boson_b, daughters_b) = decays
    classes = sorted([decay_class(boson_a, daughters_a), decay_class(boson_b, daughters_b)])
    bosons = sorted([abs(boson_a), abs(boson_b)])
    charged = {"ll_em": 2, "ll_tau": 2, "lnu": 1, "nunu": 0}
    if all(c in charged for c in classes):
        return sum(charged[c] for c in classes) >= 2
    if bosons in ([Z, W], [Z, Z]):
        return classes == ["ll_em", "qq"]
    return False


def ee_mumu(decays: list[tuple[int, tuple[int, int]]]) -> bool:
    """Both bosons decay to charged leptons of one flavour, both e or both mu (ttbar: W+ W- ->
    e nu e nu or mu nu mu nu): the channels whose leptons the same-flavour selection takes
    directly. Tau channels are not in them (their e and mu are softer and rarer)."""
    if len(decays) != 2:
        return False
    flavours = []
    for boson, daughters in decays:
        if decay_class(boson, daughters) not in ("lnu", "ll_em"):
            return False
        flavours.append({abs(d) for d in daughters} & CHARGED_LEPTONS)
    return flavours[0] == flavours[1] and flavours[0] <= ELECTRON_MUON


FILTERS = {"diboson_ll": diboson_ll, "ee_mumu": ee_mumu}
COMPLEMENT = "not_"  # not_<filter>: the channels <filter> rejects


def channel_filter(name: str):
    """The filter ``name`` of FILTERS, or the complement of one for ``not_<name>``: a filter and its
    complement split a process into two decay-channel strata that add up to the whole."""
    if name.startswith(COMPLEMENT):
        kept = FILTERS[name.removeprefix(COMPLEMENT)]
        return lambda decays: not kept(decays)
    return FILTERS[name]


def boson_decays(process) -> list[tuple[int, tuple[int, int]]]:
    """(PDG id, daughter ids) of every W and Z in a Pythia hard-process record (pythia.process)."""
    decays = []
    for i in range(process.size()):
        particle = process[i]
        if particle.idAbs() not in (Z, W):
            continue
        daughters = particle.daughterList()
        if len(daughters) == 2:
            decays.append((particle.id(), (process[daughters[0]].id(), process[daughters[1]].id())))
    return decays
