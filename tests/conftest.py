"""Shared fixtures: build real MkDocs sites from a copy of the project in tmp_path."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

REPO = Path(__file__).resolve().parents[1]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclasses.dataclass
class BuiltSite:
    """The result of one build: where it is, what was logged, how it ended."""

    root: Path
    site_dir: Path
    messages: list[str]
    error: Exception | None

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    @property
    def report(self) -> str:
        """Everything an editor would read: logged warnings and errors, then the abort."""
        return "\n".join([*self.messages, str(self.error or "")])

    @property
    def warnings(self) -> list[str]:
        return [message for message in self.messages if message.startswith("WARNING")]


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


@pytest.fixture
def build_site(tmp_path: Path) -> Iterator[SiteBuilder]:
    """Build the project (or a variant of it) with ``strict`` in a fresh folder.

    Keyword arguments: ``files`` maps relative paths to new text (None deletes);
    ``config`` is a function that edits the parsed mkdocs.yml; ``strict``.
    """
    counter = iter(range(1000))

    def run(
        files: dict[str, str | None] | None = None,
        config: Callable[[dict[str, Any]], None] | None = None,
        strict: bool = True,
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
