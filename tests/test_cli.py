"""The commands editors and CI run: `mkdocs build --strict` in the venv, as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_project


def run_mkdocs(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "NO_MKDOCS_2_WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_strict_build_is_clean_and_quiet(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = run_mkdocs(project, "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert "Traceback" not in output
    # Material's banner about MkDocs 2.0 is silenced for the venv (see Makefile).
    assert "MkDocs 2.0" not in output and "Zensical" not in output
    assert (project / "site" / "references" / "index.html").is_file()


def test_strict_build_fails_on_an_unknown_key_with_its_location(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    page = project / "docs" / "essay" / "conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAdded [@vamos21].\n", encoding="utf-8")
    lines = page.read_text(encoding="utf-8").count("\n")
    result = run_mkdocs(project, "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"essay/conclusion.md:{lines}: unknown citation key 'vamos21'; did you mean 'vamos2010'?" in output
    assert "Traceback" not in output


def test_broken_bibliography_is_reported_without_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "bib" / "references.bib").write_text("@book{a,\n  title = {x},\n  title = {y}\n}\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "references.bib:3: entry 'a' repeats the field(s) title; keep one of each." in output
    assert "Traceback" not in output


def test_readme_documents_exactly_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick_start.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make serve", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
