"""The configuration's JSON schema (workflow/schemas/config.schema.yaml): every violation as a
readable 'key = value: problem' line, and the schema's defaults filled in. The schema is the one
place a default is written; code reads the filled config and never supplies its own."""

from __future__ import annotations

from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators


class ConfigError(ValueError):
    """Bad configuration: the message names the file, the key, the value and what is allowed."""


def _key(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def schema_errors(config: dict, schema_path: str | Path) -> list[str]:
    """Every violation of the JSON schema as 'key = value: problem' lines."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = Draft202012Validator(schema)
    messages = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        where = _key(error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            unknown = sorted(set(error.instance) - set(allowed))
            messages.append(f"{where}: unknown key(s) {unknown}; allowed: {allowed}")
        elif error.validator == "required":
            messages.append(f"{where}: {error.message}")
        else:
            messages.append(f"{where} = {error.instance!r}: {error.message}")
    return messages


def _set_defaults(validator, properties, instance, schema):
    for name, subschema in properties.items():
        if isinstance(instance, dict) and "default" in subschema:
            instance.setdefault(name, subschema["default"])
    yield from Draft202012Validator.VALIDATORS["properties"](validator, properties, instance, schema)


_FILLING = validators.extend(Draft202012Validator, {"properties": _set_defaults})


def fill_defaults(config: dict, schema_path: str | Path) -> dict:
    """Fill the schema's defaults into ``config`` in place (nested objects too, as Snakemake's
    validate does) and return it; run after :func:`schema_errors` found nothing."""
    _FILLING(yaml.safe_load(Path(schema_path).read_text())).validate(config)
    return config
