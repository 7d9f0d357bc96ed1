"""Embedded parton-level generator: Pythia 8's own hard processes written as LHE.

Only the hard process (with resonance decays) is generated: PartonLevel and HadronLevel are
switched off here, and the shower stage reads the LHE file exactly as it would read MadGraph's.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from . import __version__
from .cards import apply_settings, file_sha256, read_pythia_card
from .io import atomic_output
from .lhe import Beams, event_block, write_lhe
from .model import pythia_leptoquark_settings, read_param_card
from .provenance import utc_now

MB_TO_PB = 1e9
log = logging.getLogger(__name__)


def hard_process_settings(sqrt_s_gev: float, pdf_pset: int, seed: int) -> list[str]:
    """Settings every generation job shares: beams, PDF, seed, hard process only."""
    return [
        "Beams:idA = 2212",
        "Beams:idB = 2212",
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


def generate_lhe(
    card: str,
    param_card: str | None,
    output_lhe: str,
    output_json: str,
    *,
    sample: str,
    chunk: int,
    n_events: int,
    seed: int,
    sqrt_s_gev: float,
    pdf: dict,
) -> dict:
    """Generate n_events hard-process events with Pythia into a gzipped LHE file + JSON sidecar.

    Returns the sidecar record: cross section and error in pb (Pythia's sigmaGen estimate of
    this chunk), number of events, seed and every setting used.
    """
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    settings = hard_process_settings(sqrt_s_gev, pdf["pythia_pset"], seed)
    apply_settings(pythia, settings, "hard-process defaults")
    card_settings = read_pythia_card(card)
    apply_settings(pythia, card_settings, card)
    model_settings: list[str] = []
    if param_card is not None:
        model = read_param_card(param_card)
        alpha_em = pythia8mc.AlphaEM()
        alpha_em.init(pythia.mode("SigmaProcess:alphaEMorder"), pythia.settings)
        model_settings = pythia_leptoquark_settings(model, alpha_em.alphaEM(model.mass_gev**2))
        apply_settings(pythia, model_settings, param_card)
    if not pythia.init():
        raise RuntimeError(f"Pythia failed to initialise for {sample} chunk {chunk} (card {card})")

    events = []
    started = utc_now()
    start = time.monotonic()
    failures = 0
    while len(events) < n_events:
        if not pythia.next():
            failures += 1
            if failures > max(10, n_events // 10):
                raise RuntimeError(f"{sample} chunk {chunk}: Pythia failed {failures} times")
            continue
        info = pythia.infoPython()
        events.append(event_block(pythia.process, info.code(), info.QFac(), info.alphaEM(), info.alphaS()))
    info = pythia.infoPython()
    sigma_pb, sigma_err_pb = info.sigmaGen() * MB_TO_PB, info.sigmaErr() * MB_TO_PB
    elapsed = time.monotonic() - start
    log.info(
        "%s chunk %d: %d events in %.1f s, sigma = %.5g +- %.2g pb",
        sample,
        chunk,
        n_events,
        elapsed,
        sigma_pb,
        sigma_err_pb,
    )

    record = {
        "sample": sample,
        "chunk": chunk,
        "generator": "pythia",
        "generator_version": f"Pythia {pythia.parm('Pythia:versionNumber'):.3f}",
        "bsmflow_version": __version__,
        "seed": seed,
        "n_events": n_events,
        "sigma_pb": sigma_pb,
        "sigma_err_pb": sigma_err_pb,
        "sqrt_s_gev": sqrt_s_gev,
        "pdf": pdf,
        "scale_choice": "Pythia's SigmaProcess:renormScale2/factorScale2 (defaults unless in card)",
        "processes": {str(code): info.sigmaGen(code) * MB_TO_PB for code in info.codesHard()},
        "card": card,
        "card_sha256": file_sha256(card),
        "param_card": param_card,
        "param_card_sha256": file_sha256(param_card) if param_card else None,
        "settings": settings + card_settings + model_settings,
        "wall_time_s": round(elapsed, 3),
        "started": started,
        "finished": utc_now(),
    }
    beams = Beams(sqrt_s_gev=sqrt_s_gev, lhapdf_id=pdf["lhapdf_id"])
    processes = [
        (code, info.sigmaGen(code) * MB_TO_PB, info.sigmaErr(code) * MB_TO_PB) for code in info.codesHard()
    ]
    with atomic_output(output_lhe) as tmp_lhe, atomic_output(output_json) as tmp_json:
        write_lhe(tmp_lhe, events, beams, processes, record)
        Path(tmp_json).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return record
