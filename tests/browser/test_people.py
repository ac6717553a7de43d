"""People and glossary entries in the browser: tooltips with dates, the People page, back-links, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ContextFactory, ServedSite, screenshot
from tests.browser.test_axe import violations
from tests.browser.test_notes import expect_open, tab_to, tooltip_of

pytestmark = pytest.mark.browser

STEPS = "essay/step-by-step-china-soviet-conflict/"


def test_a_person_shows_dates_and_office_on_hover_and_focus(page: Page, site: ServedSite) -> None:
    page.goto(site.url(STEPS))
    stalin = page.locator("a.glossary-link[href$='people/#stalin']")
    expect(stalin).to_have_count(1)  # first mention only
    expect(stalin).to_have_text("Joseph Stalin’s")
    stalin.hover()
    tooltip = tooltip_of(page, stalin, "aria-describedby")
    expect_open(tooltip)
    expect(tooltip).to_have_text(
        "Joseph Stalin (1878–1953), ruler of the Soviet Union from the late 1920s until his death in March 1953."
    )
    screenshot(page, "person-tooltip")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()

    page.mouse.move(0, 0)
    kissinger = page.locator("a.glossary-link[href$='people/#kissinger']")
    tab_to(page, kissinger)
    tooltip = tooltip_of(page, kissinger, "aria-describedby")
    expect_open(tooltip)
    expect(tooltip).to_contain_text("Henry Kissinger (1923–2023)")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(kissinger).to_be_focused()


def test_tooltips_show_text_never_markup(page: Page, site: ServedSite) -> None:
    """Every glossary and people tooltip on the essay's pages reads as plain text: no tags, brackets or URLs."""
    for path in ["essay/opening/", STEPS, "essay/chinas-concerns/"]:
        page.goto(site.url(path))
        links = page.locator("a.glossary-link")
        for index in range(links.count()):
            title = links.nth(index).get_attribute("title") or ""
            assert title and not re.search(r"[<>\[\]]|https?:|\]\(", title), (path, title)
        links.last.focus()
        tooltip = tooltip_of(page, links.last, "aria-describedby")
        expect_open(tooltip)
        expect(tooltip.locator("*:not(.md-tooltip2__inner)")).to_have_count(0)  # text only, no elements


def test_a_person_link_leads_to_the_entry_and_back(page: Page, site: ServedSite) -> None:
    page.goto(site.url(STEPS))
    page.locator("a.glossary-link[href$='people/#khrushchev']").click()
    page.wait_for_url(re.compile(r"/people/#khrushchev$"))
    expect(page.locator("h2#khrushchev")).to_be_in_viewport()
    appears = page.locator("h2#khrushchev ~ p.glossary-appears").first
    expect(appears).to_contain_text("Appears in: Step by Step China-Soviet Conflict")
    appears.get_by_role("link", name="Step by Step China-Soviet Conflict").click()
    page.wait_for_url(re.compile(r"/essay/step-by-step-china-soviet-conflict/#glossary-ref-khrushchev$"))
    mention = page.locator("#glossary-ref-khrushchev")
    expect(mention).to_be_in_viewport()
    # The paragraph of the mention is highlighted (assets/glossary.css).
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('glossary-ref-khrushchev').closest('p'))"
        ".backgroundColor !== 'rgba(0, 0, 0, 0)'"
    )


def test_the_people_page_index_and_see_also(page: Page, site: ServedSite) -> None:
    page.goto(site.url("people/"))
    index = page.get_by_role("navigation", name="Entries by letter")
    expect(index.get_by_role("link")).to_have_text(["D", "K", "M", "N", "O", "P", "S", "T", "X", "Z"])
    index.get_by_role("link", name="X").click()
    page.wait_for_url(re.compile(r"/people/#xi-jinping$"))
    expect(page.locator("h2#xi-jinping")).to_be_in_viewport()
    # "See also" crosses to the glossary page (from a fresh load: no scrolling still under way).
    page.goto(site.url("people/"))
    see_also = page.locator("h2#xi-jinping ~ p.glossary-see-also").first
    see_also.get_by_role("link", name="Changes unseen in a century").click()
    page.wait_for_url(re.compile(r"/glossary/#changes-unseen-in-a-century$"))
    expect(page.locator("h2#changes-unseen-in-a-century")).to_be_in_viewport()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_people_page_with_a_tooltip_open_has_no_violations(
    new_context: ContextFactory, site: ServedSite, scheme: str
) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto(site.url("people/"))
    link = page.locator("article a.glossary-link").first
    link.focus()
    expect_open(tooltip_of(page, link, "aria-describedby"))
    page.wait_for_function("() => document.getAnimations().length === 0")
    assert violations(page, f"{scheme}-people-tooltip") == ""


def test_the_people_page_on_a_phone(new_context: ContextFactory, site: ServedSite) -> None:
    phone = new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True).new_page()
    phone.goto(site.url("people/#zhou-enlai"))
    widths = phone.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert widths[0] <= widths[1] == 375
    link = phone.locator("h2#zhou-enlai ~ p a.glossary-link").first
    link.scroll_into_view_if_needed()
    link.focus()
    tooltip = tooltip_of(phone, link, "aria-describedby")
    expect(tooltip).to_be_visible()
    box = tooltip.locator(".md-tooltip2__inner").bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
