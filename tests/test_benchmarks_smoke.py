"""Smoke test of the benchmark's corpus: generate it at a tiny size and build it once with our hooks.

Speed is measured by benchmarks/run.py, never here; this checks that the generated
project is what the benchmark claims (pages, notes, reference list, glossary links)
and that it builds with ``--strict``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from annotated_essay.citation_settings import CACHE_DIR
from benchmarks import corpus


def test_tiny_scale_corpus_builds_with_our_hooks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = corpus.scale(tmp_path / "ours", "ours", pages=3, entries=24, keys_per_page=8, glossary_terms=6)
    assert project.pages == ["pages/page-0001.md", "pages/page-0002.md", "pages/page-0003.md"]
    assert project.entries == 24
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build(load_config(str(project.config), strict=True, site_dir=str(tmp_path / "site")))
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []

    first = (tmp_path / "site" / "pages" / "page-0001" / "index.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="fn:cite-([^"]+)"', first)
    assert len(notes) == 8  # one note per cited source
    assert len(re.findall(r'<sup class="citation"', first)) == 8 + 4  # 8 sources, 2 pairs, 4 cited again
    assert "citation-locator" in first
    references = (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8")
    # The last page also cites the keys left over, so every entry is listed and cited.
    assert len(re.findall(r'<li id="ref-', references)) == 24
    if corpus.glossary_available():
        assert project.glossary_terms == 6
        assert "glossary-link" in first
    cache = tmp_path / "ours" / CACHE_DIR
    templates = [path for path in cache.iterdir() if path.name.startswith("jinja-")]
    assert templates  # the theme's compiled templates (template_cache.py), named by their key
    kinds = sorted(path.name.rsplit("-", 1)[0] + path.suffix for path in cache.iterdir() if path not in templates)
    assert kinds == [
        "bibliography.pickle",
        "citation-scans.json",
        "csl-style-usable.txt",
        "csl-style.pickle",
        "essay-json.txt",
        "glossary-matches.json",
        "glossary-mentions-appears.txt",
        "glossary-mentions.json",
        "glossary-table.pickle",
        "reference-list.txt",
        "references-json.txt",
        "references.json",
        "scholar-references.txt",
        "word-count.pickle",
    ]


def test_stock_and_bibtex_variants_drop_our_configuration(tmp_path: Path) -> None:
    stock = corpus.scale(tmp_path / "stock", "stock", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    text = stock.config.read_text(encoding="utf-8")
    assert "annotated_essay" not in text
    assert "hooks:" not in text
    bibtex = corpus.scale(tmp_path / "bibtex", "bibtex", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    page = (bibtex.root / "docs" / "pages" / "page-0001.md").read_text(encoding="utf-8")
    assert "[see @" not in page  # mkdocs-bibtex's plain mode has no locators
    assert "\\full_bibliography" in (bibtex.root / "docs" / "references.md").read_text(encoding="utf-8")
    assert "bib_file: bib/references.bib" in bibtex.config.read_text(encoding="utf-8")


def test_bibtex_dialect_keeps_groups_and_drops_locators() -> None:
    source = "A [@a] b [@a; @b] c [see @c, p. 5] d [@d-1].\n\n::: bibliography\n"
    assert corpus.to_bibtex_dialect(source) == "A [@a] b [@a; @b] c [@c] d [@d-1].\n\n\\full_bibliography\n"


def _article(html: str) -> str:
    """The page's article as a reader gets it.

    Blank lines are dropped (whitespace between blocks renders as nothing), and so
    are ``data-search-*`` attributes, which Material's search plugin strips from
    the pages it indexes: the floor's pages pass through it, ours partly join the
    page after it (``after_index.py``).
    """
    match = re.search(r"<article.*?</article>", html, re.DOTALL)
    assert match is not None
    article = re.sub(r'\s?data-search-\w+="[^"]+"', "", match.group(0))
    return "\n".join(line for line in article.splitlines() if line.strip())


def test_floor_serves_our_finished_pages_without_our_hooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = corpus.scale(tmp_path / "ours", "ours", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    stock = corpus.scale(tmp_path / "stock", "stock", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    floor_config = corpus.floor(tmp_path / "floor", stock.config)
    monkeypatch.setenv("FLOOR_CAPTURE", str(floor_config.parent / corpus.FLOOR_PAGES))
    build(load_config(str(corpus.capture_config(ours.config)), strict=True, site_dir=str(tmp_path / "site-ours")))
    monkeypatch.delenv("FLOOR_CAPTURE")
    build(load_config(str(floor_config), strict=True, site_dir=str(tmp_path / "site-floor")))
    assert "annotated_essay" not in floor_config.read_text(encoding="utf-8")
    for page in ("pages/page-0001", "references", "glossary"):
        ours_page = (tmp_path / "site-ours" / page / "index.html").read_text(encoding="utf-8")
        floor_page = (tmp_path / "site-floor" / page / "index.html").read_text(encoding="utf-8")
        assert _article(floor_page) == _article(ours_page), page
        assert "<!--annotated-essay:" not in floor_page
    first = (tmp_path / "site-floor" / "pages" / "page-0001" / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote citation-notes"' in first and "glossary-link" in first


def _site_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_stock_with_template_cache_builds_the_stock_site_and_keeps_the_templates(tmp_path: Path) -> None:
    stock = corpus.scale(tmp_path / "stock", "stock", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    cached = corpus.template_cache_config(stock.config)
    assert "template_cache_hook.py" in cached.read_text(encoding="utf-8")
    build(load_config(str(stock.config), strict=True, site_dir=str(tmp_path / "site-stock")))
    for run in ("first", "second"):  # compiled, then loaded from the cache
        build(load_config(str(cached), strict=True, site_dir=str(tmp_path / f"site-{run}")))
        assert _site_files(tmp_path / f"site-{run}") == _site_files(tmp_path / "site-stock"), run
    assert [path for path in (stock.root / CACHE_DIR).iterdir() if path.name.startswith("jinja-")]
