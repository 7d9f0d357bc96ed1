"""The two environment descriptions pin the same versions."""

import re

import yaml


def test_environment_yml_pins_match_requirements(repo):
    pinned = {}
    for line in (repo / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.lower().replace("_", "-")] = version
    environment = yaml.safe_load((repo / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section, "environment.yml has no pip section"
    for requirement in pip_section:
        name, version = re.split(r"==", requirement.split("#")[0].strip())
        assert pinned.get(name.lower().replace("_", "-")) == version, requirement
