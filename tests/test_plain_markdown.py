"""Every extension of the package also works with plain Python-Markdown, without MkDocs or Zensical.

What needs the whole site falls back to the page alone (numbers restart, no
back-links), and paths are relative to the working folder instead of
``docs_dir``; but the page converts, with its citations and glossary links.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import markdown
import pytest

from annotated_essay import page_context
from annotated_essay.site_index import load_site_index
from tests.conftest import REPO

CONFIGURED = [
    (name, dict(settings))
    for name, settings in load_site_index(REPO / "mkdocs.yml").markdown_extensions
    if name.startswith("annotated_essay.")
]


def plain_settings(name: str, settings: dict[str, Any]) -> dict[str, Any]:
    """mkdocs.yml's settings for running from the repository: term pages named by their path."""
    if name == "annotated_essay.glossary":
        pages = settings["glossary"] if isinstance(settings["glossary"], list) else [settings["glossary"]]
        settings = {**settings, "glossary": [f"docs/{page}" for page in pages]}
    return settings


@pytest.mark.parametrize(("name", "settings"), CONFIGURED, ids=[name for name, _ in CONFIGURED])
def test_extension_converts_a_page_without_an_engine(
    name: str, settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    page_context.clear_mkdocs_page()
    text = Path("docs/essay/opening.md").read_text(encoding="utf-8")
    md = markdown.Markdown(
        extensions=["attr_list", "footnotes", "toc", name],
        extension_configs={name: plain_settings(name, settings)},
    )
    assert page_context.current_page(md) is None
    html = md.convert(text)
    assert "There are no everlasting allies or enemies in international relations." in html
    if name == "annotated_essay.citations":
        assert 'href="#fn:cite-greene2021">1</a>' in html
    if name == "annotated_essay.glossary":
        assert 'class="glossary-link"' in html
    assert os.getcwd() == str(REPO)


def test_every_configured_extension_is_covered() -> None:
    assert {"annotated_essay.citations", "annotated_essay.glossary"} <= {name for name, _ in CONFIGURED}
