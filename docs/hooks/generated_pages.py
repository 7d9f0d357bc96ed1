"""MkDocs hook: pages generated at build time, so that each has one source in the repository.

- configuration.md: the configuration reference, rendered from the config schema;
- index.md: the README, its links rewritten for the site (docs/x.md -> x.md, BENCHMARKS.md ->
  benchmarks.md, images under workflow/report/ copied to images/).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File

from bsmflow.schema import reference_markdown

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "workflow/schemas/config.schema.yaml"
IMAGES = REPO / "workflow/report"


def site_index(readme: str) -> str:
    text = readme.replace("](docs/", "](").replace("](BENCHMARKS.md)", "](benchmarks.md)")
    text = text.replace("](workflow/report/", "](images/")
    return re.sub(r"^\| Configuration \|", "| [Configuration](configuration.md) |", text, flags=re.MULTILINE)


def on_files(files, config):
    files.append(File.generated(config, "configuration.md", content=reference_markdown(SCHEMA)))
    files.append(File.generated(config, "index.md", content=site_index((REPO / "README.md").read_text())))
    for image in sorted(IMAGES.glob("*.png")) + sorted(IMAGES.glob("*.svg")):
        files.append(File.generated(config, f"images/{image.name}", abs_src_path=str(image)))
    return files
