"""Editors' footnotes beside citations: their own labels, tooltips, the print view, out of search.

A copy of the project gets one more page in the navigation, with a citation and
an editors' footnote (``[^ed1]``): Python-Markdown numbers both notes "1" on
their own; here the source note keeps the reference list's number (2) and the
footnote is "i".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ServedSite, serve_project
from tests.browser.test_notes import expect_open, tooltip_of

pytestmark = pytest.mark.browser

PAGE = """# Footnotes

A sentence that cites a source [@vamos2010] and carries a remark.[^ed1]

[^ed1]: Wombat remark of the editors, kept out of the search index.
"""


@pytest.fixture(scope="module")
def footnote_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    destination = tmp_path_factory.mktemp("footnote-site")

    def edit(data: dict[str, Any]) -> None:
        (destination / "docs" / "footnotes.md").write_text(PAGE, encoding="utf-8")
        data["nav"].append({"Footnotes": "footnotes.md"})

    with serve_project(destination, edit) as served:
        yield served


def test_two_series_each_with_its_tooltip(page: Page, footnote_site: ServedSite) -> None:
    page.goto(footnote_site.url("footnotes/"))
    citation = page.locator(".citation a.footnote-ref")
    footnote = page.locator("sup[id^='fnref'] a.footnote-ref")
    expect(citation).to_have_text("2")
    expect(footnote).to_have_text("i")
    markers = page.locator(".editors-footnotes ol > li").first.evaluate(
        "li => getComputedStyle(li.parentElement).listStyleType"
    )
    assert markers == "lower-roman"

    footnote.hover()
    tooltip = tooltip_of(page, footnote, "aria-controls")
    expect_open(tooltip)
    expect(tooltip).to_contain_text("Wombat remark of the editors")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()

    citation.hover()
    tooltip = tooltip_of(page, citation, "aria-controls")
    expect_open(tooltip)
    expect(tooltip).to_contain_text("Vámos, P.")


def test_print_view_and_search(footnote_site: ServedSite) -> None:
    site_dir: Path = footnote_site.site_dir
    printed = (site_dir / "print" / "index.html").read_text(encoding="utf-8")
    assert "Wombat remark of the editors" in printed
    assert re.search(r'<a class="footnote-ref" href="#[^"]*fn:ed1">i</a>', printed)
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(document["text"] for document in index["docs"])
    assert "carries a remark" in texts  # the page is indexed
    assert "Wombat" not in texts  # its footnote is not
