"""Under Zensical, the pages converted after the print page are kept between builds for it, by all their inputs."""

from __future__ import annotations

import pickle
from pathlib import Path

import lxml.html
import pytest

from annotated_essay import zensical_pages
from annotated_essay.citation_settings import CACHE_DIR
from tests.conftest import BuiltSite, build_with_zensical, copy_project
from tests.test_essay_meta import text_of, with_class

pytestmark = pytest.mark.mkdocs_only  # builds with Zensical itself, under either engine's run


def _section_text(site: BuiltSite, source: str) -> str:
    (view,) = with_class(lxml.html.fromstring(site.html("print/index.html")), "div", "print-view")
    (section,) = [found for found in with_class(view, "section", "print-section") if found.get("data-source") == source]
    return text_of(lxml.html.tostring(section, encoding="unicode"))


def _kept(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob("print-pages-*.pickle"))


def test_a_warm_build_takes_the_later_pages_from_the_cache_and_sees_their_files_change(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    first = build_with_zensical(root)
    assert first.error is None, first.report
    (kept,) = _kept(root)
    pages = pickle.loads(kept.read_bytes())
    # references.md and timeline.md sort after print.md: converted for the print view, and kept.
    assert len(pages) == 2 and "Death of Stalin" in pages[1]
    second = build_with_zensical(root)
    assert second.error is None, second.report
    assert _kept(root) == [kept]
    assert second.html("print/index.html") == first.html("print/index.html")
    # The timeline's data is no page: a changed event still reaches the print view on the next build.
    data = root / "docs/timeline.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("Death of Stalin", "Stalin dies"), encoding="utf-8")
    third = build_with_zensical(root)
    assert third.error is None, third.report
    assert "Stalin dies" in _section_text(third, "timeline.md")
    assert "Death of Stalin" not in _section_text(third, "timeline.md")
    assert len(_kept(root)) == 2
    # So does a changed reference in the .bib, on the references page.
    bib = root / "bib/references.bib"
    text = bib.read_text(encoding="utf-8")
    assert "Orbán" not in text
    bib.write_text(text.replace("Vámos", "Vámos-Orbán", 1), encoding="utf-8")
    fourth = build_with_zensical(root)
    assert fourth.error is None, fourth.report
    assert "Orbán" in _section_text(fourth, "references.md")


def test_a_copy_that_differs_from_the_page_fails_the_build_and_is_deleted(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    assert build_with_zensical(root).error is None
    (kept,) = _kept(root)
    references, timeline = pickle.loads(kept.read_bytes())
    kept.write_bytes(pickle.dumps((references, timeline.replace("Death of Stalin", "Not what the page says"))))
    for page in (root / CACHE_DIR).glob("kept-page-*.pickle"):
        page.unlink()  # pages kept whole would not be converted: the print view would use no copy
    stale = build_with_zensical(root)
    assert stale.error is not None
    (message,) = [line for line in stale.messages if line.startswith("ERROR")]
    assert "timeline.md: the print view used a copy of this page" in message and "build again" in message
    assert not kept.exists()
    again = build_with_zensical(root)
    assert again.error is None, again.report
    assert "Death of Stalin" in _section_text(again, "timeline.md")


def test_only_extensions_whose_inputs_are_known() -> None:
    assert "pymdownx.superfences" in zensical_pages.KNOWN_EXTENSIONS
    assert "toc" in zensical_pages.KNOWN_EXTENSIONS
    assert "pymdownx.snippets" not in zensical_pages.KNOWN_EXTENSIONS  # reads other files
