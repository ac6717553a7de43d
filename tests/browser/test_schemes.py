"""Light and dark schemes: body text, links, citation numbers and notes all readable (WCAG AA)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, ContextFactory, ServedSite, screenshot

pytestmark = pytest.mark.browser

#: Material's scheme names for the reader's system setting.
SCHEMES = {"light": "default", "dark": "slate"}
#: WCAG 2 AA for text under 18.66 px bold / 24 px.
AA = 4.5

#: What a reader must be able to read, by page and CSS selector.
TEXTS = {
    "body text": ("essay/opening/", "article p"),
    "a link in the text (glossary term)": ("essay/opening/", "article a.glossary-link"),
    "a citation number": ("essay/opening/", ".citation a.footnote-ref"),
    "a note below the text": ("essay/opening/", ".citation-notes li p"),
    "a link in the text (section list)": ("", "article li a"),
    "a reference": ("references/", ".bibliography li"),
    "a back-link": ("references/", ".bibliography .citation-backlinks a"),
    "the navigation": ("essay/opening/", ".md-nav__link"),
    "the footer": ("essay/opening/", ".md-copyright"),
}

#: Resolves any CSS colour to sRGB bytes with a canvas, then stacks the element's
#: own colour over the backgrounds of its ancestors (the canvas behind them is white).
COLOURS_JS = """
element => {
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = 1
  const context = canvas.getContext('2d', { willReadFrequently: true })
  const rgba = colour => {
    context.clearRect(0, 0, 1, 1)
    context.fillStyle = '#000'
    context.fillStyle = colour
    context.fillRect(0, 0, 1, 1)
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data
    return [r, g, b, a / 255]
  }
  const backgrounds = []
  for (let node = element; node; node = node.parentElement)
    backgrounds.push(rgba(getComputedStyle(node).backgroundColor))
  return { text: rgba(getComputedStyle(element).color), backgrounds }
}
"""


def over(top: list[float], bottom: list[float]) -> list[float]:
    """``top`` composited over the opaque colour ``bottom``."""
    alpha = top[3]
    return [top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)] + [1.0]


def luminance(colour: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour given in bytes."""
    channels = []
    for value in colour[:3]:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(page: Page, selector: str) -> float:
    """The contrast ratio of the first element matching ``selector`` against what is behind it."""
    element = page.locator(selector).first
    expect(element).to_be_visible()
    colours = element.evaluate(COLOURS_JS)
    background = [255.0, 255.0, 255.0, 1.0]
    for layer in reversed(colours["backgrounds"]):
        background = over(layer, background)
    text = over(colours["text"], background)
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_everything_readable(new_context: ContextFactory, site: ServedSite, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    ratios: dict[str, float] = {}
    current = None
    for name, (path, selector) in TEXTS.items():
        if path != current:
            page.goto(site.url(path))
            current = path
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        ratios[name] = round(contrast(page, selector), 2)
    screenshot(page, f"scheme-{scheme}")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"contrast-{scheme}.json").write_text(json.dumps(ratios, indent=2), encoding="utf-8")
    assert {name: ratio for name, ratio in ratios.items() if ratio < AA} == {}, ratios


def test_the_toggle_switches_scheme(page: Page, site: ServedSite) -> None:
    page.goto(site.url("essay/opening/"))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = contrast(page, "article p")
    page.locator("form[data-md-component=palette] label:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = contrast(page, "article p")
    assert light >= AA
    assert dark >= AA
    # The reader's choice is remembered on the next page.
    page.goto(site.url("references/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")


def test_contrast_measure_can_fail(page: Page, site: ServedSite) -> None:
    """The measurement itself: grey text on a grey page is caught."""
    page.goto(site.url("essay/opening/"))
    page.add_style_tag(content="article p { color: #999 !important; background: #aaa !important }")
    assert contrast(page, "article p") < 1.5
