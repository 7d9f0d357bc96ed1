"""Embedded parton-level generator (rule pythia_generate): Pythia 8's own hard processes written
as LHE.

Only the hard process (with resonance decays) is generated: PartonLevel and HadronLevel are
switched off here, and the shower stage reads the LHE file exactly as it would read MadGraph's.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from ..cards import apply_settings, read_pythia_card
from ..conventions import MB_TO_PB
from ..io import atomic_output
from ..model.param_card import CHARGED_LEPTONS, UP_QUARKS, ParamCard, read_param_card
from ..stage import Stage, record_text
from .event_weights import NO_WEIGHTS, wants_weights, write_variation_weights
from .filters import boson_decays, channel_filter
from .lhe import Beams, event_from_pythia, write_lhe
from .sampling import PtSampler
from .scale_weights import HardScatterings, alpha_s_power, pythia_alpha_s
from .slices import card_conflicts, pythia_slice_settings
from .spec import GenerationSpec

PROTON = 2212
PYTHIA_LEPTOQUARK = 42  # the PDG id of Pythia's built-in LQ (LeptoQuark:all)
# the leptoquark's Breit-Wigner is generated within M +- this many widths
MASS_WINDOW_WIDTHS = 50
log = logging.getLogger(__name__)


def hard_process_settings(sqrt_s_gev: float, pdf_pset: int, seed: int) -> list[str]:
    """Settings every generation job shares: beams, PDF, seed, hard process only."""
    return [
        f"Beams:idA = {PROTON}",
        f"Beams:idB = {PROTON}",
        f"Beams:eCM = {sqrt_s_gev}",
        f"PDF:pSet = {pdf_pset}",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "PartonLevel:all = off",
        "HadronLevel:all = off",
        "Next:numberCount = 0",
        "Init:showChangedSettings = on",
        "Init:showProcesses = off",
        "Init:showChangedParticleData = off",
    ]


def pythia_leptoquark_settings(card: ParamCard, alpha_em_at_mass: float) -> list[str]:
    """Pythia 8 settings that make its built-in LQ (PDG 42) the model point of the param card.

    Pythia's LQ carries one quark-lepton flavour pair, so the card must have a single channel.
    Width forced to the card's value; kCoup = y^2 / (4 pi alpha_em(M^2)) reproduces both the
    width (Pythia: Gamma = kCoup alpha_em M / 4) and the t-channel lepton exchange in qqbar.
    """
    if card.pdg_id != PYTHIA_LEPTOQUARK:
        raise ValueError(
            f"Pythia's built-in leptoquark is PDG {PYTHIA_LEPTOQUARK}, the param card has {card.pdg_id}"
        )
    if len(card.channels) != 1:
        names = ", ".join(f"{c.quark} {c.lepton}" for c in card.channels)
        raise ValueError(
            "Pythia's built-in leptoquark couples to one quark-lepton pair; the param card has "
            f"channels {names}: keep one non-zero model.yukawa entry or use generator: madgraph"
        )
    (channel,) = card.channels
    coupling = card.yukawa[UP_QUARKS.index(channel.quark)][CHARGED_LEPTONS.index(channel.lepton)]
    k_coup = coupling**2 / (4 * math.pi * alpha_em_at_mass)
    lq, window = PYTHIA_LEPTOQUARK, MASS_WINDOW_WIDTHS * card.width_gev
    return [
        f"{lq}:m0 = {card.mass_gev:.6f}",
        f"{lq}:mWidth = {card.width_gev:.8e}",
        f"{lq}:doForceWidth = on",
        f"{lq}:mMin = {max(card.mass_gev - window, 1.0):.6f}",
        f"{lq}:mMax = {card.mass_gev + window:.6f}",
        f"{lq}:0:products = {channel.quark} {channel.lepton}",
        f"LeptoQuark:kCoup = {k_coup:.8e}",
    ]


def bias_settings(bias: dict | None) -> list[str]:
    """Pythia's 2 -> 2 phase-space bias: events sampled with an extra (pT-hat / reference)^power,
    each carrying the compensating weight (info.weight()); sigmaGen stays the unbiased one."""
    if bias is None:
        return []
    return [
        "PhaseSpace:bias2Selection = on",
        f"PhaseSpace:bias2SelectionPow = {bias['power']:g}",
        f"PhaseSpace:bias2SelectionRef = {bias['reference_gev']:g}",
    ]


def filtered_cross_section(
    code: int, sigma_mb: float, error_mb: float, tried: dict[int, int], accepted: dict[int, int]
) -> tuple[int, float, float]:
    """(code, sigma, error) in pb of one subprocess after a filter kept ``accepted`` of its
    ``tried`` events: sigma x f, with Pythia's error and the binomial error of f added in
    quadrature (f of all subprocesses for one never tried)."""
    n, k = tried.get(code, 0), accepted.get(code, 0)
    if n == 0:
        n, k = sum(tried.values()), sum(accepted.values())
    fraction = k / n
    sigma = sigma_mb * MB_TO_PB
    binomial = math.sqrt(fraction * (1 - fraction) / n)
    error = math.hypot(error_mb * MB_TO_PB * fraction, sigma * binomial)
    return code, sigma * fraction, error


def hard_scatterings(hard: list[tuple], events) -> HardScatterings:
    """The reweighting's inputs from Pythia's Info of every kept event (x1, x2, id1, id2, QRen,
    QFac, alphaS) and the power of alpha_s of its LHE record."""
    columns = np.array(hard, dtype=np.float64).reshape(-1, 7)
    return HardScatterings(
        x1=columns[:, 0],
        x2=columns[:, 1],
        id1=columns[:, 2].astype(int),
        id2=columns[:, 3].astype(int),
        mu_r=columns[:, 4],
        mu_f=columns[:, 5],
        n_alpha_s=np.array([alpha_s_power(event.particles) for event in events], dtype=int),
        alpha_s=columns[:, 6],
    )


def generate_lhe(
    card: str,
    param_card: str | None,
    model_keys: dict | None,
    output_lhe: str,
    output_json: str,
    chunk: GenerationSpec,
    slice: dict | None = None,
    decay_filter: str | None = None,
    bias: dict | None = None,
    sampling: dict | None = None,
) -> dict:
    """Generate one chunk of hard-process events with Pythia into a gzipped LHE file + JSON sidecar.

    ``param_card`` (signal samples only) is read with ``model_keys`` = {pdg_id, yukawa_block}.
    ``slice`` is the sample's slice {variable, min_gev, max_gev} (None: unsliced); ``decay_filter``
    names a channel filter of :mod:`bsmflow.generate.filters`. ``bias`` = {power, reference_gev}
    switches on Pythia's phase-space bias (pT-hat / reference)^power: more events at high pT-hat,
    each with its compensating weight, written to the LHE file (IDWTUP = 4). ``sampling`` =
    {particles, threshold_gev, keep_fraction}: events whose hard-process leptons' (or visible
    particles') scalar pT sum is below the threshold are kept with that probability and weighted
    back (:mod:`.sampling`). With
    ``chunk.variations`` every event also carries the seven-point (mu_R, mu_F) weights
    (:mod:`bsmflow.generate.scale_weights`, from its x1, x2, parton ids, Q_ren, Q_fac and alpha_s)
    and the members of a PDF error set when one is configured and found.
    Returns the sidecar record: cross section and error in pb (Pythia's sigmaGen estimate of
    this chunk, times the filter's accepted fraction), number of events, seed and every setting.
    """
    stage = Stage("generate", chunk.seed, {"card": card, "param_card": param_card})
    pythia, settings = configure_generator(card, param_card, model_keys, chunk, slice, bias)
    keep = channel_filter(decay_filter) if decay_filter else None
    sampler = PtSampler(sampling, chunk.seed) if sampling else None
    events, weights, hard, tried, accepted = generate_events(pythia, chunk, keep, sampler)
    processes = subprocess_cross_sections(pythia.infoPython(), tried, accepted if keep else None)
    sigma_pb = sum(sigma for _, sigma, _ in processes)
    sigma_err_pb = math.sqrt(sum(error**2 for _, _, error in processes))
    log.info(
        "%s chunk %d: %d events in %.1f s, sigma = %.5g +- %.2g pb",
        chunk.sample,
        chunk.chunk,
        chunk.n_events,
        stage.elapsed(),
        sigma_pb,
        sigma_err_pb,
    )
    version = f"{pythia.parm('Pythia:versionNumber'):.3f}"
    stage.tools["pythia"] = version
    record = stage.record(
        sample=chunk.sample,
        chunk=chunk.chunk,
        generator="pythia",
        generator_version=f"Pythia {version}",
        n_events=chunk.n_events,
        sigma_pb=sigma_pb,
        sigma_err_pb=sigma_err_pb,
        sqrt_s_gev=chunk.sqrt_s_gev,
        pdf=chunk.pdf,
        scale_choice="Pythia's SigmaProcess:renormScale2/factorScale2 (defaults unless in card)",
        processes={str(code): sigma for code, sigma, _ in processes},
        slice=slice,
        decay_filter=decay_filter,
        bias=bias,
        pt_sampling=sampler.record() if sampler else None,
        filter_accepted=sum(accepted.values()) if keep else None,
        filter_tried=sum(tried.values()) if keep else None,
        settings=settings,
    )
    lhe_weights = weights if bias or sampler else None  # weighted events: IDWTUP = 4
    write_chunk(output_lhe, output_json, events, lhe_weights, processes, record, chunk, pythia, hard)
    return record


def configure_generator(
    card: str, param_card: str | None, model_keys: dict | None, chunk: GenerationSpec, slice, bias
):
    """Pythia set up for one chunk: (pythia, every setting applied in order: hard-process
    defaults, the card, the slice and bias, the model point of the param card)."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    settings = hard_process_settings(chunk.sqrt_s_gev, chunk.pdf["pythia_pset"], chunk.seed)
    apply_settings(pythia, settings, "hard-process defaults")
    card_settings = read_pythia_card(card)
    conflicts = card_conflicts(card_settings, slice, card)
    if conflicts:
        raise ValueError("\n".join(conflicts))
    apply_settings(pythia, card_settings, card)
    slice_settings = pythia_slice_settings(slice) + bias_settings(bias)
    apply_settings(pythia, slice_settings, f"slice {slice}, bias {bias}")
    model_settings: list[str] = []
    if param_card is not None:
        model = read_param_card(param_card, **model_keys)
        alpha_em = pythia8mc.AlphaEM()
        alpha_em.init(pythia.mode("SigmaProcess:alphaEMorder"), pythia.settings)
        model_settings = pythia_leptoquark_settings(model, alpha_em.alphaEM(model.mass_gev**2))
        apply_settings(pythia, model_settings, param_card)
    if not pythia.init():
        raise RuntimeError(
            f"Pythia failed to initialise for {chunk.sample} chunk {chunk.chunk} (card {card})"
        )
    return pythia, settings + card_settings + slice_settings + model_settings


def generate_events(pythia, chunk: GenerationSpec, keep, sampler):
    """``chunk.n_events`` hard-process events that pass the decay filter ``keep`` and survive the
    pT-sum ``sampler``: (LHE events, weights, hard-scattering tuples for the variation weights,
    events tried and accepted by the filter per process code)."""
    events, weights, hard = [], [], []
    failures = 0
    tried: dict[int, int] = {}
    accepted: dict[int, int] = {}
    while len(events) < chunk.n_events:
        if not pythia.next():
            failures += 1
            if failures > max(10, chunk.n_events // 10):
                raise RuntimeError(f"{chunk.sample} chunk {chunk.chunk}: Pythia failed {failures} times")
            continue
        info = pythia.infoPython()
        tried[info.code()] = tried.get(info.code(), 0) + 1
        if keep is not None and not keep(boson_decays(pythia.process)):
            continue
        accepted[info.code()] = accepted.get(info.code(), 0) + 1
        factor = sampler.weight(pythia.process) if sampler else 1.0
        if factor is None:
            continue
        events.append(
            event_from_pythia(pythia.process, info.code(), info.QFac(), info.alphaEM(), info.alphaS())
        )
        weights.append(info.weight() * factor)
        hard.append((info.x1(), info.x2(), info.id1(), info.id2(), info.QRen(), info.QFac(), info.alphaS()))
    return events, weights, hard, tried, accepted


def subprocess_cross_sections(info, tried: dict, accepted: dict | None) -> list[tuple]:
    """(code, sigma_pb, error_pb) of every hard process of the chunk: Pythia's sigmaGen, times
    the decay filter's accepted fraction when there is a filter (``accepted`` not None)."""
    return [
        filtered_cross_section(code, info.sigmaGen(code), info.sigmaErr(code), tried, accepted)
        if accepted is not None
        else (code, info.sigmaGen(code) * MB_TO_PB, info.sigmaErr(code) * MB_TO_PB)
        for code in info.codesHard()
    ]


def write_chunk(output_lhe, output_json, events, lhe_weights, processes, record, chunk, pythia, hard) -> None:
    """The LHE file (with the variation weights the chunk asks for) and its JSON sidecar, both
    atomically; the record gets its ``variations`` entry."""
    beams = Beams(sqrt_s_gev=chunk.sqrt_s_gev, lhapdf_id=chunk.pdf["lhapdf_id"], beam_id=PROTON)
    with atomic_output(output_lhe) as tmp_lhe, atomic_output(output_json) as tmp_json:
        if wants_weights(chunk):
            plain = f"{tmp_lhe}.plain.gz"
            write_lhe(plain, events, beams, processes, record, lhe_weights)
            record["variations"] = write_variation_weights(
                plain,
                tmp_lhe,
                chunk,
                hard_scatterings(hard, events),
                pythia_alpha_s(pythia),
                pythia.getPDFPtr(PROTON).xf,
                f"bsmflow, from each event's x1, x2, ids, Q_ren, Q_fac (Pythia's alpha_s, PDF:pSet = "
                f"{chunk.pdf['pythia_pset']})",
            )
            Path(plain).unlink()
        else:  # no copy of the file for nothing
            write_lhe(tmp_lhe, events, beams, processes, record, lhe_weights)
            record["variations"] = dict(NO_WEIGHTS)
        with open(tmp_json, "w") as stream:
            stream.write(record_text(record))
