"""The house rules that keep the package walkable, checked so they stay true: thin glue between
Snakemake and the package, small modules, scripts that run the installed package, and defaults
written only in the schema."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "bsmflow"
MAX_MODULE_LINES = 300
MAX_COMMON_SMK_LINES = 150
# dicts that are not the config although their keys may share a config key's name (a ROOT file's
# metadata has a 'shower' block, as the config's variations have a 'shower' switch)
NOT_CONFIG = {"metadata"}


def test_common_smk_is_snakemake_glue_only():
    text = (REPO / "rules" / "common.smk").read_text()
    assert len(text.splitlines()) <= MAX_COMMON_SMK_LINES
    # the config is read only to build the study: no other key lookup
    assert re.findall(r"config\[", text) == []


def test_rules_read_no_config_and_have_no_lambdas():
    for rules in sorted((REPO / "rules").glob("*.smk")):
        text = rules.read_text()
        assert "config[" not in text, rules.name
        assert "lambda" not in text, rules.name


def test_no_module_over_the_size_limit():
    sizes = {path.relative_to(REPO): len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert not {path: n for path, n in sizes.items() if n > MAX_MODULE_LINES}


def test_scripts_and_benches_use_the_installed_package():
    for path in [*(REPO / "scripts").glob("*.py"), *(REPO / "bench").glob("*.py")]:
        text = path.read_text()
        assert '/ "src"' not in text and "/../src" not in text, path.name


def test_no_schema_default_is_repeated_in_code():
    """A config value with a schema default is read as config[key]; .get(key, default) would be a
    second source of the default (variation_min_mc_events once defaulted to 10 in code)."""
    import yaml

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    defaulted: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                if isinstance(child, dict) and "default" in child:
                    defaulted.add(name)
                walk(child)
            for child in node.values():
                if isinstance(child, dict):
                    walk(child)

    walk(schema)
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in defaulted
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id in NOT_CONFIG)
            ):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno} .get({node.args[0].value!r}, ...)")
    assert not offenders, offenders
