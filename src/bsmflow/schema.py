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


BOUNDS = {
    "minimum": ">= {}",
    "exclusiveMinimum": "> {}",
    "maximum": "<= {}",
    "exclusiveMaximum": "< {}",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "pattern": "matches `{}`",
}


def _resolve(node: dict, schema: dict) -> dict:
    """A property's schema with its $ref (to #/$defs/...) merged in."""
    if "$ref" not in node:
        return node
    target = schema
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _type_of(node: dict) -> str:
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    kinds = node.get("type", "any")
    return " or ".join(kinds) if isinstance(kinds, list) else kinds


def _rows(node: dict, path: str, schema: dict, required: bool):
    node = _resolve(node, schema)
    bounds = "; ".join(template.format(node[key]) for key, template in BOUNDS.items() if key in node)
    default = f"`{node['default']}`" if "default" in node else ("required" if required else "optional")
    cells = [f"`{path}`", _type_of(node), default, bounds, node.get("description", "")]
    yield "| " + " | ".join(_cell(cell) for cell in cells) + " |"
    needed = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        yield from _rows(child, f"{path}.{name}", schema, name in needed)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _rows(extra, f"{path}.<name>", schema, True)
    items = node.get("items")
    if isinstance(items, dict) and (items.get("properties") or "$ref" in items):
        yield from _rows(items, f"{path}[]", schema, True)


def reference_markdown(schema_path: str | Path) -> str:
    """The configuration reference as a Markdown page: one table per top-level key, a row per
    key of its subtree with type, default, bounds and the schema's description."""
    schema = yaml.safe_load(Path(schema_path).read_text())
    lines = [
        "# Configuration reference",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` when the site is built: the schema is",
        "the one place where a key, its bounds, its default and its meaning are written. The",
        "configuration is checked against it before any job runs; every problem is reported with",
        "the file, the key and the value. `<name>` stands for a name the user chooses and `[]` for",
        "each item of a list.",
        "",
    ]
    needed = set(schema.get("required", []))
    for name, node in schema["properties"].items():
        lines += [
            f"## `{name}`",
            "",
            "| key | type | default | bounds | meaning |",
            "|---|---|---|---|---|",
            *_rows(node, name, schema, name in needed),
            "",
        ]
    return "\n".join(lines)
