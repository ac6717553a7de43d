"""axe-core finds no accessibility violation on any page, in either scheme, nor with dialogs open."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, ContextFactory, ServedSite

pytestmark = pytest.mark.browser

AXE = Axe()


def violations(page: Page, name: str) -> str:
    """axe-core's report of the page as it is now ("" when clean); saved under test-output/axe/."""
    results = AXE.run(page)
    if results.violations_count == 0:
        return ""
    (OUTPUT / "axe").mkdir(parents=True, exist_ok=True)
    results.save_to_file(OUTPUT / "axe" / f"{name}.json", violations_only=True)
    return str(results.generate_report())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_violations(new_context: ContextFactory, site: ServedSite, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    reports = {}
    for path in [*site.pages, "no-such-page/"]:  # the last one gets 404.html
        page.goto(site.url(path))
        report = violations(page, f"{scheme}-{path.strip('/').replace('/', '-') or 'home'}")
        if report:
            reports[path or "/"] = report
    assert not reports, "\n".join(f"== {path}\n{report}" for path, report in reports.items())


def settle(page: Page) -> None:
    """Wait for CSS transitions to end: colours measured mid-fade are not the reader's."""
    page.wait_for_function("() => document.getAnimations().length === 0")


def _search_with_results(page: Page) -> None:
    page.locator(".md-search__input").click()
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching")
    page.locator(".md-search__input").press_sequentially("Khrushchev")
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def _note_open(page: Page) -> None:
    page.locator(".citation a.footnote-ref").first.hover()
    expect(page.locator(".md-tooltip2--active")).to_be_visible()


def _glossary_definition_open(page: Page) -> None:
    page.locator("a.glossary-link").first.focus()
    expect(page.locator(".md-tooltip2--active")).to_be_visible()


STATES: dict[str, Callable[[Page], None]] = {
    "search-open": _search_with_results,
    "note-open": _note_open,
    "glossary-definition-open": _glossary_definition_open,
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("state", STATES)
def test_open_dialogs_and_tooltips_have_no_violations(
    new_context: ContextFactory, site: ServedSite, scheme: str, state: str
) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto(site.url("essay/step-by-step-china-soviet-conflict/"))
    STATES[state](page)
    settle(page)
    assert violations(page, f"{scheme}-{state}") == ""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_with_the_navigation_drawer_open(new_context: ContextFactory, site: ServedSite, scheme: str) -> None:
    page = new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, color_scheme=scheme
    ).new_page()
    page.goto(site.url("essay/opening/"))
    assert violations(page, f"{scheme}-phone-essay") == ""
    page.locator("label.md-header__button[for=__drawer]").tap()
    expect(page.locator(".md-nav--primary")).to_be_in_viewport()
    settle(page)
    assert violations(page, f"{scheme}-phone-drawer-open") == ""


def test_axe_reports_a_violation_it_is_given(page: Page, site: ServedSite) -> None:
    """The check can fail: an image without alternative text is reported."""
    page.goto(site.url("essay/opening/"))
    page.evaluate("document.querySelector('article p').append(document.createElement('img'))")
    assert "image-alt" in violations(page, "deliberate-violation")
