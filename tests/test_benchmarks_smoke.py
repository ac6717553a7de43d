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
from benchmarks import run as benchmark


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


def test_kept_cache_project_is_a_fresh_copy_of_the_stock_project(tmp_path: Path) -> None:
    stock = corpus.scale(tmp_path / "scale-stock", "stock", pages=2, entries=10, keys_per_page=5, glossary_terms=4)
    corpus.template_cache_config(stock.config)
    for left in ("site", ".cache", CACHE_DIR):  # what earlier builds of the stock project leave
        (stock.root / left).mkdir(exist_ok=True)
        (stock.root / left / "x").write_text("earlier build", encoding="utf-8")
    kept = benchmark.kept_cache_project(stock.config)
    assert kept == tmp_path / "scale-stock-kept" / "mkdocs.yml"
    assert kept.read_bytes() == stock.config.read_bytes()
    copied = _site_files(kept.parent)
    assert copied == {
        name: data
        for name, data in _site_files(stock.root).items()
        if name.split("/")[0] not in ("site", ".cache", CACHE_DIR, "mkdocs-template-cache.yml")
    }
    assert "docs/pages/page-0001.md" in copied
    (kept.parent / ".cache").mkdir()  # the previous run's cache is not measured again
    assert not (benchmark.kept_cache_project(stock.config).parent / ".cache").exists()


def _measured(label: str, seconds: list[float], cpu: list[float]) -> benchmark.Measurement:
    case = benchmark.Case(label, Path("python"), Path("mkdocs.yml"), engine="zensical")
    return benchmark.Measurement(case, seconds, [50_000] * len(seconds), cpu)


def test_zensical_section_gives_ours_against_both_stock_builds() -> None:
    results = {
        "stock": _measured("stock", [0.60, 0.65, 0.70], [0.30, 0.30, 0.31]),
        "stock kept": _measured("stock kept", [0.55, 0.57, 0.50], [0.25, 0.26, 0.24]),
        "ours": _measured("ours", [0.73, 0.70, 0.80], [0.33, 0.32, 0.34]),
    }
    rows = benchmark.zensical_rows("essay", results)
    assert [row.split(" | ")[1] for row in rows] == [label for _, label in benchmark.ZENSICAL_BUILDS]
    # ours' medians over each build's: 0.73 / 0.65 and 0.33 / 0.30; 0.73 / 0.55 and 0.33 / 0.25.
    assert " | 1.12 (1.10) | " in rows[0] and " | 1.33 (1.32) | " in rows[1] and " | – | " in rows[2]
    gated, against_kept = benchmark.zensical_targets(results)
    assert (gated.measured, gated.met) == ("1.12× (CPU 1.10×)", True)
    assert (against_kept.measured, against_kept.met) == ("1.33× (CPU 1.32×)", None)
    assert "with its own cache" in against_kept.what
    summary = benchmark.zensical_summary({"essay": results})
    assert "1.12× (CPU 1.10×) stock Zensical `--clean`" in summary
    assert "1.33× (CPU 1.32×) stock Zensical with its own cache kept" in summary
    slower = {**results, "ours": _measured("ours", [0.76, 0.76, 0.76], [0.33, 0.33, 0.33])}
    assert benchmark.zensical_targets(slower)[0].met is False  # 0.76 > 1.15 × 0.65
