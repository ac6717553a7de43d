"""Search in the real search box: English names, and Chinese thanks to jieba and the separator."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Zhenbao", "essay/step-by-step-china-soviet-conflict/"),
        ("Khrushchev", "essay/step-by-step-china-soviet-conflict/"),
        ("Pax Americana", "essay/conclusion/"),
        # The Global Times headline and the newspaper's name, in the reference list.
        ("中俄关系", "references/"),
        ("环球时报", "references/"),
        # A word from the middle of the headline: found only if jieba's words are index terms.
        ("复杂", "references/"),
    ],
)
def test_search_finds_the_page(page: Page, site: ServedSite, query: str, expected: str) -> None:
    found = search(page, site, query)
    if not query.isascii():
        screenshot(page, f"search-{query}")
    assert expected in found
    for path in found:
        assert any(word.lower() in page_text(site, path).lower() for word in query.split()), path


def test_search_without_results_says_so(page: Page, site: ServedSite) -> None:
    assert search(page, site, "Zhenbaoo") == []


def _bare_search_plugin(data: dict[str, Any]) -> None:
    data["plugins"] = ["search" if _is_search(entry) else entry for entry in data["plugins"]]


def _is_search(entry: object) -> bool:
    return entry == "search" or (isinstance(entry, dict) and "search" in entry)


@pytest.fixture(scope="module")
def default_search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The site with Material's search plugin as it comes (``- search``, no options)."""
    with serve_project(tmp_path_factory.mktemp("default-search"), _bare_search_plugin) as served:
        yield served


def test_default_search_settings_find_no_chinese(new_context: ContextFactory, default_search_site: ServedSite) -> None:
    """Why mkdocs.yml sets ``separator``: without it, Chinese queries find nothing."""
    page = new_context().new_page()
    assert "essay/step-by-step-china-soviet-conflict/" in search(page, default_search_site, "Zhenbao")
    assert search(page, default_search_site, "中俄关系") == []
    assert search(page, default_search_site, "环球时报") == []


def test_search_settings_in_the_index(site: ServedSite) -> None:
    """The index holds jieba's words between U+200B, and a separator that splits on U+200B."""
    index = json.loads(Path(site.site_dir, "search", "search_index.json").read_text(encoding="utf-8"))
    assert any("\u200b中俄关系\u200b" in doc["text"] for doc in index["docs"])
    assert re.compile(index["config"]["separator"]).split("中俄关系\u200b在\u200b复杂") == ["中俄关系", "在", "复杂"]
