"""Unit tests of editors' notes and passage anchors: Markdown in, exact HTML out, no MkDocs."""

from __future__ import annotations

import logging
import re

import markdown
import pytest

from annotated_essay.editors_notes import EditorsNotesExtension, without_blocks
from annotated_essay.wording import letter


def convert(source: str, name: str = "page.md", offset: int = 0) -> str:
    extension = EditorsNotesExtension()
    extension.set_page(name, offset)
    return markdown.Markdown(extensions=["attr_list", "toc", extension]).convert(source)


def warnings(caplog: pytest.LogCaptureFixture, source: str, offset: int = 0) -> list[str]:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.annotated_essay.editors_notes"):
        convert(source, offset=offset)
    return [record.getMessage() for record in caplog.records]


MARKER = (
    '<sup class="editors-note-ref" data-search-exclude=""><a data-letter="{0}" href="#editors-note-item-{0}" '
    'id="editors-note-ref-{0}"><span class="editors-note-sr">Editors’ note </span>{0}</a></sup>'
)
LABEL = '<p class="editors-note-label"><span class="editors-note-letter">{0}</span> Editors’ note</p>'


def test_one_note_exact_html() -> None:
    source = "The author wrote *this* and that.\n\n/// editors-note | and that\nThe editors say so.\n///\n"
    expected = "\n".join(
        [
            '<div class="editors-noted">',
            '<p>The author wrote <em>this</em> <span class="editors-passage" id="editors-passage-a">and that</span>'
            + MARKER.format("a")
            + ".</p>",
            '<div class="editors-margin">',
            '<div aria-label="Editors’ note a" class="editors-note no-gloss" data-letter="a" data-search-exclude="" '
            'id="editors-note-a" role="note" tabindex="-1">',
            LABEL.format("a"),
            "<p>The editors say so.</p>",
            "</div>",
            "</div>",
            "</div>",
            '<div class="editors-notes no-gloss">',
            '<h2 id="editors-notes">Editors’ notes</h2>',
            '<ol class="editors-notes-list">',
            '<li id="editors-note-item-a">',
            LABEL.format("a"),
            '<p>The editors say so.<a class="editors-note-back" data-search-exclude="" href="#editors-note-ref-a">'
            '↩<span class="editors-note-sr"> Back to the text of note a</span></a></p>',
            "</li>",
            "</ol>",
            "</div>",
        ]
    )
    assert convert(source) == expected


def test_the_authors_words_are_unchanged() -> None:
    source = "First *emphasised words* here, and a “quoted phrase” there.\n\nSecond paragraph.\n"
    notes = (
        "\n/// editors-note | emphasised words here\nNote one.\n///\n"
        "\n/// passage | Second paragraph\n    id: second\n///\n"
    )
    plain = convert(source)
    annotated = convert(source + notes)

    def text(html: str) -> str:
        html = html.split('<div class="editors-notes')[0]
        html = re.sub(r'<div class="editors-margin">.*?</div>\n</div>', "", html, flags=re.DOTALL)
        html = re.sub(r'<sup class="editors-note-ref".*?</sup>', "", html)
        return " ".join(re.sub(r"<[^>]+>", "", html).split())

    assert text(annotated) == text(plain)
    # A passage may run across inline elements: each piece is wrapped, the first has the id.
    assert '<em>emphasised <span class="editors-passage" id="editors-passage-a">words</span></em>' not in annotated
    assert (
        '<em><span class="editors-passage" id="editors-passage-a">emphasised words</span></em>'
        '<span class="editors-passage"> here</span>' + MARKER.format("a") + ", and"
    ) in annotated
    assert '<p><span class="editors-passage" id="second">Second paragraph</span>.</p>' in annotated


def test_letters_follow_the_reading_order_not_the_order_written() -> None:
    source = (
        "Alpha beta.\n\nGamma delta.\n\n"
        "/// editors-note | Gamma\nOn gamma.\n///\n\n"
        "/// editors-note | beta\nOn beta.\n///\n\n"
        "/// editors-note | Alpha\nOn alpha.\n///\n"
    )
    html = convert(source)
    assert re.findall(r'data-letter="([a-z]+)" href', html) == ["a", "b", "c"]
    listed = re.findall(r'<li id="editors-note-item-([a-z])">\n.*?\n<p>(On \w+)\.', html)
    assert listed == [("a", "On alpha"), ("b", "On beta"), ("c", "On gamma")]
    # Two notes on one paragraph share its margin.
    assert html.count('<div class="editors-margin">') == 2


def test_letters_never_run_out() -> None:
    assert [letter(n) for n in (0, 1, 25, 26, 27, 701, 702)] == ["a", "b", "z", "aa", "ab", "zz", "aaa"]


def test_note_with_id_and_several_paragraphs() -> None:
    source = "Some text.\n\n/// editors-note | Some\n    id: some-id\n\nOne.\n\nTwo with [a link](https://example.org).\n///\n"
    html = convert(source)
    assert '<span class="editors-passage" id="some-id">Some</span>' in html
    assert '<p>One.</p>\n<p>Two with <a href="https://example.org">a link</a>.' in html
    # The margin copy has no ids of its own children, so ids stay unique.
    assert len(re.findall(r'id="some-id"', html)) == 1


def test_without_blocks_keeps_only_the_authors_markdown() -> None:
    source = (
        "Author one.\n\n/// editors-note | one\nEditors.\n///\n\nAuthor two.\n\n//// passage | two\n    id: x\n////\n"
    )
    assert without_blocks(source) == "Author one.\n\n\nAuthor two.\n\n"


def test_page_without_notes_is_unchanged() -> None:
    assert convert("Plain *text*.") == markdown.markdown("Plain *text*.", extensions=["attr_list", "toc"])


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Text.\n\n/// editors-note | Absent words\nNote.\n///\n", "page.md:3: the passage 'Absent words' is not"),
        ("Twice. Twice.\n\n/// editors-note | Twice\nNote.\n///\n", "page.md:3: the passage 'Twice' occurs 2 times"),
        ("Text.\n\n/// editors-note | Text\n///\n", "page.md:3: the editors' note is empty"),
        ("Text.\n\n/// editors-note\nNote.\n///\n", "page.md:3: the editors-note block names no passage"),
        ("Text.\n\n/// passage | Text\n///\n", "page.md:3: a passage block needs an id"),
        ("Text.\n\n/// passage | Text\n    id: 9lives\n///\n", "page.md:3: the id '9lives' is not a valid id"),
        (
            "Text. More.\n\n/// passage | Text\n    id: x\n///\n\n/// passage | More\n    id: x\n///\n",
            "page.md:7: the id 'x' is already used on this page",
        ),
        (
            "Text.\n\n/// editors-note | Text\n    colour: red\n\nNote.\n///\n",
            "page.md:3: this editors-note block was not",
        ),
    ],
    ids=["absent", "twice", "empty", "no-passage", "passage-without-id", "bad-id", "duplicate-id", "bad-option"],
)
def test_mistakes_are_reported_with_line(caplog: pytest.LogCaptureFixture, source: str, expected: str) -> None:
    messages = warnings(caplog, source)
    assert any(message.startswith(expected) for message in messages), messages


def test_line_numbers_count_front_matter_offset(caplog: pytest.LogCaptureFixture) -> None:
    source = "Text.\n\n/// editors-note | Text\nA.\n///\n\n/// editors-note | Text\nB.\n///\n"
    messages = warnings(caplog, source, offset=4)
    # The first note takes the passage; the second finds it once more (markers are not text) and
    # wraps inside the first: both are placed, nothing is reported.
    assert messages == []
    messages = warnings(caplog, "Text.\n\n/// editors-note | Nope\nA.\n///\n", offset=4)
    assert messages[-1].startswith("page.md:7: ")
