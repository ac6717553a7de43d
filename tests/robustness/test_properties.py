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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotated_essay.bibliography import BibliographyError, parse_bibliography
from annotated_essay.citations import CitationsExtension
from annotated_essay.glossary import GlossaryError, GlossaryExtension, parse_glossary, term_key
from annotated_essay.glossary_match_cache import MatchTable
from annotated_essay.references import ReferenceFormatter
from annotated_essay.term_matching import case_form
from tests.conftest import REPO

BASE = ["attr_list", "admonition", "footnotes", "toc", "tables", "fenced_code"]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_QUIET = logging.getLogger("tests.robustness.quiet")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def ours(glossary_page: bool = False) -> list[markdown.extensions.Extension]:
    citations = CitationsExtension(bibliography=str(REPO / "bib" / "references.bib"), logger=_QUIET)
    glossary = GlossaryExtension(logger=_QUIET)
    glossary.use_glossary(parse_glossary((REPO / "docs" / "glossary.md").read_text(encoding="utf-8")))
    if glossary_page:  # the glossary page itself: links within it, the A-Z index, back-link slots
        glossary.set_page("glossary.md", href="glossary.md", link=True, is_glossary_page=True)
    return [citations, glossary]


def convert(text: str, *, with_ours: bool, glossary_page: bool = False) -> str:
    extensions: list[str | markdown.extensions.Extension] = list(BASE)
    if with_ours:
        extensions += ours(glossary_page)
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
#: A raw HTML block; not one inside a paragraph, which Python-Markdown makes of it after an unclosed ``<?``
#: (the tags are then inline HTML around ordinary text, which the glossary links like any text).
RAW_BLOCK = re.compile(r'(?<!<p>)<div class="raw">.*?</div>', re.DOTALL)
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
@given(document, st.booleans())
def test_code_and_raw_html_are_left_alone(text: str, glossary_page: bool) -> None:
    ours, base = convert(text, with_ours=True, glossary_page=glossary_page), convert(text, with_ours=False)
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


#: Pieces of BibTeX, so that generated files come close to valid ones and break in many ways.
BIB_PIECES = [
    "@book{",
    "@article{",
    "@string{",
    "@comment{",
    "@preamble{",
    "@misc{key,",
    "key,",
    "title = {",
    "year = 2020",
    'author = "',
    "month = jan",
    "url = {",
    "https://example.org/~a?b=1&c",
    "doi = {10.1234/x}",
    "}",
    "{",
    '"',
    ",",
    "=",
    "#",
    "%",
    "\\'e",
    "\\&",
    "--",
    "\\",
    "\n",
    " and ",
    "Doe, Jane",
    '{\\"o}',
    "中文",
    "date = {2020-13-45}",
    "date = {0}",
    "year = {0}",
    "year = {99999}",
    "month = {13}",
    "month = {foo}",
    "day = {40}",
    "pages = {a--b}",
    "edition = {2}",
    "titleaddon = {",
    "entrysubtype = {newspaper}",
    "editor = {",
    "translator = {",
    "{World Bank}",
    "von Neumann, Jr., John",
]
FORMATTER = ReferenceFormatter("apa")


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(BIB_PIECES), free_text), max_size=40).map("".join))
def test_any_bibtex_parses_or_fails_with_a_located_message(text: str) -> None:
    try:
        bibliography = parse_bibliography(text, "refs.bib")
    except BibliographyError as error:
        for message in str(error).splitlines():
            assert re.match(r"refs\.bib:[0-9]+: ", message), message
    else:
        assert bibliography.entries
        for warning in bibliography.warnings:
            assert re.match(r"refs\.bib:[0-9]+: ", warning), warning
        # Whatever parsed can be formatted.
        formatted = FORMATTER.format(bibliography.entries.values())
        assert set(formatted) == set(bibliography.entries)


#: Pieces of a glossary page: headings, ids, the Also/See also/Short lines, citations, raw HTML.
GLOSSARY_PIECES = [
    "# Glossary\n\n",
    "## ",
    "Term",
    "CPC",
    "Pax Americana",
    " { #id }",
    " { #cpc }",
    "\n\n",
    "\n",
    "*Also:* ",
    "*See also:* ",
    "*Short:* ",
    "; ",
    "[@vamos2010]",
    "<b>x</b>",
    "`code`",
    "---\ntitle: G\n---\n",
    "中文",
]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(GLOSSARY_PIECES), free_text), max_size=30).map("".join))
def test_any_glossary_parses_or_fails_with_a_located_message(text: str) -> None:
    try:
        glossary = parse_glossary(text, "glossary.md")
    except GlossaryError as error:
        assert re.match(r"glossary\.md(:[0-9]+)?: ", str(error)), str(error)
    else:
        for warning in glossary.warnings:
            assert re.match(r"glossary\.md:[0-9]+: ", warning), warning


FIELD_NAMES = [
    "title",
    "author",
    "editor",
    "translator",
    "year",
    "month",
    "day",
    "date",
    "journal",
    "booktitle",
    "publisher",
    "organization",
    "pages",
    "volume",
    "number",
    "url",
    "doi",
    "titleaddon",
    "entrysubtype",
    "edition",
    "language",
    "note",
    "address",
]
VALUE_PIECES = [
    "2020",
    "0",
    "99999",
    "jan",
    "13",
    "2020-13-45",
    "2021-02-27",
    "Doe, Jane",
    " and ",
    "von Neumann, Jr., John",
    "{World Bank}",
    "{\\'e}",
    "\\&",
    "--",
    "---",
    '{\\"o}',
    "\\textit{x}",
    "$x$",
    "~",
    "%",
    "120--165",
    "newspaper",
    "https://example.org/~a?b=1&c=2",
    "10.1234/abc",
    "javascript:alert(1)",
    "<script>x</script>",
    "中文",
    "",
]
plain_value_text = st.text(alphabet=st.characters(blacklist_characters="{}\\", blacklist_categories=["Cs"]), max_size=8)
field_value = st.lists(st.one_of(st.sampled_from(VALUE_PIECES), plain_value_text), max_size=4).map("".join)
bib_field = st.tuples(st.sampled_from(FIELD_NAMES), field_value).map(lambda pair: f"  {pair[0]} = {{{pair[1]}}}")
bib_entry = st.tuples(
    st.sampled_from(["book", "article", "online", "misc", "incollection", "inproceedings", "thesis", "report"]),
    st.sampled_from(["a", "b", "c:1", "d.e-f_g", "naïve"]),
    st.lists(bib_field, max_size=8, unique_by=lambda text: text.split("=")[0]),
).map(lambda parts: f"@{parts[0]}{{{parts[1]},\n" + ",\n".join(parts[2]) + "\n}\n")


@SETTINGS
@given(st.lists(bib_entry, min_size=1, max_size=4).map("\n".join))
def test_well_formed_bibtex_always_formats(text: str) -> None:
    test_any_bibtex_parses_or_fails_with_a_located_message.hypothesis.inner_test(text)  # type: ignore[attr-defined]


_ESSAY_GLOSSARY = parse_glossary((REPO / "docs" / "glossary.md").read_text(encoding="utf-8"))
#: Names of the essay's glossary in other cases and spellings, and characters lowercasing changes.
GLOSSARY_NAMES = [
    *(name for entry in _ESSAY_GLOSSARY.entries for name in (entry.term, *entry.aliases)),
    "PAX AMERICANA",
    "ping-pong Diplomacy’s",
    "Khrushchev's",
    "İstanbul",
    "ẞ",
    "中俄关系",
    "环球时报",
    "K",
    "us",
    "Cpc",
    "cpsu’s",
]
glossary_text = st.lists(st.one_of(st.sampled_from(GLOSSARY_NAMES), free_text), max_size=12).map(
    lambda parts: "".join(parts)
)


@SETTINGS
@given(glossary_text)
def test_fast_matches_are_those_of_the_case_insensitive_pattern(text: str) -> None:
    """``Glossary.matches`` scans lowercased text with a faster pattern, checking boundaries itself: the same finds."""
    glossary = _ESSAY_GLOSSARY
    pattern = glossary.names.any_case
    assert pattern is not None
    expected = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        key = term_key(match.group("term"))
        written = text[match.start("term") : match.end("term")]
        if key in glossary.capitals and case_form(written) != glossary.capitals[key]:
            position = match.start() + 1  # names in capitals match only in capitals
            continue
        expected.append((match.span(), glossary.by_key.get(key)))
        position = match.end()
    assert [((start, end), glossary.entry_named(term)) for start, end, term in glossary.matches(text)] == expected


@SETTINGS
@given(st.lists(glossary_text, min_size=1, max_size=6))
def test_finds_kept_between_builds_are_the_finds(texts: list[str]) -> None:
    """A warm build looks a page's finds up in the cache folder: what it reads back is what a scan finds."""
    names = _ESSAY_GLOSSARY.names
    assert names.memo is None  # the scans below are real ones
    scanned = [names.find(text) for text in texts]
    stored = MatchTable(None, {})
    stored.keep(texts, scanned)
    read_back = MatchTable(None, dict(stored.values))  # as the next build reads the file
    assert read_back.recall(texts) == scanned
    assert read_back.recall([*texts, ""]) is None  # other texts: scanned, not looked up
