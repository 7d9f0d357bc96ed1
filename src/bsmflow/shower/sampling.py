"""Importance sampling inside the shower (config ``shower_sampling``): an early look at each event
when its parton-level evolution reaches ``veto_scale_gev``, or (``decide_at: hard_process``) at the
hard process itself, before the shower starts.

By then every emission harder than the scale (the ISR and FSR that make the analysis' jets, and
any hard MPI) is in the event record, but the expensive part of the shower (the evolution below
the scale with its many MPI, the resonance-decay showers, hadronization) has not run: an event
dropped there costs ~0.1-0.2 ms instead of ~7 ms (BENCHMARKS 9). A Pythia UserHooks
(``canVetoPT``) computes proxies of the analysis' S_T and m_LQ^min from the partons and the
leptons at that point; an event below either threshold is kept with probability keep_fraction
and weighted 1 / keep_fraction, every other event continues with weight 1. The weighted sample
is the unsampled one in every distribution whatever the proxies' quality: the proxies only decide
how much of the CPU goes to the events that can reach the fit region.

The proxies: leptons are the charged leptons (e, mu, tau) among the hard process' decay
products, boosted with their resonance to its momentum in the event record (the recoil of the
emissions so far, as Pythia does when it decays it); jets are the final partons (quarks, gluons,
photons) of the event record and the quarks among the resonances' decay products, merged when
closer than Delta R = 0.4 and removed within 0.4 of a lepton. S_T proxy = the two hardest
leptons' and jets' pT; m_LQ^min proxy = the analysis' pairing of the two leptons with two jets,
the largest over the pairs of the three hardest (undefined, and then not used, with fewer than
two leptons or jets). No eta cuts: objects the detector acceptance would drop
only make the proxies larger, never smaller.

At the hard process (``decide_at: hard_process``, for LHE files whose hard process already holds
the analysis' jets, such as MLM-matched MadGraph Drell-Yan + 1, 2 jets) the proxies come from the
LHE event's leptons and partons, and an event with fewer than two leptons or jets there counts as
below the m_LQ^min threshold: in a matched sample its second jet can come only from the shower,
below the merging scale. A dropped event then costs the reading of its LHE record, nothing of the
shower or the matching (BENCHMARKS 16).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..conventions import balanced_assignment

CHARGED_LEPTONS = (11, 13, 15)
PARTONS = (1, 2, 3, 4, 5, 21, 22)
RESONANCES = (6, 23, 24, 25)
JET_RADIUS = 0.4
FIRST_CALL_POSITIONS = (0, 1, 2, 3, 4)  # UserHooks::doVetoPT iPos of the interleaved evolution


def _pt(p: np.ndarray) -> float:
    return math.hypot(p[0], p[1])


def _mass(p: np.ndarray) -> float:
    return math.sqrt(max(p[3] ** 2 - p[0] ** 2 - p[1] ** 2 - p[2] ** 2, 0.0))


def _eta_phi(p: np.ndarray) -> tuple[float, float]:
    pt = _pt(p)
    eta = math.copysign(1e9, p[2]) if pt == 0 else math.asinh(p[2] / pt)
    return eta, math.atan2(p[1], p[0])


def merge_partons(partons: list[np.ndarray], radius: float = JET_RADIUS) -> list[np.ndarray]:
    """Proxy jets: partons in decreasing pT, each added to the first jet within ``radius`` of it
    (Delta R in eta-phi to the jet's current axis) or starting a new one; returned hardest first."""
    jets: list[np.ndarray] = []
    for p in sorted(partons, key=_pt, reverse=True):
        eta, phi = _eta_phi(p)
        for i, jet in enumerate(jets):
            jet_eta, jet_phi = _eta_phi(jet)
            dphi = (phi - jet_phi + math.pi) % (2 * math.pi) - math.pi
            if math.hypot(eta - jet_eta, dphi) < radius:
                jets[i] = jet + p
                break
        else:
            jets.append(np.array(p, dtype=np.float64))
    return sorted(jets, key=_pt, reverse=True)


def _delta_r(a: np.ndarray, b: np.ndarray) -> float:
    (eta_a, phi_a), (eta_b, phi_b) = _eta_phi(a), _eta_phi(b)
    return math.hypot(eta_a - eta_b, (phi_a - phi_b + math.pi) % (2 * math.pi) - math.pi)


def proxies(leptons: list[np.ndarray], partons: list[np.ndarray]) -> tuple[float, float | None]:
    """(S_T proxy, m_LQ^min proxy or None) in GeV from lepton and parton four-momenta
    (px, py, pz, E). Jets within Delta R 0.4 of one of the two hardest leptons are removed, as in
    the analysis; the m_LQ^min proxy is the largest balanced-pairing m_LQ^min over the pairs of
    the three hardest jets, since which two of them lead after hadronization is not yet decided."""
    leading = sorted(leptons, key=_pt, reverse=True)[:2]
    jets = [j for j in merge_partons(partons) if all(_delta_r(j, lepton) >= JET_RADIUS for lepton in leading)]
    st = sum(_pt(p) for p in leading) + sum(_pt(p) for p in jets[:2])
    if len(leading) < 2 or len(jets) < 2:
        return st, None
    l1, l2 = leading
    best = 0.0
    for j1, j2 in itertools.combinations(jets[:3], 2):
        low, _ = balanced_assignment(
            np.array([_mass(l1 + j1)]),
            np.array([_mass(l2 + j2)]),
            np.array([_mass(l1 + j2)]),
            np.array([_mass(l2 + j1)]),
        )
        best = max(best, float(low[0]))
    return st, best


HARD_PROCESS = "hard_process"


def at_hard_process(sampling: dict) -> bool:
    """Whether ``sampling`` decides on the hard process (else at its veto scale in the shower)."""
    return sampling.get("decide_at", "shower") == HARD_PROCESS


def keep_probability(st: float, mlq: float | None, sampling: dict) -> float:
    """1 when both proxies reach their thresholds, else keep_fraction. An undefined m_LQ^min
    (fewer than two leptons or jets) is not used in the shower and is below at the hard process."""
    if mlq is None:
        mlq = 0.0 if at_hard_process(sampling) else math.inf
    above = st >= sampling["st_min_gev"] and mlq >= sampling["mlq_min_gev"]
    return 1.0 if above else float(sampling["keep_fraction"])


def _four(particle) -> np.ndarray:
    return np.array([particle.px(), particle.py(), particle.pz(), particle.e()], dtype=np.float64)


def _final_descendants(process, index: int) -> list[int]:
    found, stack = [], [index]
    while stack:
        i = stack.pop()
        daughters = [d for d in process[i].daughterList() if d > 0]
        if process[i].isFinal() or not daughters:
            found.append(i)
        else:
            stack.extend(daughters)
    return found


def event_objects(event, process) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(leptons, partons) of a Pythia event record during the shower, with each undecayed
    resonance replaced by its decay products from the hard-process record, boosted from the
    resonance's momentum there to its momentum in the event."""
    leptons, partons = [], []

    def add(ident: int, p: np.ndarray) -> None:
        if ident in CHARGED_LEPTONS:
            leptons.append(p)
        elif ident in PARTONS:
            partons.append(p)

    for i in range(event.size()):
        particle = event[i]
        if not particle.isFinal():
            continue
        ident = particle.idAbs()
        top = particle.iTopCopyId()
        if ident in RESONANCES and top < process.size() and process[top].id() == particle.id():
            before, after = process[top].p(), particle.p()
            for j in _final_descendants(process, top):
                p = process[j].p()
                p.bstback(before)
                p.bst(after)
                add(process[j].idAbs(), _four(p))
        elif ident in RESONANCES:
            partons.append(_four(particle))  # no decay record: the resonance counts as a jet
        else:
            add(ident, _four(particle))
    return leptons, partons


def hard_key(process) -> tuple[float, float]:
    """The incoming partons' pz in the hard-process record: what ties an output event (its
    entries 3 and 4) to the decision taken on it."""
    return (process[3].pz(), process[4].pz())


def make_hook(pythia, sampling: dict, seed: int, after_matching: bool = False):
    """A pythia8mc UserHooks that samples every event at ``sampling['veto_scale_gev']``, or at the
    hard process (doVetoProcessLevel, before the shower and the matching) when
    :func:`at_hard_process` (see the module docstring). ``hook.factors`` maps :func:`hard_key`
    of each kept event to its weight factor (the last decision wins: Pythia retries a failed
    shower of the same hard event); ``hook.weights`` holds Pythia's weight of every event read,
    kept or not (the normalisation); ``hook.counts`` counts the decisions.

    ``after_matching`` (MLM-matched samples): the decision waits until the matching hook has
    accepted the event, at the end of its parton-level evolution (doVetoPartonLevelEarly, with
    the proxies from the showered partons), and the weights are taken at process level. A veto
    at the veto scale, before the matching has seen the event, leaves Pythia's
    JetMatchingMadgraph in a state that vetoes the next events too often: the sampled matched
    Drell-Yan came out 8 % low (3 sigma over 7 seeds; BENCHMARKS 16); decided after the matching
    it agrees. Dropping there still saves the hadronization and beam remnants. At the hard
    process the sampler decides after the matching hook has read the event (Pythia asks the hooks
    in the order they were added) and before any shower, so the matching never sees a dropped
    event and ``after_matching`` is not used."""
    import pythia8mc

    hard_process = at_hard_process(sampling)
    after_matching = after_matching and not hard_process

    class ShowerSampler(pythia8mc.UserHooks):
        def __init__(self):
            pythia8mc.UserHooks.__init__(self)
            self.rng = np.random.default_rng(seed)
            self.factors: dict[tuple[float, float], float] = {}
            self.weights: dict[tuple[float, float], float] = {}  # Pythia's weight of every event
            self.counts = {"events": 0, "below": 0, "kept_below": 0}
            # the weight names while an event is loaded: once the file's end is reached, Pythia
            # no longer lists the LHE weights, and a batch of kept events can run to the end
            self.weight_names: list[str] = []

        def remember(self) -> tuple[float, float]:
            """Record the loaded event's weight (and the weight names); its key."""
            key = hard_key(pythia.process)
            info = pythia.infoPython()
            self.weights[key] = info.weight()
            if not self.weight_names:
                self.weight_names = list(info.weightNameVector())
            return key

        def decide(self, event) -> bool:
            """The sampling decision on the loaded event: True drops it."""
            self.counts["events"] += 1
            st, mlq = proxies(*event_objects(event, pythia.process))
            probability = keep_probability(st, mlq, sampling)
            key = hard_key(pythia.process) if after_matching else self.remember()
            if probability < 1.0:
                self.counts["below"] += 1
                if self.rng.random() >= probability:
                    self.factors.pop(key, None)
                    return True
                self.counts["kept_below"] += 1
            self.factors[key] = 1.0 / probability
            return False

        def canVetoPT(self):
            return not (after_matching or hard_process)

        def scaleVetoPT(self):
            return float(sampling["veto_scale_gev"])

        def doVetoPT(self, iPos, event):
            if iPos not in FIRST_CALL_POSITIONS:
                return False  # resonance-decay showers: decided already
            return self.decide(event)

        def canVetoProcessLevel(self):
            return after_matching or hard_process

        def doVetoProcessLevel(self, process):
            if hard_process:
                return self.decide(process)
            self.remember()
            return False

        def canVetoPartonLevelEarly(self):
            return after_matching

        def doVetoPartonLevelEarly(self, event):
            return self.decide(event)

    return ShowerSampler()
