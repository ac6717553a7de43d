"""The print view prints to a clean PDF through Chromium, with the whole essay in it."""

from __future__ import annotations

import io
import re
from typing import Literal

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.browser.conftest import OUTPUT, ContextFactory, ServedSite, screenshot
from tests.test_essay_meta import SECTION_TITLES as ESSAY_SECTION_TITLES

pytestmark = pytest.mark.browser

#: The essay's sections, then the References page, in print order.
SECTION_TITLES = [*ESSAY_SECTION_TITLES, "References"]
#: One distinctive piece of each of the four works cited.
REFERENCES = ["Greene", "Vámos", "The Xi-Putin partnership", "中俄关系"]


def printed_text(page: Page) -> tuple[str, int]:
    """Print ``page`` to PDF as Chromium does; return the PDF's text (white space folded) and page count."""
    pdf = page.pdf(format="A4", print_background=False)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "print-view.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(sheet.extract_text() or "" for sheet in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def test_print_view_prints_the_whole_essay(site: ServedSite, page: Page) -> None:
    page.goto(site.url("print/"))
    page.wait_for_load_state("networkidle")
    screenshot(page, "print-view-screen", full_page=False)
    text, sheets = printed_text(page)
    positions: list[int] = []
    for title in SECTION_TITLES:
        assert title in text, f"section title {title!r} missing from the PDF"
        positions.append(text.index(title, positions[-1] if positions else 0))
    assert positions == sorted(positions), "sections are out of order in the PDF"
    for needle in REFERENCES:
        assert needle in text, f"reference {needle!r} missing from the PDF"
    if (site.site_dir / "glossary").exists():
        assert "Glossary" in text[positions[-1] :]
    # The author's words, first and last, and the notes.
    assert "There are no everlasting allies or enemies" in text
    assert "neither Trump nor his successors can prevent this." in text
    assert text.count("Journal of Cold War Studies") >= 2  # in its note and in the reference list
    # A section starts on a new sheet: at least one per section plus the title page.
    assert sheets >= len(SECTION_TITLES) + 1


def test_print_hides_the_site_chrome(site: ServedSite, page: Page) -> None:
    page.goto(site.url("print/"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search", ".print-view__hint"):
        hidden = page.locator(selector).evaluate_all(
            "elements => elements.every(element => getComputedStyle(element).display === 'none')"
        )
        assert hidden, f"{selector} is visible when printing"
    text, _ = printed_text(page)
    assert "Search" not in text.split("Opening", 1)[0]
    # Links inside the site do not print their address (Material makes them absolute).
    assert site.origin not in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_dark_on_white_in_either_scheme(
    site: ServedSite, new_context: ContextFactory, scheme: Literal["light", "dark"]
) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto(site.url("print/"))
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    page.add_style_tag(content="* { transition: none !important; }")  # read settled colours
    page.emulate_media(media="print", color_scheme=scheme)
    for selector in ("h1", ".print-section p", ".citation-notes li", ".essay-details", ".bibliography li"):
        color = page.locator(selector).first.evaluate("element => getComputedStyle(element).color")
        channels = [float(value) for value in re.findall(r"[\d.]+", color)[:3]]
        assert max(channels) <= 110, f"{selector} prints in {color} with the {scheme} scheme"


def test_landing_page_links_to_the_print_view_and_citation_files(site: ServedSite, page: Page) -> None:
    page.goto(site.url())
    page.get_by_role("link", name="print or save as PDF").click()
    page.wait_for_url(re.compile(r"/print/$"))
    assert page.locator("h1").first.inner_text().startswith("How Does China View")
    page.goto(site.url())
    box = page.locator(".essay-cite")
    assert box.locator(".essay-cite__reference").inner_text().startswith("Göktürk, O. (")
    for link in box.locator("a[download]").all():
        href = link.evaluate("anchor => anchor.href")  # absolute: the browser resolved it
        assert href.startswith(site.url("cite/")), href
        response = page.request.get(href)
        assert response.ok, href
        assert len(response.body()) > 100
