"""Browser fixtures: build the site once, serve it under a sub-path on 127.0.0.1, drive Chromium.

The site is built from a copy of the project (as in ``tests/conftest.py``) and
served by a ``ThreadingHTTPServer`` that answers only below ``/essay/``: a
root-relative URL anywhere in the site gets a 404, so every test also proves
that the site works when hosted under a sub-path. Chromium is Debian's
(``/usr/bin/chromium``), driven by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import OUTPUT as OUTPUT  # re-exported for the browser tests
from tests.conftest import copy_project

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: The site is served below this path, never at the server's root.
SUB_PATH = "/essay/"
#: Screenshots; like all of test-output/, kept only when their test fails (tests/conftest.py).
SCREENSHOTS = OUTPUT / "screenshots"


@dataclasses.dataclass
class ServedSite:
    """A built site, served on 127.0.0.1 below :data:`SUB_PATH`."""

    site_dir: Path
    origin: str
    #: Paths the server was asked for, in order (for checks that need them).
    requested: list[str]

    @property
    def base_url(self) -> str:
        """The site's home page, e.g. ``http://127.0.0.1:41234/essay/``."""
        return self.origin + SUB_PATH

    def url(self, path: str = "") -> str:
        """The URL of ``path`` relative to the site root (``"references/"``)."""
        return self.base_url + path

    @property
    def pages(self) -> list[str]:
        """Every page of the built site, as paths relative to the root, home first."""
        found = sorted(
            str(index.parent.relative_to(self.site_dir)) + "/"
            for index in self.site_dir.rglob("index.html")
            if index.parent != self.site_dir
        )
        return ["", *found]


class _SubPathHandler(SimpleHTTPRequestHandler):
    """Serve a directory below :data:`SUB_PATH` only; remember what was asked for.

    A missing file below the sub-path gets the site's ``404.html`` with status
    404, as static hosts such as GitHub Pages do; anything else a bare 404.
    """

    def __init__(self, *args: Any, requested: list[str], **kwargs: Any) -> None:
        self.requested = requested
        self.in_site = False
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        self.requested.append(self.path)
        self.in_site = self.path.startswith(SUB_PATH)
        if not self.in_site:
            self.send_error(404, f"only {SUB_PATH} is served")
            return None
        self.path = self.path[len(SUB_PATH) - 1 :]
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory, "404.html")
        if code != 404 or not self.in_site or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean: the requests are in ``requested``."""


def build_project(destination: Path, edit: Callable[[dict[str, Any]], None] | None = None, **settings: Any) -> Path:
    """Build a copy of the project into ``destination/site`` with ``--strict``; fail on any warning.

    ``edit`` changes the parsed mkdocs.yml first; ``settings`` override it like
    command-line options (``site_url=...``).
    """
    root = copy_project(destination)
    if edit is not None:
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
        edit(data)
        (root / "mkdocs.yml").write_text(yaml.dump(data, allow_unicode=True), encoding="utf-8")
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(f"{record.levelname}: {record.getMessage()}")  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"), **settings)
        build(config)
    except (Abort, PluginError) as error:
        pytest.fail(f"the site does not build: {error}\n" + "\n".join(messages), pytrace=False)
    finally:
        logger.removeHandler(handler)
    if messages:
        pytest.fail("the build logged warnings:\n" + "\n".join(messages), pytrace=False)
    return root / "site"


@contextlib.contextmanager
def serve_project(destination: Path, edit: Callable[[dict[str, Any]], None] | None = None) -> Iterator[ServedSite]:
    """Build the project with ``site_url`` below :data:`SUB_PATH` and serve it until the block ends."""
    requested: list[str] = []
    site_dir = destination / "site"
    handler = functools.partial(_SubPathHandler, requested=requested, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        build_project(destination, edit, site_url=origin + SUB_PATH)
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield ServedSite(site_dir=site_dir, origin=origin, requested=requested)
        finally:
            server.shutdown()
            thread.join()
    finally:
        server.server_close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The project's site, built once per test session and served below ``/essay/``."""
    with serve_project(tmp_path_factory.mktemp("browser-site")) as served:
        yield served


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, started once per session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium (never a downloaded one)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run `make system-deps` as root (apt-get install chromium).")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


ContextFactory = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser) -> Iterator[ContextFactory]:
    """Open browser contexts (``viewport=``, ``color_scheme=``, ``has_touch=`` ...); all close after the test."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 800})
        options.setdefault("color_scheme", "light")
        options.setdefault("service_workers", "block")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: ContextFactory) -> Page:
    """A desktop-sized page (1280 × 800, light scheme) in a fresh context."""
    return new_context().new_page()


def screenshot(page: Page, name: str, **options: Any) -> Path:
    """Save a screenshot of ``page`` as ``test-output/screenshots/<name>.png``."""
    page.wait_for_function("() => document.getAnimations().length === 0")  # not mid-fade
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path
