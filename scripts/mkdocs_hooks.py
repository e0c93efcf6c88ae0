"""MkDocs hooks: pages made from the repository at build time, so they never drift from it.

``index.md`` is the repository's ``README.md`` with its links pointed into the site.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]


def front_page() -> str:
    """The README as the site's home page: ``docs/x.md`` links become ``x.md``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.sub(r"\]\(docs/", "](", text)


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, "index.md", content=front_page()))
    return files
