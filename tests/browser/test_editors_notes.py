"""Editors' notes and the timeline in Chromium: margin at 1280 px, popover at 375 px, keyboard, print, axe."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import ContextFactory, ServedSite, screenshot
from tests.browser.test_axe import settle, violations

pytestmark = pytest.mark.browser

ESSAY = [
    "essay/opening/",
    "essay/step-by-step-china-soviet-conflict/",
    "essay/from-border-conflicts-to-unwavering-friendship/",
    "essay/chinas-concerns/",
    "essay/conclusion/",
]
Box = dict[str, float]


def box(page: Page, selector: str) -> Box:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}


def overlaps(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


#: Per note: its letter, label, and the boxes of the note, its paragraph and its marker.
_NOTES = """() => [...document.querySelectorAll('.editors-note')].map(note => {
  const wrapper = note.closest('.editors-noted')
  const marker = wrapper.querySelector(`sup.editors-note-ref > a[data-letter="${note.dataset.letter}"]`)
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height} }
  return {letter: note.dataset.letter, label: note.querySelector('.editors-note-label').textContent,
          note: box(note), paragraph: box(wrapper.firstElementChild), marker: box(marker),
          visible: getComputedStyle(note).display !== 'none'}
})"""
#: The boxes of the article's other blocks (text not wrapped with a note).
_BLOCKS = """() => [...document.querySelectorAll('article > :not(.editors-noted, a, hr)')]
  .map(e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height} })"""


def test_notes_sit_in_the_margin_beside_their_passage_at_1280(site: ServedSite, page: Page) -> None:
    checked = 0
    for path in ESSAY:
        page.goto(site.url(path))
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        toc = box(page, ".md-sidebar--secondary .md-sidebar__scrollwrap")
        footer = box(page, ".md-footer")
        blocks = page.evaluate(_BLOCKS)
        notes = page.evaluate(_NOTES)
        # No two notes overlap, whichever paragraphs they belong to.
        for index, first in enumerate(notes):
            for second in notes[index + 1 :]:
                assert not overlaps(first["note"], second["note"]), (path, first["letter"], second["letter"])
        paragraphs = [found["paragraph"] for found in notes]
        previous_bottom = 0.0
        for found in notes:
            placed, paragraph, marker, letter = found["note"], found["paragraph"], found["marker"], found["letter"]
            assert found["visible"], (path, letter)
            assert found["label"] == f"{letter} Editors’ note"
            # Beside the text, never over it, nor over the table of contents or another note.
            assert placed["x"] >= paragraph["x"] + paragraph["width"], (path, letter)
            assert not any(overlaps(placed, other) for other in [toc, *blocks, *paragraphs]), (path, letter)
            assert placed["y"] >= previous_bottom, (path, letter)
            assert placed["y"] + placed["height"] <= footer["y"], (path, letter)
            # Level with its marker's line, unless the note before it reaches lower.
            assert marker["y"] - 4 <= placed["y"] <= max(marker["y"] + 2, previous_bottom + 24), (path, letter)
            previous_bottom = placed["y"] + placed["height"]
            checked += 1
        if path == "essay/chinas-concerns/":
            screenshot(page, "editors-notes-1280", full_page=True)
    assert checked >= 8


#: The gap between each text block of the article and the next one, with the first
#: block's text and whether it has notes.
_GAPS = """() => {
  const blocks = [...document.querySelectorAll('article > :is(p, .editors-noted)')]
  const text = e => e.matches('.editors-noted') ? e.firstElementChild : e
  return blocks.slice(1).map((next, i) => ({
    text: text(blocks[i]).textContent, noted: blocks[i].matches('.editors-noted'),
    next: next === blocks[i].nextElementSibling,
    gap: text(next).getBoundingClientRect().top - text(blocks[i]).getBoundingClientRect().bottom}))
}"""


def test_a_long_note_adds_no_space_to_the_text_at_1280(site: ServedSite, page: Page) -> None:
    """A note taller than the rest of its paragraph runs down the margin, as Tufte's side notes do."""
    page.goto(site.url("essay/chinas-concerns/"))
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    gaps = [found for found in page.evaluate(_GAPS) if found["next"]]
    ordinary = [found["gap"] for found in gaps if not found["noted"]]
    assert ordinary, "no two plain paragraphs in a row to measure the page's paragraph spacing"
    spacing = min(ordinary)
    assert max(ordinary) - spacing < 1
    long = [found for found in gaps if "between 2021 and 2024" in found["text"]]
    assert len(long) == 1 and long[0]["noted"]
    # The note is taller than what is left of its paragraph below its letter ...
    wrapper = page.locator(".editors-noted", has_text="between 2021 and 2024")
    paragraph = wrapper.locator("> :first-child").bounding_box()
    placed = wrapper.locator(".editors-note").last.bounding_box()
    assert paragraph and placed
    assert placed["y"] + placed["height"] > paragraph["y"] + paragraph["height"] + 20
    # ... yet the next paragraph follows at the ordinary spacing, as after every noted paragraph.
    assert abs(long[0]["gap"] - spacing) <= 3, (long[0]["gap"], spacing)
    for found in gaps:
        assert abs(found["gap"] - spacing) <= 3, (found["text"][-60:], found["gap"], spacing)


def test_popover_on_a_phone(new_context: ContextFactory, site: ServedSite) -> None:
    page = new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True).new_page()
    page.goto(site.url("essay/chinas-concerns/"))
    note = page.locator(".editors-note", has_text="环球时报")
    letter = note.get_attribute("data-letter")
    marker = page.locator(f"sup.editors-note-ref > a[data-letter='{letter}']")
    expect(note).to_be_hidden()
    marker.tap()
    expect(note).to_be_visible()
    expect(marker).to_have_attribute("aria-expanded", "true")
    placed, below = note.bounding_box(), marker.bounding_box()
    assert placed and below
    assert placed["x"] >= 0 and placed["x"] + placed["width"] <= 375
    assert below["y"] + below["height"] <= placed["y"] <= below["y"] + below["height"] + 20
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The page did not jump to the list: the note opened in place.
    assert page.url.endswith("/essay/chinas-concerns/")
    screenshot(page, "editors-note-popover-375")
    # A tap elsewhere closes it.
    page.locator("h1").tap()
    expect(note).to_be_hidden()


def test_keyboard_opens_and_esc_closes(new_context: ContextFactory, site: ServedSite) -> None:
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    page.goto(site.url("essay/step-by-step-china-soviet-conflict/"))
    marker = page.locator("sup.editors-note-ref > a").first
    note = page.locator(".editors-note").first
    marker.focus()
    expect(note).to_be_visible()
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    page.keyboard.press("Enter")
    expect(note).to_be_visible()
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    expect(marker).to_be_focused()
    # On a wide screen Enter moves to the note in the margin, and Esc back to the marker.
    wide = new_context().new_page()
    wide.goto(site.url("essay/step-by-step-china-soviet-conflict/"))
    wide.locator("sup.editors-note-ref > a").first.focus()
    wide.keyboard.press("Enter")
    expect(wide.locator(".editors-note").first).to_be_focused()
    wide.keyboard.press("Escape")
    expect(wide.locator("sup.editors-note-ref > a").first).to_be_focused()


def test_no_axe_violation_with_notes_open(new_context: ContextFactory, site: ServedSite) -> None:
    reports = {}
    for width in (1280, 375):
        page = new_context(viewport={"width": width, "height": 800}).new_page()
        for path in [*ESSAY, "timeline/"]:
            page.goto(site.url(path))
            if width == 375 and path != "timeline/":
                page.locator("sup.editors-note-ref > a").first.focus()
                expect(page.locator(".editors-note.is-open")).to_be_visible()
            # Focus scrolls the page, and Material's header fades its title in: measured mid-fade
            # the title's contrast is not the reader's (it failed about 1 run in 4 without this).
            settle(page)
            report = violations(page, f"editors-notes-{width}-{path.strip('/').replace('/', '-')}")
            if report:
                reports[f"{width} {path}"] = report
    assert not reports, "\n".join(f"== {path}\n{report}" for path, report in reports.items())


def test_timeline_reads_at_375_without_sideways_scrolling(new_context: ContextFactory, site: ServedSite) -> None:
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    page.goto(site.url("timeline/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    overview = box(page, ".timeline-overview svg")
    assert overview["x"] >= 0 and overview["x"] + overview["width"] <= 375
    events = page.locator("li.timeline-event")
    assert events.count() >= 25
    for index in range(events.count()):
        placed = events.nth(index).bounding_box()
        assert placed and placed["x"] + placed["width"] <= 375
    screenshot(page, "timeline-375")
    # An essay link lands on its passage, highlighted.
    page.locator("li.timeline-event", has_text="Zhenbao").locator("a[href*='#zhenbao-1969']").click()
    expect(page.locator("#zhenbao-1969")).to_be_in_viewport()
    assert page.locator("#zhenbao-1969").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_print_view_prints_the_notes_and_the_timeline(site: ServedSite, page: Page) -> None:
    page.goto(site.url("print/"))
    page.wait_for_load_state("networkidle")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(" ".join(sheet.extract_text() or "" for sheet in reader.pages).split())
    assert text.count("Editors’ notes") >= 5 or text.count("Editors' notes") >= 5
    assert "Twenty-three Articles" in text and "Lüthi" in text
    assert "Ping-Pong diplomacy" in text and "Riyadh" in text and "18 February 2025" in text
    # In print the notes are listed once, at each section's end, not also beside the text.
    assert page.content().count("The expression “capitalist roaders”") == 2  # beside the text, and listed
    assert text.count("The expression “capitalist roaders”") == 1
