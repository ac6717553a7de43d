"""Properties of the Markdown extensions on generated Markdown (Hypothesis).

The citation and glossary processors never crash, and never change code spans,
code blocks or raw HTML: those come out exactly as Python-Markdown renders them
without our extensions.
"""

from __future__ import annotations

import html
import logging
import re
from collections import Counter

import markdown
from annotated_essay.citations import CitationsExtension
from annotated_essay.glossary import GlossaryExtension, parse_glossary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO

BASE = ["attr_list", "admonition", "footnotes", "toc", "tables", "fenced_code"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_QUIET = logging.getLogger("tests.robustness.quiet")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def ours() -> list[markdown.extensions.Extension]:
    citations = CitationsExtension(bibliography=str(REPO / "bib" / "references.bib"), logger=_QUIET)
    glossary = GlossaryExtension(logger=_QUIET)
    glossary.use_glossary(parse_glossary((REPO / "docs" / "glossary.md").read_text(encoding="utf-8")))
    return [citations, glossary]


def convert(text: str, *, with_ours: bool) -> str:
    extensions: list[str | markdown.extensions.Extension] = list(BASE)
    if with_ours:
        extensions += ours()
    return markdown.Markdown(extensions=extensions).convert(text)


#: Pieces of text our processors react to (citations, glossary terms) and Markdown syntax around them.
PIECES = [
    "text",
    "Mao",
    "Cultural Revolution",
    "CPC",
    "Pax Americana",
    "capitalist roaders",
    "环球时报",
    "multipolarity",
    "[@vamos2010]",
    "[@greene2021; @economist2025]",
    "[see @vamos2010, p. 125]",
    "[@nokey]",
    "[@]",
    "[@vamos2010",
    "\\[@vamos2010]",
    "[@greene2021](https://example.org)",
    "me@example.org",
    "[me@example.org]",
    "*em*",
    "**strong**",
    "_under_",
    "[link](https://example.org)",
    "[CPC](glossary:cpc)",
    "&amp;",
    "&",
    "<",
    ">",
    "[",
    "]",
    "@",
    "|",
    ":::",
    "{ #id }",
    '<span class="raw" data-cite="[@vamos2010] CPC">',
    "</span>",
]
piece = st.sampled_from(PIECES)
free_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)
code_text = st.lists(st.one_of(piece, free_text), max_size=5).map(" ".join).map(lambda text: text.replace("`", "'"))
code_span = code_text.filter(lambda text: text.strip()).map(lambda text: f"`{text.strip()}`")
line = st.lists(st.one_of(piece, piece, code_span, free_text), min_size=1, max_size=8).map(" ".join)
code_line = code_text.map(lambda text: text.replace("\n", " "))


def _table(cells: list[str]) -> str:
    rows = [f"| {cells[index]} | {cells[index + 1]} |" for index in range(0, len(cells) - 1, 2)]
    return "| a | b |\n| --- | --- |\n" + "\n".join(rows)


block = st.one_of(
    line,
    line.map(lambda text: "## " + text.replace("\n", " ")),
    st.lists(line.map(lambda text: text.replace("\n", " ")), min_size=1, max_size=3).map(
        lambda items: "\n".join("- " + item for item in items)
    ),
    st.lists(line.map(lambda text: text.replace("\n", " ").replace("|", "/")), min_size=2, max_size=4).map(_table),
    line.map(lambda text: '!!! note "Aside"\n    ' + text.replace("\n", " ")),
    st.lists(code_line, min_size=1, max_size=3).map(lambda lines: "```\n" + "\n".join(lines) + "\n```"),
    st.lists(code_line.filter(str.strip), min_size=1, max_size=3).map(
        lambda lines: "\n".join("    " + text for text in lines)
    ),
    line.map(lambda text: '<div class="raw">\n' + text.replace("\n", " ") + "\n</div>"),
)
document = st.lists(block, max_size=6).map("\n\n".join)

CODE = re.compile(r"<code[^>]*>(.*?)</code>", re.DOTALL)
PRE = re.compile(r"<pre[^>]*>.*?</pre>", re.DOTALL)
RAW_BLOCK = re.compile(r'<div class="raw">.*?</div>', re.DOTALL)
RAW_TAG = re.compile(r'<span class="raw"[^>]*>')


def untouched(text: str) -> dict[str, list[str]]:
    """What our extensions must leave exactly as Python-Markdown renders it."""
    return {
        "code": CODE.findall(text),
        "pre": PRE.findall(text),
        "raw blocks": RAW_BLOCK.findall(text),
        "raw tags": RAW_TAG.findall(text),
    }


LOCATOR = re.compile(r'<span class="citation-locator">(.*?)</span>', re.DOTALL)


@SETTINGS
@given(document)
def test_code_and_raw_html_are_left_alone(text: str) -> None:
    ours, base = convert(text, with_ours=True), convert(text, with_ours=False)
    mine, theirs = untouched(ours), untouched(base)
    assert mine.pop("pre") == theirs.pop("pre")
    assert mine.pop("raw blocks") == theirs.pop("raw blocks")
    assert mine.pop("raw tags") == theirs.pop("raw tags")
    # A code span is unchanged, unless it sits inside a citation's brackets: then it is part of
    # the locator, and the note shows its text.
    our_code, base_code = Counter(mine.pop("code")), Counter(theirs.pop("code"))
    assert our_code - base_code == Counter()
    locators = html.unescape(" ".join(LOCATOR.findall(ours)))
    for code in base_code - our_code:
        assert html.unescape(code) in locators
    assert "\x02" not in ours and "\x03" not in ours  # no Python-Markdown placeholder leaks out


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    convert(text, with_ours=True)


@SETTINGS
@given(st.lists(st.one_of(piece, free_text, st.sampled_from(["\n", "\n\n", "    ", "```", "- ", "# "])), max_size=30))
def test_arbitrary_mixtures_never_crash(pieces: list[str]) -> None:
    convert("".join(pieces), with_ours=True)


def test_the_property_can_fail() -> None:
    # A processor that touched code would be caught: compare two different renderings.
    changed = convert("`[@vamos2010]`", with_ours=True).replace("[@vamos2010]", "1")
    assert untouched(changed) != untouched(convert("`[@vamos2010]`", with_ours=False))
    # And the strategy does produce citations and glossary terms outside code.
    html = convert("Mao and the CPC [@vamos2010].\n\n```\nCPC [@vamos2010]\n```", with_ours=True)
    assert 'class="citation"' in html and 'class="glossary-link"' in html
    assert "<pre><code>CPC [@vamos2010]\n</code></pre>" in html
