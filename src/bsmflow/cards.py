"""Pythia command cards: read, check, record."""

from __future__ import annotations

import hashlib
from pathlib import Path


def read_pythia_card(path: str | Path) -> list[str]:
    """Settings lines of a Pythia .cmnd file: 'Key = value', comments after '!' or '#' dropped.

    Raises ValueError naming the file and line for a line that is not a setting, so a typo in a
    card stops the job before any event is generated.
    """
    settings = []
    for number, raw in enumerate(Path(path).read_text().splitlines(), start=1):
        line = raw.split("!", 1)[0].split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"{path}:{number}: not a 'Key = value' setting: {raw.strip()!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        settings.append(f"{key} = {value}")
    return settings


def apply_settings(pythia, settings: list[str], source: str) -> None:
    """readString each setting, failing with the source and line if Pythia rejects one."""
    for setting in settings:
        if not pythia.readString(setting):
            raise ValueError(f"{source}: Pythia rejected the setting {setting!r}")


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def card_value(settings: list[str], key: str) -> float:
    """A numeric setting of a Pythia card's 'Key = value' lines (keys case-insensitive)."""
    for line in settings:
        name, value = (part.strip() for part in line.split("=", 1))
        if name.lower() == key.lower():
            return float(value)
    raise ValueError(f"no {key} in the matching card")
