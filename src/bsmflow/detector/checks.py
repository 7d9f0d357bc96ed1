"""Checks of the detector setting (config detector): the card exists and passes its own checks."""

from __future__ import annotations

from pathlib import Path

from .card import DETECTORS_DIR, CardError, card_path, load_card


def detector_errors(detector: str, workdir: Path) -> list[str]:
    """A detector card must exist (config/detectors/<name>.yaml) and pass its checks."""
    if detector == "none":
        return []
    path = card_path(detector, workdir / DETECTORS_DIR)
    if not path.is_file():
        available = sorted(p.stem for p in path.parent.glob("*.yaml"))
        return [f"detector = {detector!r}: no card {card_path(detector)}; available: none, {available}"]
    try:
        load_card(path)
    except CardError as error:
        return [f"detector = {detector!r}: {error}"]
    return []
