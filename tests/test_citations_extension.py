"""Unit tests of the citations Markdown extension: exact HTML, no MkDocs."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import pytest
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

BIB = """\
@book{smith:2020.a-b_c,
  author = {Smith, Jane},
  title = {A Book},
  publisher = {Press},
  year = {2020}
}
@book{doe2019,
  author = {Doe, John},
  title = {Another Book},
  publisher = {Press},
  year = {2019}
}
"""
SMITH = "Smith, J. (2020). <i>A Book</i>. Press."
DOE = "Doe, J. (2019). <i>Another Book</i>. Press."


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def convert(text: str, bib: Path, *extensions: str) -> str:
    md = markdown.Markdown(
        extensions=["annotated_essay.citations", *extensions],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    return md.convert(text)


def note(key: str, number: int, reference: str, anchors: list[str], locator: str = "") -> str:
    back = "".join(
        f'&nbsp;<a class="footnote-backref" href="#{anchor}" '
        f'title="Jump back to citation {i} of source {number} in the text">&#8617;</a>'
        for i, anchor in enumerate(anchors, start=1)
    )
    locator_html = f' <span class="citation-locator">Cited here: {locator}.</span>' if locator else ""
    return f'<li id="fn:cite-{key}" value="{number}"><p>{reference}{locator_html}{back}</p></li>'


def notes(*rows: str) -> str:
    return (
        '\n<div class="footnote citation-notes" role="doc-endnotes" data-search-exclude>\n<hr>\n<ol>\n'
        + "\n".join(rows)
        + "\n</ol>\n</div>"
    )


def ref(key: str, number: int) -> str:
    return f'<a class="footnote-ref" href="#fn:cite-{key}">{number}</a>'


def test_single_citation_gets_number_and_note(bib: Path) -> None:
    assert convert("Text [@doe2019].", bib) == (
        f'<p>Text <sup class="citation" data-search-exclude="" id="citation-1">{ref("doe2019", 1)}</sup>.</p>'
        + notes(note("doe2019", 1, DOE, ["citation-1"]))
    )


def test_several_keys_prefix_and_locator(bib: Path) -> None:
    html = convert("See [see @smith:2020.a-b_c, p. 125; @doe2019].", bib)
    assert html == (
        '<p>See <sup class="citation" data-search-exclude="" id="citation-1">'
        f"{ref('smith:2020.a-b_c', 1)}, {ref('doe2019', 2)}</sup>.</p>"
        + notes(
            note("smith:2020.a-b_c", 1, SMITH, ["citation-1"], locator="see p. 125"),
            note("doe2019", 2, DOE, ["citation-1"]),
        )
    )


def test_source_cited_again_keeps_its_number(bib: Path) -> None:
    html = convert("A [@doe2019]. B [@smith:2020.a-b_c]. C [@doe2019].", bib)
    assert html.startswith(
        f'<p>A <sup class="citation" data-search-exclude="" id="citation-1">{ref("doe2019", 1)}</sup>. '
        f'B <sup class="citation" data-search-exclude="" id="citation-2">{ref("smith:2020.a-b_c", 2)}</sup>. '
        f'C <sup class="citation" data-search-exclude="" id="citation-3">{ref("doe2019", 1)}</sup>.</p>'
    )
    assert note("doe2019", 1, DOE, ["citation-1", "citation-3"]) in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Code `[@doe2019]` span.", "<p>Code <code>[@doe2019]</code> span.</p>"),
        ("Escaped \\[@doe2019] text.", "<p>Escaped [@doe2019] text.</p>"),
        ("Mail [me@example.org] here.", "<p>Mail [me@example.org] here.</p>"),
        ("Link [@handle](https://example.org).", '<p>Link <a href="https://example.org">@handle</a>.</p>'),
        ("    [@doe2019]\n", "<pre><code>[@doe2019]\n</code></pre>"),
        # What Python-Markdown's own link, image, HTML and autolink processors take, they keep.
        ("[@doe2019][ref]\n\n[ref]: https://r.org", '<p><a href="https://r.org">@doe2019</a></p>'),
        ("[@doe2019] [ref]\n\n[ref]: https://r.org", '<p><a href="https://r.org">@doe2019</a></p>'),
        ("[@doe2019]\n\n[@DOE2019]: https://r.org", '<p><a href="https://r.org">@doe2019</a></p>'),
        ("![A [@doe2019] photo](i.png)", '<p><img alt="A [@doe2019] photo" src="i.png" /></p>'),
        ("![A [@doe2019]][ref]\n\n[ref]: i.png", '<p><img alt="A [@doe2019]" src="i.png" /></p>'),
        ('A <span title="see [@doe2019]">b</span>.', '<p>A <span title="see [@doe2019]">b</span>.</p>'),
        (
            "<https://example.org/[@doe2019]>",
            '<p><a href="https://example.org/[@doe2019]">https://example.org/[@doe2019]</a></p>',
        ),
    ],
)
def test_left_alone(source: str, expected: str, bib: Path) -> None:
    assert convert(source, bib) == expected


@pytest.mark.parametrize(
    "source",
    [
        "[@doe2019](unclosed",  # not a link
        "[@doe2019][@doe2019] [@doe2019]",  # no reference by these names
        "![photo](i.png) then [@doe2019]",  # after an image, not in it
        "<b>[@doe2019]</b> and x < y [@doe2019]",  # between tags, and after a lone '<'
    ],
)
def test_citations_next_to_what_python_markdown_takes(source: str, bib: Path) -> None:
    html = convert(source, bib)
    assert "[@doe2019]" not in html.split('<div class="footnote')[0]
    assert 'href="#fn:cite-doe2019"' in html


def test_fenced_code_is_left_alone(bib: Path) -> None:
    html = convert("```\n[@doe2019]\n```", bib, "fenced_code")
    assert html == "<pre><code>[@doe2019]\n</code></pre>"


def test_citation_inside_admonition(bib: Path) -> None:
    html = convert('!!! note "Aside"\n    Inside [@doe2019].', bib, "admonition")
    assert html.startswith(
        '<div class="admonition note">\n<p class="admonition-title">Aside</p>\n'
        f'<p>Inside <sup class="citation" data-search-exclude="" id="citation-1">{ref("doe2019", 1)}</sup>.</p>\n</div>'
    )


def test_unknown_key_is_marked_and_warned(bib: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        html = convert("Intro.\n\nText [@doe2091].", bib)
    assert html == (
        '<p>Intro.</p>\n<p>Text <sup class="citation" data-search-exclude=""><span class="citation-unresolved" '
        'title="Unresolved citation key: doe2091">@doe2091?</span></sup>.</p>'
    )
    assert caplog.messages == ["<markdown>:3: unknown citation key 'doe2091'; did you mean 'doe2019'?"]


def test_empty_citation_is_marked(bib: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        html = convert("Empty [@] here.", bib)
    assert 'class="citation-unresolved"' in html and "[@]" in html
    assert caplog.messages == ["<markdown>:1: a citation needs a key after '@', as in [@key]"]


def test_bibliography_marker_lists_sources(bib: Path) -> None:
    html = convert("Text [@doe2019].\n\n::: bibliography\n", bib)
    assert (
        '<ol class="bibliography">\n'
        f'<li id="ref-doe2019" value="1"><span class="csl-entry">{DOE}</span> '
        '<span class="citation-backlinks" data-search-exclude>Cited: </span></li>\n</ol>'
    ) not in html  # back-links come from the caller; none given here
    assert f'<li id="ref-doe2019" value="1"><span class="csl-entry">{DOE}</span></li>' in html


def test_back_links_follow_reading_order() -> None:
    from annotated_essay.citations import BackLink, CitationRecord, CitedItem, PageCitations, collect_back_links

    first = PageCitations(records=[CitationRecord("citation-1", (CitedItem("a"), CitedItem("b")))])
    second = PageCitations(records=[CitationRecord("citation-1", (CitedItem("a"),))])
    links = collect_back_links(
        [(lambda anchor: f"one/#{anchor}", "One", first), (lambda anchor: f"two/#{anchor}", "Two", second)]
    )
    assert links == {
        "a": [BackLink("one/#citation-1", "Cited in One"), BackLink("two/#citation-1", "Cited in Two")],
        "b": [BackLink("one/#citation-1", "Cited in One")],
    }


def test_notes_are_added_once_not_to_each_heading_toc_renders(bib: Path) -> None:
    md = markdown.Markdown(
        extensions=["annotated_essay.citations", "toc"],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    html = md.convert("## Head [@doe2019]\n\n## Other\n\nText [@smith:2020.a-b_c].")
    assert html.count('<div class="footnote citation-notes"') == 1
    assert all("citation-notes" not in token["html"] for token in md.toc_tokens)  # type: ignore[attr-defined]


def test_author_in_text_and_suppress_author(bib: Path) -> None:
    html = convert("As @doe2019 [p. 3] says, and Doe [-@doe2019] again; mail me@doe2019.org or @nobody.", bib)
    assert html.startswith(
        '<p>As <span class="citation-narrative">Doe (2019, p. 3)<sup class="citation" data-search-exclude="" '
        f'id="citation-1">{ref("doe2019", 1)}</sup></span> says, and Doe <span class="citation-narrative">(2019)'
        f'<sup class="citation" data-search-exclude="" id="citation-2">{ref("doe2019", 1)}</sup></span> again; '
        "mail me@doe2019.org or @nobody.</p>"
    )
    assert '<span class="citation-locator">Cited here: p. 3.</span>' in html


@pytest.mark.parametrize(
    ("before", "cited"),
    [
        ("", True),  # the text's first character
        ("(", True),
        ("\u201c", True),  # after an opening quote
        ("x/", False),  # a path or URL
        ("@", False),  # '@@doe2019'
        ("é", False),  # after any letter, not only ASCII ones
        ("7", False),
        ("_", False),
    ],
)
def test_author_in_text_only_after_a_non_word_character(bib: Path, before: str, cited: bool) -> None:
    """Only the character just before the '@' decides, wherever the '@' is in the text node."""
    for text in (f"{before}@doe2019 says.", f"Text with *emphasis* first, then {before}@doe2019 says."):
        html = convert(text, bib)
        assert ('class="citation-narrative"' in html) is cited, text
        if not cited:
            assert f"{before}@doe2019 says." in html


def test_reading_order_nested_blocks_first(bib: Path) -> None:
    html = convert("> Quote [@smith:2020.a-b_c].\n\nPlain [@doe2019].", bib)
    assert f'id="citation-1">{ref("smith:2020.a-b_c", 1)}' in html
    assert f'id="citation-2">{ref("doe2019", 2)}' in html


def test_sources_formatted_for_the_site_serve_the_pages_as_formatting_anew(bib: Path) -> None:
    """The notes look up what ``format_sources`` formatted: the same HTML as formatting each page's sources."""
    from annotated_essay.citations import CitationsExtension

    extension = CitationsExtension(bibliography=str(bib))
    extension.start_build()
    numbers = {"doe2019": 1, "smith:2020.a-b_c": 2}
    expected = {"doe2019": DOE, "smith:2020.a-b_c": SMITH}
    assert extension._format(["smith:2020.a-b_c"], numbers) == {"smith:2020.a-b_c": SMITH}  # nothing kept yet
    extension.format_sources(numbers)
    assert extension._format(list(numbers), numbers) == expected
    assert extension._format(["smith:2020.a-b_c"], dict(numbers)) == {"smith:2020.a-b_c": SMITH}  # other numbers
    extension.start_build()  # a new build forgets what the last one formatted
    assert extension._formatted is None


def test_one_source_in_a_heading_or_in_text_ends_as_the_same_markup(bib: Path) -> None:
    """Outside headings the number waits in an attribute of the superscript, in a heading in a <span>: same page."""
    md = markdown.Markdown(
        extensions=["toc", "attr_list", "annotated_essay.citations"],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    html = md.convert('## Title [@doe2019]\n\nText [@doe2019]{: data-a="1" } and [@doe2019].\n')
    link = '<a class="footnote-ref" href="#fn:cite-doe2019">1</a>'
    assert html.startswith(
        f'<h2 id="title">Title <sup class="citation" data-search-exclude="" id="citation-1">{link}</sup></h2>\n'
        f'<p>Text <sup class="citation" data-a="1" data-search-exclude="" id="citation-2">{link}</sup> and '
        f'<sup class="citation" data-search-exclude="" id="citation-3">{link}</sup>.</p>'
    )
    # "toc" copies the heading's HTML before numbers are filled; Zensical shows it as it was.
    assert md.toc_tokens[0]["html"] == (  # type: ignore[attr-defined]
        'Title <sup class="citation" data-search-exclude="" id="citation-1">'
        '<span data-cite-number="doe2019"></span></sup>'
    )


def test_attr_list_classes_on_a_citation_keep_its_number(bib: Path) -> None:
    """``[@key]{: .x}``: attr_list adds the class after numbering; the number must still be filled."""
    html = convert("Text [@doe2019]{: .wide } and [@doe2019; @smith:2020.a-b_c]{: .x .y }.", bib, "attr_list")
    assert html == (
        '<p>Text <sup class="citation wide" data-search-exclude="" id="citation-1">'
        f"{ref('doe2019', 1)}</sup> and "
        '<sup class="citation x y" data-search-exclude="" id="citation-2">'
        f"{ref('doe2019', 1)}, {ref('smith:2020.a-b_c', 2)}</sup>.</p>"
        + notes(
            note("doe2019", 1, DOE, ["citation-1", "citation-2"]), note("smith:2020.a-b_c", 2, SMITH, ["citation-2"])
        )
    )


def test_an_id_the_editor_gives_a_citation_is_where_its_back_links_lead(bib: Path) -> None:
    """``[@key]{: #here}`` replaces the citation's ``citation-N`` id; the notes' back-links follow it."""
    html = convert("Text [@doe2019]{: #here } and [@doe2019].", bib, "attr_list")
    assert html == (
        '<p>Text <sup class="citation" data-search-exclude="" id="here">'
        f"{ref('doe2019', 1)}</sup> and "
        '<sup class="citation" data-search-exclude="" id="citation-2">'
        f"{ref('doe2019', 1)}</sup>.</p>" + notes(note("doe2019", 1, DOE, ["here", "citation-2"]))
    )


class _SeparatorCheck(Treeprocessor):
    """After the inline pass (and the restore of marked texts): each superscript's children and their tails' types."""

    def run(self, root: etree.Element) -> None:
        self.md.children = [[child.tag for child in sup] for sup in root.iter("sup")]  # type: ignore[attr-defined]
        self.md.tail_types = [  # type: ignore[attr-defined]
            type(span.tail) for sup in root.iter("sup") for span in sup if span.tail is not None
        ]


class _Comma(InlineProcessor):
    """A pattern that acts on the separator between a superscript's numbers (as an extension's might)."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        element = etree.Element("b")
        element.text = markdown.util.AtomicString(",")
        return element, m.start(0), m.end(0)


class _SeparatorExtension(Extension):
    def __init__(self, comma: bool) -> None:
        super().__init__()
        self.comma = comma

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        if self.comma:
            md.inlinePatterns.register(_Comma(r",", md), "comma", 1)
        # Priority 19: after "inline" (20) and the restore of texts kept out of it (19.999).
        md.treeprocessors.register(_SeparatorCheck(md), "separator_check", 19)


@pytest.mark.parametrize("comma", [False, True])
def test_separator_between_numbers_is_what_the_inline_pass_makes_of_it(bib: Path, comma: bool) -> None:
    """Known sources outside headings: one attribute, no separator; else ", " as the inline pass makes it.

    The ", " skips the inline pass only where no pattern finds anything in it.
    """
    md = markdown.Markdown(
        extensions=["annotated_essay.citations", _SeparatorExtension(comma)],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    html = md.convert(
        "## Title [@doe2019; @smith:2020.a-b_c]\n\n"
        "See [@smith:2020.a-b_c; @doe2019; @nokey] and [@doe2019; @smith:2020.a-b_c; @doe2019]."
    )
    separator = "<b>,</b> " if comma else ", "
    unresolved = '<span class="citation-unresolved" title="Unresolved citation key: nokey">@nokey?</span>'
    sup = '<sup class="citation" data-search-exclude="" id="citation-{}">'
    assert html.startswith(
        f"<h2>Title {sup.format(1)}{ref('doe2019', 1)}{separator}{ref('smith:2020.a-b_c', 2)}</sup></h2>\n"
        f"<p>See {sup.format(2)}{ref('smith:2020.a-b_c', 2)}{separator}{ref('doe2019', 1)}{separator}{unresolved}</sup>"
        f" and {sup.format(3)}{ref('doe2019', 1)}, {ref('smith:2020.a-b_c', 2)}</sup>.</p>"
    )
    spans = ["span", "b", "span"] if comma else ["span", "span"]
    assert md.children == [spans, [*spans, "b", "span"] if comma else [*spans, "span"], []]  # type: ignore[attr-defined]
    # Plain strings after the inline pass, as it leaves them (the "b" elements' when the pattern acted).
    assert md.tail_types == [str] * 3  # type: ignore[attr-defined]


def test_a_conversion_lets_go_of_its_citations_once_the_tree_is_done(bib: Path) -> None:
    # The Markdown instance is garbage in a cycle after the page: what it still holds waits for a collection.
    md = markdown.Markdown(
        extensions=["annotated_essay.citations"],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    state = md.treeprocessors["citation_tree_done"].state  # type: ignore[attr-defined]
    text = "Text [@doe2019, p. 3] and [see @smith:2020.a-b_c].\n\n# Heading [@doe2019]"
    first = md.convert(text)
    assert state.pending == {} and state.anchored == []
    assert first.count('class="citation"') == 3 and "citation-unresolved" not in first
    md.reset()
    assert md.convert(text) == first == convert(text, bib)
    assert state.pending == {} and state.anchored == []
