"""Search in the real search box: English names, and Chinese found by any part of a word.

Chinese is indexed letter by letter (the ``separator`` in mkdocs.yml) and the
site's search worker (overrides/assets/javascripts/workers/cjk-search.js) finds
a query's letters only side by side; see test_search_quality.py for recall and
precision over every substring.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, ServedSite, screenshot, serve_project

pytestmark = pytest.mark.browser

READY = "Type to start searching"
NOTHING = "No matching documents"


def search(page: Page, site: ServedSite, query: str) -> list[str]:
    """Type ``query`` into the search box of the home page; the result pages, best first.

    Latin text is typed key by key. Chinese is entered the way an input method
    commits it: the text arrives in one input event, followed by a key release
    (Material reads the query on ``keyup``).
    """
    page.goto(site.url())
    page.locator(".md-search__input").click()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(READY)  # the search worker has loaded the index
    if query.isascii():
        page.locator(".md-search__input").press_sequentially(query)
    else:
        page.keyboard.insert_text(query)
        page.keyboard.press("End")
    expect(meta).not_to_have_text(READY)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
    pages: list[str] = []
    for href in hrefs:
        assert href.startswith(site.base_url), href
        path = href[len(site.base_url) :].split("?")[0].split("#")[0]
        if path not in pages:
            pages.append(path)
    if not pages:
        expect(meta).to_have_text(NOTHING)
    return pages


def page_text(site: ServedSite, path: str) -> str:
    """The visible words of a built page's article, without tags."""
    article = site.site_dir.joinpath(path, "index.html").read_text(encoding="utf-8")
    body = article.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


#: Queries typed into the search box and the page each must find (Zensical's test uses them too).
QUERIES = [
    ("Zhenbao", "essay/step-by-step-china-soviet-conflict/"),
    ("Khrushchev", "essay/step-by-step-china-soviet-conflict/"),
    ("Pax Americana", "essay/conclusion/"),
    # The Global Times headline and the newspaper's name, in the reference list.
    ("中俄关系", "references/"),
    ("环球时报", "references/"),
    # Words from inside longer ones: 复杂 and 关系 inside the headline, 时报 inside 环球时报.
    ("复杂", "references/"),
    ("关系", "references/"),
    ("时报", "glossary/"),
    ("人民日报", "glossary/"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    QUERIES,
)
def test_search_finds_the_page(page: Page, site: ServedSite, query: str, expected: str) -> None:
    found = search(page, site, query)
    if not query.isascii():
        screenshot(page, f"search-{query}")
    assert expected in found
    for path in found:
        assert any(word.lower() in page_text(site, path).lower() for word in query.split()), path


@pytest.mark.parametrize("query", ["Zhenbaoo", "关中", "系关", "报时"])
def test_search_without_results_says_so(page: Page, site: ServedSite, query: str) -> None:
    """A misspelling, and Chinese letters that occur on one page but never side by side."""
    assert search(page, site, query) == []


@pytest.mark.parametrize(("query", "path"), [("关系", "references/"), ("时报", "glossary/"), ("老虎", "glossary/")])
def test_the_opened_page_highlights_the_whole_query(page: Page, site: ServedSite, query: str, path: str) -> None:
    """Results mark the whole query, not its letters; the page a result opens marks it too."""
    search(page, site, query)
    results = page.locator(".md-search-result__item")
    marks = results.locator("mark").all_text_contents()
    assert query in marks
    assert set(marks) == {query}, marks
    # The first result on the page that holds the query (a page's own entry links without ?h= when
    # the query stands only in one of its sections, as Material does for English).
    page.locator(f".md-search-result__item a[href*='{path}?h={quote(query)}']").first.click()
    page.wait_for_url(f"**/{path}?h=*")
    highlighted = page.locator("article mark[data-md-highlight]")
    expect(highlighted.first).to_be_visible()
    assert set(highlighted.all_text_contents()) == {query}
    screenshot(page, f"search-highlight-{query}")


def _bare_search_plugin(data: dict[str, Any]) -> None:
    data["plugins"] = ["search" if _is_search(entry) else entry for entry in data["plugins"]]


def _is_search(entry: object) -> bool:
    return entry == "search" or (isinstance(entry, dict) and "search" in entry)


@pytest.fixture(scope="module")
def default_search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The site with Material's search plugin as it comes (``- search``, no options)."""
    with serve_project(tmp_path_factory.mktemp("default-search"), _bare_search_plugin) as served:
        yield served


def test_default_search_settings_miss_inner_words(new_context: ContextFactory, default_search_site: ServedSite) -> None:
    """Why mkdocs.yml sets ``separator``: without it a run of Chinese is one word, found only by its start.

    The site's worker changes nothing then: it reads its letter class from the separator.
    """
    page = new_context().new_page()
    assert "essay/step-by-step-china-soviet-conflict/" in search(page, default_search_site, "Zhenbao")
    assert "references/" in search(page, default_search_site, "中俄关系")
    assert search(page, default_search_site, "关系") == []
    assert search(page, default_search_site, "时报") == []


def test_search_settings_in_the_index(site: ServedSite) -> None:
    """The index holds the text as written; the separator cuts around every CJK letter, English as before."""
    index = json.loads(Path(site.site_dir, "search", "search_index.json").read_text(encoding="utf-8"))
    assert any("中俄关系在复杂国际形势下更加稳健成熟" in doc["text"] for doc in index["docs"])
    assert not any("\u200b" in doc["text"] for doc in index["docs"])
    separator = re.compile(index["config"]["separator"])
    cut = [part for part in separator.split("环球时报，Global Times 纸老虎 ひらがな 서울") if part]
    assert cut == ["环", "球", "时", "报", "Global", "Times", "纸", "老", "虎", "ひ", "ら", "が", "な", "서", "울"]
    assert [part for part in separator.split("China-Russia  relations\u200bin") if part] == [
        "China",
        "Russia",
        "relations",
        "in",
    ]
    assert index["config"]["pipeline"] == ["stopWordFilter"]  # Material's default for English
