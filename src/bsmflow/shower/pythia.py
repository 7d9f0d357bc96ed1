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
from .hepmc import write_hepmc
from .loops import shower_all, shower_matched
from .sampling import make_hook

# events per Pythia nextBatch call: large enough that the batch overhead vanishes, small enough
# that a batch's awkward arrays stay a few MB
SHOWER_BATCH = 200
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

    ``sampling`` = {veto_scale_gev, st_min_gev, mlq_min_gev, keep_fraction} (with or without
    MLM matching: the sampling hook decides at the veto scale, the matching after the shower):
    events whose S_T or m_LQ^min proxy at the veto scale is below its threshold are kept
    with keep_fraction and their weights (nominal and variations) multiplied by 1 / keep_fraction
    (:mod:`bsmflow.shower.sampling`). The dropped events are not written; ``weight_norm`` in the
    metadata (the mean |weight| Pythia gave every LHE event read, dropped or kept) is then what
    the analysis divides the weights by, ``lhe_sigma_pb`` is the LHE file's mean XWGTUP, and
    n_lhe_events counts every LHE event read.
    """
    stage = Stage("shower", seed, {"lhe": lhe, "card": card, "matching_card": matching_card})
    n_lhe = check_lhe(lhe)
    pythia, hook, sampler, settings = configure_pythia(
        lhe, card, seed, matching_card, shower_variations, sampling
    )
    keep = None if hepmc_output is None else hepmc_record
    if hook is None:
        batches, weights, pythia_names, records = shower_all(
            pythia, n_lhe, batch_size, stage, sample, chunk, keep, sampler
        )
        extra: dict[str, np.ndarray] = {}
        n_read = pythia.infoPython().nTried() if sampler is not None else sum(len(w) for w in weights)
    else:
        batches, weights, pythia_names, extra, records = shower_matched(
            pythia, hook, n_lhe, stage, sample, chunk, keep, sampler
        )
        n_read = pythia.infoPython().nTried()
    if n_read < n_lhe:
        raise RuntimeError(f"{lhe}: Pythia showered {n_read} of {n_lhe} events; see the log above")
    if sampler is not None and len(sampler.weights) != n_lhe:  # every event reached the sampler
        # the normalisation is the mean weight of every LHE event: each must have been decided on
        raise RuntimeError(
            f"{lhe}: shower sampling decided on {len(sampler.weights)} of the {n_lhe} LHE events read"
        )
    info = pythia.infoPython()
    # no event kept: the names the sampler saw while an event was loaded, else what Pythia lists
    pythia_names = pythia_names or (sampler.weight_names if sampler else []) or list(info.weightNameVector())
    names = variation_names(pythia_names, shower_variations)
    all_weights = np.concatenate(weights) if weights else np.zeros((0, len(pythia_names)))
    columns = {"weight": all_weights[:, 0]}
    if names:
        columns[VARIATION_BRANCH] = all_weights[:, [pythia_names.index(name) for name in names]]
    stage.tools["pythia"] = f"{pythia.parm('Pythia:versionNumber'):.3f}"
    metadata = stage.record(
        sample=sample,
        chunk=chunk,
        n_events=len(all_weights),
        n_lhe_events=n_lhe,
        **cross_sections(info, lhe, hook, sampler, all_weights[:, 0]),
        settings=settings,
        variations=names,
        **sampling_record(sampler, sampling),
    )
    if hepmc_output is not None:
        write_hepmc(
            hepmc_output,
            records,
            all_weights[:, [0, *(pythia_names.index(name) for name in names)]],
            names,
            record=hepmc_record,
            sigma_pb=metadata["lhe_sigma_pb" if hook is None else "matched_sigma_pb"],
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
    particles = ak.concatenate(batches) if batches else ak.Array([[]])[:0]
    write_shower(output_root, {"particle": particles, **columns, **extra}, metadata)
    return metadata


def configure_pythia(
    lhe: str, card: str, seed: int, matching_card: str | None, shower_variations: bool, sampling: dict | None
):
    """Pythia set up to shower ``lhe``: (pythia, MLM matching hook or None, sampling hook or None,
    every setting applied, in order: input, card, matching card, variations)."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    applied = []
    for settings, source in (
        (lhe_input_settings(lhe, seed), "shower defaults"),
        (read_pythia_card(card), card),
        (read_pythia_card(matching_card) if matching_card else [], matching_card or ""),
        (shower_variation_settings(shower_variations), "shower variations"),
    ):
        apply_settings(pythia, settings, source)
        applied += settings
    hook = sampler = None
    if matching_card:
        hook = pythia8mc.JetMatchingMadgraph()
        pythia.addUserHooksPtr(hook)
    if sampling:
        # after the matching hook (Pythia asks them in this order), deciding after it on a matched sample
        sampler = make_hook(pythia, sampling, seed, after_matching=hook is not None)
        pythia.addUserHooksPtr(sampler)
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise on {lhe} (card {card})")
    return pythia, hook, sampler, applied


def cross_sections(info, lhe: str, hook, sampler, weights: np.ndarray) -> dict:
    """The chunk's cross sections (pb) for its record, from Pythia's ``weights`` of the kept events
    (times their sampling factors). Unmatched: the LHE cross section, Pythia's sigmaGen, or with
    shower sampling the LHE file's mean XWGTUP (Pythia's sigmaGen counts the dropped events as
    vetoed). Matched: the cross section after the matching's vetoes and the fraction of LHE events
    it accepted, each weighted event counted with its weight relative to the mean weight of all
    LHE events read (with shower sampling the fraction is a weighted estimate)."""
    if sampler is not None:
        n_weights, weight_sum = event_weight_sum(lhe)
        lhe_sigma_pb = weight_sum / n_weights
    if hook is not None:
        if sampler is None:
            return {
                "lhe_sigma_pb": None,
                "matched_sigma_pb": info.sigmaGen() * MB_TO_PB,
                "matching_efficiency": len(weights) / info.nTried(),
            }
        accepted = float(np.abs(weights).sum()) / (weight_norm(sampler) * len(sampler.weights))
        return {
            "lhe_sigma_pb": None,
            "matched_sigma_pb": lhe_sigma_pb * accepted,
            "matching_efficiency": accepted,
        }
    sigma_pb = lhe_sigma_pb if sampler is not None else info.sigmaGen() * MB_TO_PB
    return {"lhe_sigma_pb": sigma_pb, "matched_sigma_pb": None, "matching_efficiency": None}


def weight_norm(sampler) -> float:
    """The mean of Pythia's |weight| over every LHE event the sampler decided on, dropped or kept."""
    decided = np.abs(np.fromiter(sampler.weights.values(), dtype=np.float64))
    return float(decided.mean()) if len(decided) else 1.0


def sampling_record(sampler, sampling: dict | None) -> dict:
    """With shower sampling: its settings and decision counts, and ``weight_norm``, the mean of
    Pythia's |weight| over every LHE event read, dropped or kept (the analysis divides by it)."""
    if sampler is None:
        return {}
    return {"sampling": {**sampling, **sampler.counts}, "weight_norm": weight_norm(sampler)}


def write_shower(output_root: str, branches: dict, metadata: dict) -> None:
    """The final state (tree ``events``) and the record (``metadata``) as one ROOT file, atomically."""
    import uproot

    with atomic_output(output_root) as tmp:
        with uproot.recreate(tmp, compression=uproot.LZ4(1)) as out:
            out[SHOWER_TREE] = branches
            out["metadata"] = json.dumps(metadata, sort_keys=True)
