"""The site asks no host but its own for anything, and works below a sub-path."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from playwright.sync_api import BrowserContext, Request, Response, expect

from tests.browser.conftest import SUB_PATH, ContextFactory, ServedSite

pytestmark = pytest.mark.browser


class Traffic:
    """Every request a browser context makes (pages and workers), and every failure."""

    def __init__(self, context: BrowserContext) -> None:
        self.urls: list[str] = []
        self.failed: list[str] = []
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _failed(self, request: Request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")


def test_every_request_stays_on_the_site(new_context: ContextFactory, site: ServedSite) -> None:
    context = new_context()
    traffic = Traffic(context)
    page = context.new_page()
    for path in site.pages:
        page.goto(site.url(path))
        page.wait_for_load_state("networkidle")
    # What a reader does besides reading: search, open a note, switch scheme, follow links.
    page.goto(site.url("essay/opening/"))
    page.locator(".md-search__input").click()
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching")
    page.keyboard.insert_text("环球时报")
    page.keyboard.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator(".citation a.footnote-ref").first.hover()
    expect(page.locator(".md-tooltip2")).to_be_visible()
    page.locator("form[data-md-component=palette] label:visible").click()
    page.locator(".md-footer__link--next").click()
    page.wait_for_load_state("networkidle")

    assert traffic.urls, "the recorder saw the requests"
    assert any(url.endswith("/search/search_index.json") for url in traffic.urls)
    assert any("/workers/search." in url for url in traffic.urls), "the search worker ran"
    foreign = sorted({url for url in traffic.urls if not url.startswith(site.base_url)})
    assert foreign == []
    assert traffic.failed == []
    # Nothing reached the server outside the sub-path (it would have answered 404).
    assert [path for path in site.requested if not path.startswith(SUB_PATH)] == []


def test_the_recorder_sees_requests_to_other_hosts(new_context: ContextFactory, site: ServedSite) -> None:
    """The check above can fail: a third-party font or a request from a worker is recorded."""
    context = new_context()
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    traffic = Traffic(context)
    page = context.new_page()
    page.goto(site.url())
    font_css = "https://fonts.googleapis.com/css?family=Roboto"
    with page.expect_request(font_css):
        page.evaluate(
            """href => document.head.append(Object.assign(document.createElement('link'),
                                                       { rel: 'stylesheet', href }))""",
            font_css,
        )
    page.evaluate(
        """() => new Promise(done => {
            const code = "fetch('https://example.org/from-a-worker').catch(() => {}).finally(() => postMessage(1))"
            const worker = new Worker(URL.createObjectURL(new Blob([code])))
            worker.onmessage = done
        })"""
    )
    page.wait_for_load_state("networkidle")
    foreign = {url for url in traffic.urls if not url.startswith(site.base_url)}
    assert font_css in foreign
    assert "https://example.org/from-a-worker" in foreign


def test_a_missing_page_below_the_sub_path_gets_the_styled_404_page(
    new_context: ContextFactory, site: ServedSite
) -> None:
    """404.html is served for any missing address, so its links must work from any depth."""
    context = new_context()
    traffic = Traffic(context)
    page = context.new_page()
    missing = site.url("essay/no-such-section/deeper/")
    response = page.goto(missing)
    assert response is not None
    assert response.status == 404
    expect(page.locator("article.md-content__inner h1")).to_have_text("404 - Not found")
    # Material's stylesheet and script loaded: the header is coloured, the search works.
    assert page.locator(".md-header").evaluate("h => getComputedStyle(h).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Zhenbao")
    # The page's own result for the whole word (typing shows results for "z", "zh" … first; the
    # page's "Editors' notes" section is a second result, with a '#').
    result = page.locator(
        ".md-search-result__item > a[href*='/step-by-step-china-soviet-conflict/?h=zhenbao']:not([href*='#'])"
    )
    result.click()
    page.wait_for_url(re.compile(re.escape(site.url("essay/step-by-step-china-soviet-conflict/"))))
    expect(page.locator("article.md-content__inner h1")).to_contain_text("Step by Step China-Soviet Conflict")
    assert traffic.failed == [f"{missing}: HTTP 404"]
    assert [url for url in traffic.urls if not url.startswith(site.base_url)] == []


class _ResourceLinks(HTMLParser):
    """Collect the URLs a page loads by itself: scripts, styles, icons, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed"} and values.get("src"):
            self.urls.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            relations = set((values.get("rel") or "").split())
            if relations & {"stylesheet", "icon", "preload", "preconnect", "dns-prefetch", "modulepreload", "manifest"}:
                self.urls.append(values["href"] or "")


def test_no_page_names_a_resource_elsewhere(site: ServedSite) -> None:
    """Static check of every HTML and CSS file: nothing loads from an absolute or root URL."""
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) >= len(site.pages)
    offending: dict[str, list[str]] = {}
    for html_file in pages:
        parser = _ResourceLinks()
        parser.feed(html_file.read_text(encoding="utf-8"))
        name = str(html_file.relative_to(site.site_dir))
        if name == "404.html":  # served for any missing URL: its links start with site_url's path
            bad = [url for url in parser.urls if not url.startswith(SUB_PATH)]
        else:
            bad = [url for url in parser.urls if re.match(r"^(?:[a-z]+:)?//|^/", url)]
        if bad:
            offending[name] = bad
    for css_file in site.site_dir.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?((?:[a-z]+:)?//[^'\")]+)", css_file.read_text(encoding="utf-8"))
        if urls:
            offending[str(css_file.relative_to(site.site_dir))] = urls
    assert offending == {}
