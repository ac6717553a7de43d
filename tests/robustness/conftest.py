"""Fixtures for the robustness tests: build a corpus case in a copy of the project."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from tests.conftest import ENGINE, BuiltSite, _Collect, build_with_zensical, copy_project
from tests.robustness.corpus import Case

MKDOCS = Path(sys.executable).with_name("mkdocs")


def prepare(case: Case, root: Path) -> Path:
    """A copy of the project at ``root`` with the case's changes applied."""
    copy_project(root)
    for relative, text in case.append.items():
        with (root / relative).open("a", encoding="utf-8") as handle:
            handle.write(text)
    for relative, content in case.files.items():
        target = root / relative
        if content is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if case.config is not None:
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
        case.config(data)
        (root / "mkdocs.yml").write_text(yaml.dump(data, allow_unicode=True), encoding="utf-8")
    return root


def build_in_process(root: Path, strict: bool = True) -> BuiltSite:
    """``mkdocs build --strict`` (or not) through the API, collecting what MkDocs logs."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    error: Exception | None = None
    try:
        build(load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / "site")))
    except (Abort, PluginError) as caught:
        error = caught
    finally:
        logger.removeHandler(handler)
    return BuiltSite(root=root, site_dir=root / "site", messages=handler.messages, error=error)


def build_cli(root: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` as an editor runs it (never with -q), in ``root``."""
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", *extra],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def build_case(tmp_path: Path) -> Callable[[Case], BuiltSite]:
    counter = iter(range(1000))

    def run(case: Case) -> BuiltSite:
        root = prepare(case, tmp_path / f"project-{next(counter)}")
        return build_with_zensical(root) if ENGINE == "zensical" else build_in_process(root)

    return run
