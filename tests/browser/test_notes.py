"""Notes on hover and keyboard focus, Esc to close, back-links that land on the citing paragraph."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import ContextFactory, ServedSite, screenshot
from tests.conftest import REPO

pytestmark = pytest.mark.browser

ESSAY_PAGE = "essay/opening/"
TRANSPARENT = "rgba(0, 0, 0, 0)"


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    """Press Tab until ``target`` has keyboard focus, as a keyboard user would."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    pytest.fail(f"{limit} presses of Tab never reached {target}")


def tooltip_of(page: Page, host: Locator, relation: str) -> Locator:
    """The tooltip ``host`` points to while it is open.

    Material links a note (a dialog) with ``aria-controls`` and a title tooltip
    with ``aria-describedby``, and removes the attribute when it closes.
    """
    expect(host).to_have_attribute(relation, re.compile(r"^__tooltip2_"))
    return page.locator(f"[id='{host.get_attribute(relation)}']")


def expect_open(tooltip: Locator) -> None:
    """Wait until ``tooltip`` has faded in (Material adds the class on the next frame)."""
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_class(re.compile(r"\bmd-tooltip2--active\b"))


def note_text(page: Page, link: Locator) -> str:
    """The text of the note a citation number points to (its ``li`` at the page's end)."""
    note_id = link.evaluate("a => new URL(a.href).hash.slice(1)")
    return page.locator(f"li[id='{note_id}'] > p").inner_text().replace("\u21a9", "").strip()


def test_hover_shows_the_full_reference_and_esc_closes_it(page: Page, site: ServedSite) -> None:
    page.goto(site.url(ESSAY_PAGE))
    link = page.locator(".citation a.footnote-ref").first
    reference = note_text(page, link)
    assert reference.startswith("Greene, S. (2021, August 5). Ping-Pong Diplomacy")
    expect(page.locator(".md-tooltip2")).to_have_count(0)

    link.hover()
    tooltip = tooltip_of(page, link, "aria-controls")
    expect_open(tooltip)
    expect(tooltip).to_contain_text(reference)
    expect(tooltip).to_have_attribute("aria-label", "Note")
    path = screenshot(page, "citation-tooltip")
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1":  # the picture in README.md
        shutil.copy(path, REPO / "screenshots" / "citation-tooltip.png")

    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()


def test_keyboard_focus_shows_the_reference_and_esc_closes_it(page: Page, site: ServedSite) -> None:
    page.goto(site.url("essay/step-by-step-china-soviet-conflict/"))
    link = page.locator(".citation a.footnote-ref").first
    reference = note_text(page, link)
    assert "Mao, Khrushchev, and China’s Split with the USSR" in reference

    tab_to(page, link)
    tooltip = tooltip_of(page, link, "aria-controls")
    expect_open(tooltip)
    expect(tooltip).to_contain_text(reference)

    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    # Closing the note leaves the reader where they were.
    expect(link).to_be_focused()


def test_a_closed_note_opens_again_next_time(page: Page, site: ServedSite) -> None:
    page.goto(site.url(ESSAY_PAGE))
    link = page.locator(".citation a.footnote-ref").first
    link.hover()
    tooltip = tooltip_of(page, link, "aria-controls")
    expect_open(tooltip)
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    page.mouse.move(0, 0)
    expect(page.locator(".md-tooltip2")).to_have_count(0)  # Material removes it once left
    link.hover()
    expect_open(tooltip_of(page, link, "aria-controls"))


def test_glossary_link_shows_its_definition_on_hover_and_focus(page: Page, site: ServedSite) -> None:
    page.goto(site.url(ESSAY_PAGE))
    links = page.locator("a.glossary-link")
    assert links.count() >= 2
    definitions = [links.nth(i).get_attribute("title") or "" for i in range(2)]
    assert all(definitions), "a glossary link carries its definition in its title"

    links.first.hover()
    tooltip = tooltip_of(page, links.first, "aria-describedby")
    expect_open(tooltip)
    expect(tooltip).to_have_text(definitions[0])
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()

    page.mouse.move(0, 0)
    tab_to(page, links.nth(1))
    tooltip = tooltip_of(page, links.nth(1), "aria-describedby")
    expect_open(tooltip)
    expect(tooltip).to_have_text(definitions[1])
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(links.nth(1)).to_be_focused()


#: The ids of citations whose paragraph (or list item) has a background colour.
HIGHLIGHTED_JS = """transparent => [...document.querySelectorAll('article .citation')]
    .filter(c => getComputedStyle(c.closest('p, li, td, blockquote')).backgroundColor !== transparent)
    .map(c => c.id)"""


def expect_highlighted(page: Page, anchors: list[str]) -> None:
    """Wait until exactly the paragraphs citing at ``anchors`` are highlighted (fail after the timeout)."""
    try:
        page.wait_for_function(
            f"expected => JSON.stringify(({HIGHLIGHTED_JS})('{TRANSPARENT}')) === JSON.stringify(expected)",
            arg=anchors,
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        found = page.evaluate(HIGHLIGHTED_JS, TRANSPARENT)
        pytest.fail(f"{page.url}: highlighted citations {found}, expected {anchors}")


def test_back_links_land_on_the_citing_paragraph_highlighted(page: Page, site: ServedSite) -> None:
    page.goto(site.url("references/"))
    back_links = page.locator(".bibliography .citation-backlinks a")
    count = back_links.count()
    assert count >= 4, "at least one back-link per source"
    for number in range(count):
        page.goto(site.url("references/"))
        link = back_links.nth(number)
        target = link.evaluate("a => a.href")
        anchor = target.split("#")[1]
        page.evaluate("window.stillTheSameDocument = true")
        link.click()
        page.wait_for_url(target)
        # navigation.instant swapped the content instead of loading a new document.
        assert page.evaluate("window.stillTheSameDocument === true")
        expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
        assert page.evaluate("document.querySelector(':target')?.id") == anchor
        expect_highlighted(page, [anchor])


def test_a_link_to_a_citation_highlights_it_on_a_fresh_load(new_context: ContextFactory, site: ServedSite) -> None:
    page = new_context().new_page()
    page.goto(site.url(ESSAY_PAGE))
    expect_highlighted(page, [])
    page = new_context().new_page()
    page.goto(site.url(ESSAY_PAGE + "#citation-1"))
    expect(page.locator("#citation-1")).to_be_in_viewport()
    expect_highlighted(page, ["citation-1"])
