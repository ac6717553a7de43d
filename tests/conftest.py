"""Shared fixtures: build real MkDocs sites from a copy of the project in tmp_path."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

REPO = Path(__file__).resolve().parents[1]
#: The engine the site-build tests use: "mkdocs" (default) or "zensical" (`make test` runs both).
ENGINE = os.environ.get("ANNOTATED_ESSAY_ENGINE", "mkdocs")
#: Zensical's own venv, made by `make .venv-zensical/.installed` (requirements-zensical.lock).
ZENSICAL_VENV = REPO / ".venv-zensical"
#: Evidence that tests write (screenshots, axe reports, the print PDF), git-ignored. It keeps
#: only what failing tests leave: whatever a test wrote there is deleted when the test passes.
OUTPUT = REPO / "test-output"
_FAILED = pytest.StashKey[bool]()

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclasses.dataclass
class BuiltSite:
    """The result of one build: where it is, what was logged, how it ended."""

    root: Path
    site_dir: Path
    messages: list[str]
    error: Exception | None
    #: "mkdocs" or "zensical": the engine that built it.
    engine: str = "mkdocs"

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    @property
    def report(self) -> str:
        """Everything an editor would read: logged warnings and errors, then the abort."""
        return "\n".join([*self.messages, str(self.error or "")])

    def shows(self, path: str, fragment: str) -> bool:
        """Whether the page at ``path`` holds ``fragment``, written as MkDocs writes it.

        Zensical's search reads ``data-search-exclude`` and removes it from the
        page (the search index is checked on its own, ``search_documents``), so
        under Zensical the fragment is looked for without that attribute.
        """
        if self.engine == "zensical":
            fragment = re.sub(r' data-search-exclude(="")?(?=[ >/]|$)', "", fragment)
        return fragment in self.html(path)

    def search_documents(self) -> list[dict[str, str]]:
        """The search index's entries (location, title, text) under either engine.

        MkDocs' search plugin writes ``search/search_index.json`` (``docs``),
        Zensical ``search.json`` (``items``); both give a location relative to
        the site root (``essay/opening/#anchor``), a title and the text as HTML.
        """
        mkdocs_index = self.site_dir / "search/search_index.json"
        if mkdocs_index.is_file():
            entries = json.loads(mkdocs_index.read_text(encoding="utf-8"))["docs"]
        else:
            entries = json.loads((self.site_dir / "search.json").read_text(encoding="utf-8"))["items"]
        return [{key: str(entry[key]) for key in ("location", "title", "text")} for entry in entries]

    @property
    def warnings(self) -> list[str]:
        return [message for message in self.messages if message.startswith("WARNING")]


def _outputs() -> dict[Path, int]:
    """Every file under :data:`OUTPUT`, with its modification time."""
    if not OUTPUT.is_dir():
        return {}
    return {path: path.stat().st_mtime_ns for path in OUTPUT.rglob("*") if path.is_file()}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember whether setup, the test or teardown failed."""
    report: pytest.TestReport = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    """Delete what a passing test wrote to ``test-output/``; a failing test's evidence stays."""
    before = _outputs()
    result = yield
    if not item.stash.get(_FAILED, False):
        for path, stamp in _outputs().items():
            if before.get(path) != stamp:
                path.unlink(missing_ok=True)
        for folder in sorted(OUTPUT.rglob("*"), reverse=True) if OUTPUT.is_dir() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if OUTPUT.is_dir() and not any(OUTPUT.iterdir()):
            OUTPUT.rmdir()
    return result


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(f"{record.levelname}: {record.getMessage()}")


def copy_project(destination: Path) -> Path:
    """Copy the sources a build needs (not .venv, site or caches) into ``destination``."""
    for name in ("docs", "bib", "hooks", "overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


SiteBuilder = Callable[..., BuiltSite]


@functools.cache
def zensical_command() -> Path:
    """Zensical's command line in its own venv, made by ``make`` if missing (about a minute)."""
    target = [".venv-zensical/.installed"]
    if subprocess.run(["make", "--question", *target], cwd=REPO, check=False).returncode != 0:
        subprocess.run(["make", "--no-print-directory", *target], cwd=REPO, check=True)
    return ZENSICAL_VENV / "bin" / "zensical"


def build_with_zensical(root: Path, strict: bool = True) -> BuiltSite:
    """``zensical build --clean [--strict]`` in ``root``, as an editor runs it; what it printed becomes messages.

    ``--clean``: Zensical 0.0.73 otherwise reuses its cached HTML of every
    unchanged page, whose numbers and back-links depend on other pages.
    """
    command = [str(zensical_command()), "build", "--clean", *(["--strict"] if strict else [])]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600, check=False)
    # Zensical colours its own reports whatever the terminal (NO_COLOR is not read): plain text here.
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    messages = []
    lines = output.splitlines()
    for number, line in enumerate(lines):
        level, separator, message = line.partition(" -  ")
        if separator and level in ("WARNING", "ERROR"):
            messages.append(f"{level}: {message}")
        elif line.startswith("Warning: "):
            # Zensical's own issue (a broken link or anchor): "Warning: what", then "╭─[ file:line:column ]".
            where = re.search(r"\[ (\S+:\d+):\d+ \]", lines[number + 1] if number + 1 < len(lines) else "")
            messages.append(f"WARNING: {where.group(1) + ': ' if where else ''}{line.removeprefix('Warning: ')}")
    error = RuntimeError(f"zensical build failed with status {done.returncode}:\n{output}") if done.returncode else None
    return BuiltSite(root=root, site_dir=root / "site", messages=messages, error=error, engine="zensical")


@pytest.fixture
def build_site(tmp_path: Path) -> Iterator[SiteBuilder]:
    """Build the project (or a variant of it) with ``strict`` in a fresh folder.

    Keyword arguments: ``files`` maps relative paths to new text (None deletes);
    ``config`` is a function that edits the parsed mkdocs.yml; ``strict``;
    ``engine`` ("mkdocs" or "zensical"; default :data:`ENGINE`).
    """
    counter = iter(range(1000))

    def run(
        files: dict[str, str | None] | None = None,
        config: Callable[[dict[str, Any]], None] | None = None,
        strict: bool = True,
        engine: str = ENGINE,
    ) -> BuiltSite:
        root = copy_project(tmp_path / f"project-{next(counter)}")
        for relative, text in (files or {}).items():
            target = root / relative
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        if config is not None:
            data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
            config(data)
            (root / "mkdocs.yml").write_text(yaml.dump(data, allow_unicode=True), encoding="utf-8")
        if engine == "zensical":
            return build_with_zensical(root, strict=strict)
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        error: Exception | None = None
        try:
            mkdocs_config = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / "site"))
            build(mkdocs_config)
        except (Abort, PluginError) as caught:
            error = caught
        finally:
            logger.removeHandler(handler)
        return BuiltSite(root=root, site_dir=root / "site", messages=handler.messages, error=error)

    yield run


def markdown_extension_settings(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The settings dict of extension ``name`` inside a parsed mkdocs.yml."""
    for entry in data["markdown_extensions"]:
        if isinstance(entry, dict) and name in entry:
            settings: dict[str, Any] = entry[name]
            return settings
    raise KeyError(name)


#: Site-build test modules (or single tests, ``module::name[id]``) whose feature is still being moved
#: out of the MkDocs hooks, with the piece that owns the move. Under Zensical they are expected to
#: fail (xfail, not strict: one that starts passing shows as XPASS); delete its line then.
ZENSICAL_PENDING: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that build the site (``build_site``, ``build_case``): `make test` runs them under Zensical too.

    Under Zensical (``ANNOTATED_ESSAY_ENGINE=zensical``) tests marked ``mkdocs_only`` are skipped,
    and those of :data:`ZENSICAL_PENDING` are expected to fail, with the reason shown.
    """
    for item in items:
        if {"build_site", "build_case"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site_build)
        if ENGINE != "zensical":
            continue
        if item.get_closest_marker("mkdocs_only"):
            item.add_marker(pytest.mark.skip(reason="needs MkDocs itself (marked mkdocs_only)"))
        module = Path(str(item.path)).relative_to(REPO).as_posix()
        pending = ZENSICAL_PENDING.get(module) or ZENSICAL_PENDING.get(f"{module}::{item.name}")
        if pending:
            item.add_marker(pytest.mark.xfail(reason=f"under Zensical, in flight: {pending}", strict=False))
