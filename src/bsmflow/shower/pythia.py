"""Shower and hadronization of LHE events with Pythia 8 (rule pythia_shower); the final state is
written as a ROOT TTree."""

from __future__ import annotations

import json
import logging

import awkward as ak
import numpy as np

from ..cards import apply_settings, read_pythia_card
from ..conventions import MB_TO_PB, SHOWER_TREE, VARIATION_BRANCH
from ..generate.lhe import check_lhe, event_weight_sum
from ..io import atomic_output
from ..stage import Stage
from .hepmc import event_columns, write_hepmc
from .sampling import make_hook

# events per Pythia nextBatch call: large enough that the batch overhead vanishes, small enough
# that a batch's awkward arrays stay a few MB
SHOWER_BATCH = 200
N_DJR = 3  # differential jet rates kept per matched event: d(0->1), d(1->2), d(2->3)
# Pythia's UncertaintyBands: ISR and FSR renormalisation scale x 2 and x 0.5 (muRfac multiplies
# mu, i.e. pT^2 by muRfac^2: fsr:muRfac = 2 is TimeShower:renormMultFac = 4). Pythia lowercases
# the names, so they are lowercase here.
SHOWER_VARIATIONS = {
    "isr_mur_2": "isr:muRfac=2",
    "isr_mur_0p5": "isr:muRfac=0.5",
    "fsr_mur_2": "fsr:muRfac=2",
    "fsr_mur_0p5": "fsr:muRfac=0.5",
}
log = logging.getLogger(__name__)


def shower_variation_settings(enabled: bool) -> list[str]:
    """UncertaintyBands settings for the shower variations (none when disabled)."""
    if not enabled:
        return []
    listed = ", ".join(f"{name} {variation}" for name, variation in SHOWER_VARIATIONS.items())
    return [
        "UncertaintyBands:doVariations = on",
        f"UncertaintyBands:List = {{{listed}}}",
        # FSR varied only for branchings above pT^2 = 50 x TimeShower:pTmin^2 (3.5 GeV; Pythia's
        # default 4 x, 1 GeV, makes the weights so broad that 1500 signal events have an effective
        # size of 4 % for fsr_mur_0p5; 42 % with this cut-off), and no trial oversampling (it
        # cost 45 % of the shower's throughput): bench/variation_cost.py, BENCHMARKS.md section 12
        "UncertaintyBands:FSRpTmin2Fac = 50",
        "UncertaintyBands:overSampleFSR = 1.0",
        "UncertaintyBands:overSampleISR = 1.0",
    ]


def variation_names(pythia_names: list[str], shower: bool) -> list[str]:
    """The variation weights a shower file keeps: the LHE file's scale weights (Pythia lists
    them by their LHE ids) and, with ``shower``, the UncertaintyBands ones."""
    from ..generate.scale_weights import SCALE_IDS

    wanted = [name for name in SCALE_IDS if name in pythia_names]
    if shower:
        wanted += list(SHOWER_VARIATIONS)
    missing = [name for name in wanted if name not in pythia_names]
    if missing:
        raise RuntimeError(f"Pythia's event weights lack {missing} (it has {pythia_names})")
    return wanted


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
    matching_card: str | None = None,
    shower_variations: bool = False,
    batch_size: int = SHOWER_BATCH,
    hepmc_output: str | None = None,
    hepmc_record: str = "final",
    sampling: dict | None = None,
) -> dict:
    """Shower every event of one LHE chunk and write its final state to ``output_root``.

    Tree ``events``: jagged branches particle_{px,py,pz,E,pid,charge} and the event weight
    (Pythia's, 1 for unweighted LHE input). A TObjString ``metadata`` holds the settings, seed
    and the LHE cross section. Progress lines (events done, rate) go to the logger.

    ``matching_card`` (MLM-matched MadGraph samples): JetMatching settings for Pythia's
    JetMatchingMadgraph hook, which vetoes events whose shower jets do not match the partons.
    Only accepted events are written (n_events), n_lhe_events counts the LHE events read (a vetoed
    event weighs zero: the analysis divides by the LHE count), and each event carries its
    differential jet rates djr01, djr12, djr23 (GeV) and n_me_partons, for the DJR validation.

    Variations: branch ``variation_weight`` (events x variations, same units as ``weight``) with
    the names in metadata ``variations``: the LHE file's scale weights when it has them and, with
    ``shower_variations``, Pythia's UncertaintyBands ISR/FSR weights (:data:`SHOWER_VARIATIONS`).

    ``hepmc_output``: the same events also as gzip-compressed HepMC3 (``hepmc_record`` final or
    full; :mod:`bsmflow.shower.hepmc`), with the same weights and the chunk's cross section.

    ``sampling`` = {veto_scale_gev, st_min_gev, mlq_min_gev, keep_fraction} (unmatched samples
    only): events whose S_T or m_LQ^min proxy at the veto scale is below its threshold are kept
    with keep_fraction and their weights (nominal and variations) multiplied by 1 / keep_fraction
    (:mod:`bsmflow.shower.sampling`). The dropped events are not written; ``weight_norm`` in the
    metadata (the mean |weight| Pythia gave every LHE event read, dropped or kept) is then what
    the analysis divides the weights by, ``lhe_sigma_pb`` is the LHE file's mean XWGTUP, and
    n_lhe_events counts every LHE event read.
    """
    import pythia8mc
    import uproot

    stage = Stage("shower", seed, {"lhe": lhe, "card": card, "matching_card": matching_card})
    n_lhe = check_lhe(lhe)
    pythia = pythia8mc.Pythia("", False)
    settings = lhe_input_settings(lhe, seed)
    apply_settings(pythia, settings, "shower defaults")
    card_settings = read_pythia_card(card)
    apply_settings(pythia, card_settings, card)
    matching_settings = read_pythia_card(matching_card) if matching_card else []
    apply_settings(pythia, matching_settings, matching_card or "")
    variation_settings = shower_variation_settings(shower_variations)
    apply_settings(pythia, variation_settings, "shower variations")
    hook = sampler = None
    if matching_card and sampling:
        raise ValueError(f"{lhe}: shower sampling is for unmatched samples, {matching_card} matches this one")
    if matching_card:
        hook = pythia8mc.JetMatchingMadgraph()
        pythia.setUserHooksPtr(hook)
    if sampling:
        sampler = make_hook(pythia, sampling, seed)
        pythia.setUserHooksPtr(sampler)
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise on {lhe} (card {card})")

    keep = None if hepmc_output is None else hepmc_record
    if hook is None:
        batches, weights, pythia_names, records = shower_all(
            pythia, n_lhe, batch_size, stage, sample, chunk, keep, sampler
        )
        extra: dict[str, np.ndarray] = {}
        done = n_read = sum(len(w) for w in weights)
        if sampler is not None:
            n_read = pythia.infoPython().nTried()
    else:
        batches, weights, pythia_names, extra, records = shower_matched(
            pythia, hook, n_lhe, stage, sample, chunk, keep
        )
        done, n_read = sum(len(w) for w in weights), pythia.infoPython().nTried()
    if n_read < n_lhe:
        raise RuntimeError(f"{lhe}: Pythia showered {n_read} of {n_lhe} events; see the log above")
    info = pythia.infoPython()
    # no event kept: the names the sampler saw while an event was loaded, else what Pythia lists
    pythia_names = pythia_names or (sampler.weight_names if sampler else []) or list(info.weightNameVector())
    names = variation_names(pythia_names, shower_variations)
    all_weights = np.concatenate(weights) if weights else np.zeros((0, len(pythia_names)))
    columns = {"weight": all_weights[:, 0]}
    if names:
        columns[VARIATION_BRANCH] = all_weights[:, [pythia_names.index(name) for name in names]]
    stage.tools["pythia"] = f"{pythia.parm('Pythia:versionNumber'):.3f}"
    sampled: dict = {}
    if sampler is not None:
        n_weights, weight_sum = event_weight_sum(lhe)
        # Pythia's sigmaGen counts the dropped events as vetoed: the LHE file's sigma (mean
        # XWGTUP, pb) is the sample's; the analysis divides the weights by the mean of Pythia's
        # weight over every event, dropped or kept
        decided = np.abs(np.fromiter(sampler.weights.values(), dtype=np.float64))
        sampled = {
            "sampling": {**sampling, **sampler.counts},
            "weight_norm": float(decided.mean()) if len(decided) else 1.0,
        }
    lhe_sigma_pb = weight_sum / n_weights if sampler is not None else info.sigmaGen() * MB_TO_PB
    metadata = stage.record(
        sample=sample,
        chunk=chunk,
        n_events=done,
        n_lhe_events=n_lhe,
        lhe_sigma_pb=lhe_sigma_pb if hook is None else None,
        matched_sigma_pb=info.sigmaGen() * MB_TO_PB if hook is not None else None,
        matching_efficiency=done / n_lhe if hook is not None else None,
        settings=settings + card_settings + matching_settings + variation_settings,
        variations=names,
        **sampled,
    )
    particles = ak.concatenate(batches) if batches else ak.Array([[]])[:0]
    if hepmc_output is not None:
        sigma_key = "lhe_sigma_pb" if hook is None else "matched_sigma_pb"
        write_hepmc(
            hepmc_output,
            records,
            all_weights[:, [0, *(pythia_names.index(name) for name in names)]],
            names,
            record=hepmc_record,
            sigma_pb=metadata[sigma_key],
            sigma_err_pb=info.sigmaErr() * MB_TO_PB,
            n_attempted=n_read,
            tools={"Pythia": stage.tools["pythia"], "bsmflow": metadata["bsmflow_version"]},
            attributes={
                "sample": sample,
                "chunk": chunk,
                "seed": seed,
                "lhe": lhe,
                "record": hepmc_record,
                "settings": "\n".join(metadata["settings"]),
            },
        )
    with atomic_output(output_root) as tmp:
        with uproot.recreate(tmp, compression=uproot.LZ4(1)) as out:
            out[SHOWER_TREE] = {"particle": particles, **columns, **extra}
            out["metadata"] = json.dumps(metadata, sort_keys=True)
    return metadata


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
            keys = zip(ak.to_numpy(batch.prt.p.pz[:, 3]), ak.to_numpy(batch.prt.p.pz[:, 4]), strict=True)
            weights[-1] *= np.array([sampler.factors.pop(key) for key in keys])[:, None]
        if hepmc is not None:
            records.append(event_columns(batch, hepmc))
        done += len(batch)
        read = pythia.infoPython().nTried() if sampler else done
        rate = read / stage.elapsed()
        log.info(
            "%s chunk %d: %d/%d events showered, %d kept, %.1f ev/s", sample, chunk, read, n_lhe, done, rate
        )
    return batches, weights, names, records


def shower_matched(pythia, hook, n_lhe: int, stage: Stage, sample: str, chunk: int, hepmc: str | None):
    """MLM-matched showering, one event at a time (the hook's DJR belong to the last event):
    (final states, weights, weight names, {djr01, djr12, djr23, n_me_partons}, HepMC particles)
    of the accepted events (HepMC particles only with ``hepmc``, a record kind)."""
    batches, weights, djr, partons, names, records = [], [], [], [], [], []
    while pythia.infoPython().nTried() < n_lhe:
        batch = pythia.nextBatch(1, "skip")  # Pythia reads on past vetoed events
        if len(batch) == 0:
            break
        batches.append(final_state(batch, pythia.particleData))
        weights.append(event_weights(batch))
        names = names or weight_names(pythia, weights[-1])
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
