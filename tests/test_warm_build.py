"""A warm build (the cache folder kept) loads none of the libraries that only parse and format.

lxml, citeproc-py, bibtexparser, pylatexenc and html5lib cost some 30 ms of
start-up and 7 MiB of memory; a build that finds the parsed bibliography, the
style's facts, the formatted references, the print view and the word count in
the cache folder needs none of them. Each build runs in a fresh process, as
``mkdocs build`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Libraries a warm build must not import (top-level package names).
PARSING_LIBRARIES = ("lxml", "citeproc", "bibtexparser", "pylatexenc", "html5lib")
#: Our modules that only parse, format or write what the cache folder keeps.
COLD_MODULES = tuple(
    f"annotated_essay.{name}"
    for name in (
        "bibtex_reading",
        "latex_text",
        "citeproc_fixes",
        "citeproc_input",
        "citeproc_speed",
        "csl_json",
        "bibtex_dates",
        "reference_links",
    )
)

BUILD = """
import json, sys
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-d", sys.argv[1]], standalone_mode=False)
finally:
    print(json.dumps(sorted({*sys.modules, *(name.split(".")[0] for name in sys.modules)})))
"""


def _build(project: Path, site: Path) -> set[str]:
    # A fixed edition date: the two builds compare equal even across midnight.
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1740614400"}
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(site)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_a_warm_build_imports_no_parsing_or_formatting_library(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("docs", "bib", "hooks", "overrides"):
        shutil.copytree(REPO / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    cold = _build(project, tmp_path / "cold")
    assert {"citeproc", "lxml", "bibtexparser", *COLD_MODULES} <= cold  # the cold build parsed and formatted
    warm = _build(project, tmp_path / "warm")
    assert sorted(warm & {*PARSING_LIBRARIES, *COLD_MODULES}) == []
    assert (tmp_path / "warm" / "index.html").read_bytes() == (tmp_path / "cold" / "index.html").read_bytes()
