"""The documentation site: it builds strictly, and every internal link of the built pages resolves
to a file of the site (and to an element id when it names an anchor)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for key in ("href", "src"):
            if attributes.get(key) and tag in ("a", "img", "link", "script"):
                self.hrefs.append(attributes[key])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return target


def parsed(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text())
    return links


def test_every_internal_link_of_the_site_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 14  # every page of the navigation, the generated ones included
    ids = {page: parsed(page).ids for page in pages}
    broken, checked = [], 0
    for page in pages:
        for href in parsed(page).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            path = unquote(parts.path)
            base = site if path.startswith("/") else page.parent  # 404.html links from the root
            target = (base / path.lstrip("/")).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} (no {target})")
            elif parts.fragment and target.suffix == ".html":
                if parts.fragment not in ids.get(target, parsed(target).ids):
                    broken.append(f"{page.relative_to(site)}: {href} (no id {parts.fragment!r})")
    assert checked > 100
    assert not broken, "\n".join(broken)


def test_the_configuration_reference_is_generated_from_every_schema_key(site):
    import yaml

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    page = (site / "configuration" / "index.html").read_text()
    for key in schema["properties"]:
        assert re.search(rf"<code>{key}</code>", page), key
    assert "<code>inference.variation_min_mc_events</code>" in page


def test_the_readme_stays_short_and_is_the_site_index(site):
    readme = (REPO / "README.md").read_text()
    assert len(readme) <= 15_000
    index = (site / "index.html").read_text()
    assert "A five-minute tour of the outputs" in index
