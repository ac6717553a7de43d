"""MkDocs hook for the benchmark's *floor*: the stock site serving our finished pages, with no work.

The floor answers "how much of the added time is the content itself?". Our hooks
add notes, a 2,000-entry reference list, glossary links and back-links; Material
then indexes, renders and writes that content whoever produced it. The floor site
is the stock site whose pages are replaced, as they are converted, by the HTML our
build gave them (read from ``floor-pages.json``): every cost of the content, none
of the work of producing it.

With ``FLOOR_CAPTURE=path`` in the environment, the hook instead records the
finished content of every page of a build with our hooks and writes it to ``path``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

#: Beside the floor project's mkdocs.yml (benchmarks.corpus.FLOOR_PAGES names it too).
PAGES_FILE = "floor-pages.json"
_finished: dict[str, str] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read the finished pages (when replaying)."""
    _finished.clear()
    path = Path(config.config_file_path or "mkdocs.yml").parent / PAGES_FILE
    if not os.environ.get("FLOOR_CAPTURE") and path.is_file():
        _finished.update(json.loads(path.read_text(encoding="utf-8")))
    return config


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the page's HTML with the finished one (when replaying)."""
    return _finished.get(page.file.src_uri, html)


# Priority -100: after every other handler (ours at -50), when the content is final.
@event_priority(-100)
def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Record the finished content (when capturing)."""
    if os.environ.get("FLOOR_CAPTURE"):
        _finished[page.file.src_uri] = page.content or ""
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """Write what was recorded (when capturing)."""
    target = os.environ.get("FLOOR_CAPTURE")
    if target:
        Path(target).write_text(json.dumps(_finished, ensure_ascii=False), encoding="utf-8")
