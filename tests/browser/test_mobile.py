"""A 375 px wide phone: no sideways scrolling anywhere, notes reachable by tap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, ServedSite, screenshot

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def phone(new_context: ContextFactory) -> Page:
    """A page in a 375 × 740 touch-screen context."""
    return new_context(**PHONE).new_page()


def test_no_page_scrolls_sideways(phone: Page, site: ServedSite) -> None:
    assert len(site.pages) >= 8, site.pages
    too_wide: dict[str, list[int]] = {}
    for path in [*site.pages, "no-such-page/"]:  # the last one gets 404.html
        phone.goto(site.url(path))
        widths: list[int] = phone.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        assert widths[1] == 375
        if widths[0] > widths[1]:
            too_wide[path or "/"] = widths
    screenshot(phone, "phone-last-page", full_page=True)
    assert too_wide == {}, "pages wider than the screen: [scrollWidth, clientWidth]"


def test_tapping_a_citation_shows_its_note_and_the_back_link_returns(phone: Page, site: ServedSite) -> None:
    phone.goto(site.url("essay/opening/"))
    link = phone.locator(".citation a.footnote-ref").first
    note_id = link.evaluate("a => new URL(a.href).hash.slice(1)")
    note = phone.locator(f"li[id='{note_id}']")
    expect(note).not_to_be_in_viewport()

    link.tap()
    expect(note).to_be_in_viewport()
    expect(note).to_contain_text("Greene, S. (2021, August 5).")
    box = note.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    screenshot(phone, "phone-note")

    note.locator("a.footnote-backref").first.tap()
    expect(phone.locator("#citation-1")).to_be_in_viewport()


@pytest.mark.parametrize(
    ("path", "selector", "relation"),
    [
        ("essay/step-by-step-china-soviet-conflict/", ".citation a.footnote-ref", "aria-controls"),
        ("essay/opening/", "a.glossary-link", "aria-describedby"),
    ],
    ids=["note", "glossary-definition"],
)
def test_a_tooltip_fits_on_the_phone_screen_next_to_its_link(
    phone: Page, site: ServedSite, path: str, selector: str, relation: str
) -> None:
    """Given focus (say from a keyboard attached to the phone), a tooltip opens on screen by its link."""
    phone.goto(site.url(path))
    link = phone.locator(selector).first
    link.scroll_into_view_if_needed()
    link.focus()
    expect(link).to_have_attribute(relation, re.compile(r"^__tooltip2_"))
    tooltip = phone.locator(f"[id='{link.get_attribute(relation)}']")
    expect(tooltip).to_be_visible()
    box = tooltip.locator(".md-tooltip2__inner").bounding_box()
    host = link.bounding_box()
    assert box is not None
    assert host is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    # Just below or just above the link.
    gap = max(box["y"] - (host["y"] + host["height"]), host["y"] - (box["y"] + box["height"]))
    assert 0 <= gap <= 40, (box, host)


def test_tapping_a_glossary_term_leads_to_its_definition(phone: Page, site: ServedSite) -> None:
    phone.goto(site.url("essay/opening/"))
    term = phone.locator("a.glossary-link").first
    definition = term.get_attribute("title")
    assert definition
    target = term.evaluate("a => a.href")
    term.tap()
    phone.wait_for_url(target)
    entry = phone.locator(f"[id='{target.split('#')[1]}']")
    expect(entry).to_be_in_viewport()
