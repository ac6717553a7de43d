"""Hostile BibTeX never reaches the page as markup: escaped text, no script, no unsafe href."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BuiltSite
from tests.robustness.conftest import build_in_process, prepare
from tests.robustness.corpus import BIB, Case
from tests.robustness.html_tools import Document, html_files, parse

HOSTILE_BIB = (Path(__file__).with_name("hostile.bib")).read_text(encoding="utf-8")
KEYS = ["hostile-title", "hostile-author", "hostile-links", "safe-links", "safe-doi"]
HOSTILE_PAGE = "# Hostile\n\n" + "\n\n".join(f"Cited [@{key}]." for key in KEYS) + "\n\n::: bibliography\n"
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    case = Case("hostile", append={BIB: "\n" + HOSTILE_BIB}, files={"docs/hostile.md": HOSTILE_PAGE})
    site = build_in_process(prepare(case, tmp_path_factory.mktemp("hostile")))
    assert site.error is None, site.report
    assert site.warnings == []
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
    assert len(list_items) == len(KEYS) + 4  # the essay's four sources are listed too


def test_no_markup_from_the_bibliography(hostile_site: BuiltSite) -> None:
    for path in html_files(hostile_site.site_dir):
        document = parse(path)
        for tag in document.tags:
            assert tag.name not in ("iframe", "svg", "img") or not tag.in_article, (path, tag)
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), (path, tag)
                if name in URL_ATTRIBUTES:
                    assert not value.strip().lower().startswith(UNSAFE_SCHEMES), (path, tag)
        assert not any("pwned" in script for script in document.scripts), path


def test_only_http_and_doi_urls_are_printed(page: Document) -> None:
    text = page.article
    assert "https://example.org/safe?a=1&b=2" in text
    assert "https://doi.org/10.1234/abc.def" in text
    lowered = text.lower()
    for scheme in UNSAFE_SCHEMES:
        assert scheme not in lowered.replace('src="javascript:', "")  # the iframe text is in a title
    assert "window.pwned='url'" not in text
    assert "window.pwned='data'" not in text
    assert "window.pwned='doi'" not in text
    assert "window.pwned='case'" not in text


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


@pytest.mark.browser
@pytest.mark.parametrize("path", ["hostile/", "references/"])
def test_no_script_runs_in_the_browser(hostile_site: BuiltSite, path: str) -> None:
    from playwright.sync_api import Dialog, sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    dialogs: list[str] = []
    with serve(hostile_site.site_dir) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()

            def on_dialog(dialog: Dialog) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(origin + path, wait_until="load")
            # Open every footnote tooltip Material builds from our notes (it copies their HTML).
            references = page.locator("a.footnote-ref")
            for index in range(references.count()):
                references.nth(index).hover()
            page.locator("h1").first.hover()
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert page.locator("article script, article iframe, article svg[onload]").count() == 0
        finally:
            browser.close()
    assert dialogs == []
