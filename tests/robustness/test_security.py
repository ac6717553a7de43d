"""Hostile BibTeX never reaches the page as markup: escaped text, no script, no unsafe href."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BuiltSite
from tests.robustness.conftest import build_in_process, prepare
from tests.robustness.corpus import BIB, Case, set_option
from tests.robustness.html_tools import Document, html_files, parse

HOSTILE_BIB = (Path(__file__).with_name("hostile.bib")).read_text(encoding="utf-8")
KEYS = ["hostile-title", "hostile-author", "hostile-links", "safe-links", "safe-doi"]
HOSTILE_PAGE = "# Hostile\n\n" + "\n\n".join(f"Cited [@{key}]." for key in KEYS) + "\n\n::: bibliography\n"
#: The project plus the hostile entries, all listed (nocite) and cited on one page.
HOSTILE_CASE = Case(
    "hostile",
    append={BIB: "\n" + HOSTILE_BIB},
    files={"docs/hostile.md": HOSTILE_PAGE},
    config=set_option("nocite", ["*"]),
)
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset")


#: The unsafe addresses are reported (file:line, so that --strict fails) and never printed.
REPORTED = [
    "entry 'hostile-title' url 'javascript:",
    "entry 'hostile-author' url 'data:text/html,",
    "entry 'hostile-links' doi 'javascript:",
    "entry 'hostile-links' url 'JaVaScRiPt:",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    # Not strict: the build must report the unsafe addresses and still render everything else safely.
    site = build_in_process(prepare(HOSTILE_CASE, tmp_path_factory.mktemp("hostile")), strict=False)
    assert site.error is None, site.report
    assert len(site.warnings) == len(REPORTED), site.report
    for warning, fragment in zip(site.warnings, REPORTED, strict=True):
        assert fragment in warning and "references.bib:" in warning, warning
    return site


@pytest.fixture(scope="module")
def page(hostile_site: BuiltSite) -> Document:
    return parse(hostile_site.site_dir / "hostile" / "index.html")


def test_payloads_appear_as_text(page: Document) -> None:
    text = page.article
    assert '<script>window.pwned = "script"</script> and </div></li></ol> closed early' in text
    assert "<img src=x onerror=\"window.pwned='onerror'; alert(1)\">" in text
    assert "Press\"><script>window.pwned='attr'</script>" in text
    assert "Quotes \" and ' and & ampersands" in text
    # The notes and the reference list still hold one item per source: no markup broke out.
    note_items = [tag for tag in page.tags if tag.name == "li" and tag.attrs.get("id", "").startswith("fn:cite-")]
    list_items = [tag for tag in page.tags if tag.name == "li" and tag.attrs.get("id", "").startswith("ref-")]
    assert len(note_items) == len(KEYS)
    # The essay's four sources are listed too, and the entry listed through nocite only.
    assert len(list_items) == len(KEYS) + 5
    assert "ref-k<svg/onload>&amp;'x" in {tag.attrs["id"] for tag in list_items}


def assert_no_markup(paths: list[Path]) -> None:
    """No event-handler attribute, no unsafe URL, no script mentioning the payloads' sentinel."""
    for path in paths:
        document = parse(path)
        for tag in document.tags:
            ours = tag.name == "svg" and tag.attrs.get("class") == "timeline-chart"  # the timeline's overview
            assert tag.name not in ("iframe", "svg", "img") or not tag.in_article or ours, (path, tag)
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), (path, tag)
                if name in URL_ATTRIBUTES:
                    assert not value.strip().lower().startswith(UNSAFE_SCHEMES), (path, tag)
        assert not any("pwned" in script for script in document.scripts), path


def test_no_markup_from_the_bibliography(hostile_site: BuiltSite) -> None:
    assert_no_markup(html_files(hostile_site.site_dir))


def test_only_http_and_doi_urls_are_printed(hostile_site: BuiltSite, page: Document) -> None:
    text = page.article
    assert "https://example.org/safe?a=1&b=2" in text
    assert "https://doi.org/10.1234/abc.def" in text
    # The javascript: and data: values of url and doi fields are dropped, not printed.
    for path in html_files(hostile_site.site_dir):
        html = path.read_text(encoding="utf-8")
        for sentinel in ("url", "data", "doi", "case"):
            assert f"window.pwned='{sentinel}'" not in html, (path, sentinel)


def test_hostile_text_in_search_index_is_data(hostile_site: BuiltSite) -> None:
    # The search index is JSON; it may hold the text, but the site renders results as text.
    index = (hostile_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "javascript:window.pwned='url'" not in index


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log in the test output."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def assert_no_script_runs(site_dir: Path, path: str, hover: str) -> None:
    """Load ``path`` in Chromium, hover and focus every ``hover`` element: no dialog, no sentinel.

    Runs in a thread of its own: Playwright's sync API refuses a thread with an asyncio
    loop, which the browser tests' session-wide Playwright leaves in the main thread.
    """
    failures: list[BaseException] = []

    def run() -> None:
        try:
            _check_in_browser(site_dir, path, hover)
        except BaseException as error:  # handed to the test's thread below
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the browser check did not finish within 300 s"
    if failures:
        raise failures[0]


def _check_in_browser(site_dir: Path, path: str, hover: str) -> None:
    from playwright.sync_api import Dialog, sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    dialogs: list[str] = []
    with serve(site_dir) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(origin + path, wait_until="load")
            # Open every tooltip (Material copies the notes' HTML into its footnote tooltips).
            targets = page.locator(hover)
            assert targets.count() > 0
            for index in range(targets.count()):
                page.mouse.move(0, 0)
                page.keyboard.press("Escape")
                targets.nth(index).hover(timeout=10_000)
                targets.nth(index).focus()
            page.locator("h1").first.hover()
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert page.locator("article script, article iframe, article svg").count() == 0
        finally:
            browser.close()
    assert dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("path", ["hostile/", "references/"])
def test_no_script_runs_in_the_browser(hostile_site: BuiltSite, path: str) -> None:
    assert_no_script_runs(hostile_site.site_dir, path, "article a.footnote-ref, article .citation-backlinks a")


HOSTILE_DEFINITION = (
    '\n## Hostile term { #hostile-term }\n\n*Also:* hostile "term"\n\n'
    'A <script>window.pwned="glossary"</script> definition with <img src=x onerror="window.pwned=1">, '
    "</div> and **bold**.\n"
)
MENTION = "\nA hostile term appears here.\n"


@pytest.fixture(scope="module")
def hostile_glossary_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    case = Case(
        "hostile-glossary",
        append={"docs/glossary.md": HOSTILE_DEFINITION, "docs/essay/conclusion.md": MENTION},
    )
    site = build_in_process(prepare(case, tmp_path_factory.mktemp("hostile-glossary")))
    assert site.error is None, site.report
    return site


def test_glossary_definition_is_text_in_tooltips(hostile_glossary_site: BuiltSite) -> None:
    page = hostile_glossary_site.site_dir / "essay" / "conclusion" / "index.html"
    links = [tag for tag in parse(page).tags if tag.attrs.get("href", "").endswith("glossary/#hostile-term")]
    assert len(links) == 1
    title = links[0].attrs["title"]
    # Material's tooltip shows the title through innerHTML: no '<' may open a tag there.
    assert not re.search(r"<[A-Za-z/!?]", title)
    # The tooltip is the text a reader sees of the definition on the glossary page:
    # tags dropped, a script's source never shown.
    assert title == "A definition with , and bold."
    # The glossary page itself (and the print view that includes it) is Markdown written by
    # editors: raw HTML there is theirs, as on any page. The pages that link to it get text only.
    assert_no_markup(html_files(hostile_glossary_site.site_dir / "essay"))


@pytest.mark.browser
def test_glossary_tooltip_runs_no_script(hostile_glossary_site: BuiltSite) -> None:
    assert_no_script_runs(hostile_glossary_site.site_dir, "essay/conclusion/", "article a.glossary-link")
