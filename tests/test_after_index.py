"""Unit tests for markup held back from the search index (annotated_essay.after_index)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.serializers import to_html_string
from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]

from annotated_essay.after_index import AfterIndex, fill_all, immediately
from annotated_essay.search_hand_over import SearchHandOver, index_form

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

    from tests.conftest import SiteBuilder


def test_placeholders_are_comments_filled_with_the_markup() -> None:
    held_back = AfterIndex("notes")
    first = held_back.defer("<ol><li>one</li></ol>")
    second = held_back.defer("<p>two</p>")
    assert first == "<!--annotated-essay:notes:0-->"
    assert second == "<!--annotated-essay:notes:1-->"
    assert held_back.fill(f"<p>text</p>{second}{first}") == "<p>text</p><p>two</p><ol><li>one</li></ol>"


def test_fill_leaves_other_extensions_placeholders_and_plain_pages_alone() -> None:
    notes, lines = AfterIndex("notes"), AfterIndex("lines")
    content = notes.defer("N") + lines.defer("L") + "<!-- an editor's comment -->"
    assert notes.fill(content) == "N<!--annotated-essay:lines:0--><!-- an editor's comment -->"
    extensions = [object(), SimpleNamespace(after_index=notes), SimpleNamespace(after_index=lines)]
    assert fill_all(content, extensions) == "NL<!-- an editor's comment -->"
    assert notes.fill("<p>no placeholders</p>") == "<p>no placeholders</p>"


def test_swapped_regions_are_read_by_the_index_and_replaced_whole() -> None:
    held_back = AfterIndex("list")
    note = held_back.defer("<p>note</p>")
    first = held_back.swap("<ol>\n<li>One.</li>\n</ol>", '<ol class="x">\n<li><i>One</i>.</li>\n</ol>')
    second = held_back.swap("<li>Two.</li>", "<li><b>Two</b>.</li>")
    assert first == "<!--annotated-essay:list:1:index--><ol>\n<li>One.</li>\n</ol><!--annotated-essay:list:end-->"
    content = f"<p>before</p>{first}{note}<p>between</p>{second}"
    assert held_back.fill(content) == (
        '<p>before</p><ol class="x">\n<li><i>One</i>.</li>\n</ol><p>note</p><p>between</p><li><b>Two</b>.</li>'
    )


#: Pieces of placeholders, regions and what looks like them.
PIECES = ["<", "<!--annotated-essay:list:", "<!--annotated-essay:lists:", "0", ":index-->", "end", "-->", "x"]
PIECES += ["<!--annotated-essay:list:0:index-->", "<!--annotated-essay:list:end-->", "<!--annotated-essay:list:end"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_placeholders_and_regions_are_found_as_a_lazy_match_finds_them(pieces: list[str]) -> None:
    """The possessive pattern for a swapped region ends where ``.*?`` would: at the first end marker."""
    lazy = re.compile("<!--annotated-essay:list:([0-9]+)(?::index-->.*?<!--annotated-essay:list:end)?-->", re.DOTALL)
    content = "".join(pieces)
    assert AfterIndex("list")._placeholder.split(content) == lazy.split(content)


def test_reset_starts_numbering_again() -> None:
    held_back = AfterIndex("notes")
    held_back.defer("old")
    held_back.reset()
    assert held_back.defer("new") == "<!--annotated-essay:notes:0-->"
    assert held_back.fill("<!--annotated-essay:notes:0-->") == "new"


def test_immediately_keeps_the_markup() -> None:
    assert immediately("<p>x</p>") == "<p>x</p>"


def test_comment_nodes_are_serialized_as_the_placeholders() -> None:
    held_back = AfterIndex("links")
    paragraph = etree.Element("p")
    start, end = held_back.comment('<a class="x" href="#a">'), held_back.comment("</a>")
    start.tail, end.tail = "one", " and more"
    paragraph.extend([start, end])
    serialized = to_html_string(paragraph)
    assert serialized == "<p><!--annotated-essay:links:0-->one<!--annotated-essay:links:1--> and more</p>"
    assert held_back.defer("</a>") == "<!--annotated-essay:links:1-->"  # the same markup, the same placeholder
    assert held_back.fill(serialized) == '<p><a class="x" href="#a">one</a> and more</p>'


def test_text_markers_become_what_comment_nodes_are_serialized_as() -> None:
    """Markers in a text give the page comment nodes would give, escaping around them included."""
    nodes, markers = AfterIndex("links"), AfterIndex("links")
    start_tag = '<a class="x" href="#a&amp;b">'
    as_nodes = etree.Element("p")
    start, end = nodes.comment(start_tag), nodes.comment("</a>")
    as_nodes.text, start.tail, end.tail = "R&D <", "one & two", "; &amp; more > less"
    as_nodes.extend([start, end])
    as_text = etree.Element("p")
    opening = markers.marker(lambda href: f'<a class="x" href="{href}">', "#a&amp;b")
    closing = markers.marker(lambda: "</a>")
    as_text.text = f"R&D <{opening}one & two{closing}; &amp; more > less"
    serialized = markers.comments(to_html_string(as_text))
    assert serialized == to_html_string(as_nodes)
    assert markers.fill(serialized) == nodes.fill(serialized)
    calls: list[str] = []

    def heading_tag(level: str) -> str:
        calls.append(level)
        return f"<h{level}>"

    assert (
        markers.marker(heading_tag, "2") == markers.marker(heading_tag, "2") == "\x02!--annotated-essay:links:2--\x03"
    )
    assert calls == ["2"]  # the same function and arguments: made once
    assert markers.comments("<p>no markers \x02klzzwxh:1\x03</p>") == "<p>no markers \x02klzzwxh:1\x03</p>"
    # Python-Markdown's own markers (the raw HTML stash's, '&') beside ours stay as they are.
    mixed = f"<p>\x02wzxhzdk:12\x03{markers.marker(heading_tag, '3')}--\x02amp\x03\x02klzzwxh:1\x03 --</p>"
    assert (
        markers.comments(mixed)
        == "<p>\x02wzxhzdk:12\x03<!--annotated-essay:links:3-->--\x02amp\x03\x02klzzwxh:1\x03 --</p>"
    )
    other = AfterIndex("notes")  # another extension's markers: each extension's pass writes its own
    both = f"<p>{markers.marker(heading_tag, '2')}{other.marker(heading_tag, '2')}</p>"
    assert (
        other.comments(markers.comments(both)) == "<p><!--annotated-essay:links:2--><!--annotated-essay:notes:0--></p>"
    )
    assert (
        markers.comments(other.comments(both)) == "<p><!--annotated-essay:links:2--><!--annotated-essay:notes:0--></p>"
    )
    markers.reset()
    assert markers.marker(heading_tag, "2") == "\x02!--annotated-essay:links:0--\x03"


# Material's search plugin under MkDocs is why markup is held back; Zensical indexes each finished
# page itself and leaves out what carries data-search-exclude (tests/test_engines.py checks that).
@pytest.mark.mkdocs_only
def test_the_search_index_is_what_the_finished_pages_would_give(
    build_site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holding markup back changes what Material's search parses, not what it indexes (but spaces)."""
    # The registries the hooks fill pages from: other Markdown instances (the glossary's quiet
    # scan of other pages, say) make extensions of their own, whose registries no page uses.
    registries: dict[int, AfterIndex] = {}
    original_fill = AfterIndex.fill

    def fill_and_remember(self: AfterIndex, content: str) -> str:
        registries[id(self)] = self
        return original_fill(self, content)

    indexed: list[tuple[Page, str, list[dict[str, object]]]] = []
    original_add = SearchIndex.add_entry_from_context

    def add_entry_and_remember(self: SearchIndex, page: Page) -> None:
        before = len(self.entries)
        original_add(self, page)
        indexed.append((page, page.content or "", self.entries[before:]))

    monkeypatch.setattr(AfterIndex, "fill", fill_and_remember)
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", add_entry_and_remember)
    site = build_site()
    assert site.error is None, site.report
    assert {page.file.src_uri for page, _, _ in indexed} >= {"essay/opening.md", "references.md", "glossary.md"}
    assert sorted(registry.name for registry in registries.values()) == ["citations", "glossary"]
    extensions = [SimpleNamespace(after_index=registry) for registry in registries.values()]
    held_back = 0
    for page, content, entries in indexed:
        held_back += content.count("<!--annotated-essay:")
        finished = fill_all(content, extensions)
        assert "<!--annotated-essay:" not in finished
        from_finished_page = SearchIndex()
        original_add(
            from_finished_page,
            SimpleNamespace(content=finished, meta=page.meta, toc=page.toc, url=page.url, title=page.title),
        )
        assert _spaced(entries) == _spaced(from_finished_page.entries), page.file.src_uri
    assert held_back > 100  # notes, back-links, citation and glossary link tags


def _spaced(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    """Entries with runs of spaces as one, and none before a tag: a held-back element's leading space goes too."""
    return [{**entry, "text": re.sub(r"\s+(?=<)", "", " ".join(str(entry["text"]).split()))} for entry in entries]


def _index(content: str) -> list[dict[str, object]]:
    """What Material's search plugin indexes of ``content`` (one page)."""
    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(content=content, meta={}, toc=[], url="p/", title="P"))
    return list(index.entries)


HELD = ("glossary", "citations")
G0, G1 = "<!--annotated-essay:glossary:0-->", "<!--annotated-essay:glossary:1-->"
C0, C1 = "<!--annotated-essay:citations:0-->", "<!--annotated-essay:citations:1-->"
SWAP = "<!--annotated-essay:citations:2:index--><ol>\n<li>One.</li>\n</ol><!--annotated-essay:citations:end-->"
TRICKY_PAGES = [
    f"<h1 id='t'>Title {G0}term{G1} end</h1>\n<p>a {G0}term{G1} word{C0}.</p>",
    f"<p>a {G0}hegemony iii{G1} {C0} {C1}. Historical</p>",  # spaces between placeholders
    f"<p>x {C0}  {C1}y</p>\n{C0}\n<p>z</p>",  # runs of spaces, and a placeholder between blocks
    f"<p>&nbsp;{C0}x and x{C1}&nbsp;&#160;{C0} y;{C1}</p>",  # entities that stand for spaces
    f"  {C0}x{C1}\n\n",  # at the start and the end
    f"<p>before</p>\n{SWAP}\n<p>after {C0}</p>",
    f"<pre><code>a {C0}  b{C1}\n  c</code></pre>",
    f"<h2 id='s'>S{C0}</h2>\n{C0}\n\n{C1}\n<p>\u00a0{C0}\u00a0 x</p>",
]


@pytest.mark.parametrize("content", TRICKY_PAGES)
def test_the_index_form_gives_material_the_same_index(content: str) -> None:
    """Fewer placeholders, the same index, to the space: only those with text (or nothing) on both sides go."""
    content = f"<p>a {G0}b</p>\n{content}"  # one placeholder at least that goes
    indexed = index_form(content, HELD)
    assert len(indexed) < len(content)
    assert _index(indexed) == _index(content)


def test_the_index_form_leaves_placeholders_between_spaces_and_next_to_entities() -> None:
    assert index_form(f"<p>a {G0}term{G1} word</p>", HELD) == "<p>a term word</p>"
    kept = f"<p>iii{G1} {C0} {C1}. x &nbsp;{C0}y</p>"
    assert index_form(kept, HELD) == kept
    assert (
        index_form(f"<p>x</p>{SWAP}\n<p>", HELD)
        == "<p>x</p><ol>\n<li>One.</li>\n</ol><!--annotated-essay:citations:end-->\n<p>"
    )
    assert index_form(f"<p>x</p>{SWAP}", HELD) == "<p>x</p><ol>\n<li>One.</li>\n</ol>"
    assert index_form(f"<p>{C0}</p><!--annotated-essay:other:0-->", HELD) == "<p></p><!--annotated-essay:other:0-->"


def _held_back_extensions() -> list[SimpleNamespace]:
    """Extensions holding back what G0, G1, C0, C1 and SWAP stand for."""
    glossary, citations = AfterIndex("glossary"), AfterIndex("citations")
    assert (glossary.defer('<a href="#t">'), glossary.defer("</a>")) == (G0, G1)
    assert (citations.defer("<sup>1</sup>"), citations.defer("<sup>2</sup>")) == (C0, C1)
    assert citations.swap("<ol>\n<li>One.</li>\n</ol>", "<ol><li><i>One</i>.</li></ol>") == SWAP
    return [SimpleNamespace(after_index=glossary), SimpleNamespace(after_index=citations)]


def test_search_hand_over_gives_the_index_form_and_takes_the_page_back_filled() -> None:
    extensions = _held_back_extensions()
    hand_over = SearchHandOver()
    page = f"<p>a {G0}term{G1} word{C0}.</p>"
    given = hand_over.before("a.md", page, extensions)
    assert given == "<p>a term word.</p>"
    assert hand_over.after("a.md", given) == '<p>a <a href="#t">term</a> word<sup>1</sup>.</p>'
    assert hand_over.after("a.md", given) == given  # taken back once
    # Material rewrites data-search-* attributes after indexing: such a page keeps its placeholders.
    marked = f'<p data-search-boost="2">a {C0}b</p>'
    assert hand_over.before("b.md", marked, extensions) == marked
    assert hand_over.before("c.md", "<p>none</p>", extensions) == "<p>none</p>"
    assert hand_over.before("d.md", page, [object()]) == page  # no extension holds markup back
    # Anything else that changes the page meanwhile is reported, by page.
    hand_over.before("e.md", page, extensions)
    with pytest.raises(ValueError, match=r"^e\.md: another plugin changed the page"):
        hand_over.after("e.md", "<p>rewritten</p>")


@pytest.mark.parametrize(
    "content",
    [
        *TRICKY_PAGES,
        f"<p>{SWAP}{G0}x{G1}</p>{SWAP}",  # two regions, and placeholders right after one
        f"<p>{SWAP.replace('One.', f'One{G0}.')}</p>",  # a placeholder inside a region goes with it
        f"{C0}<!--annotated-essay:citations:end--><!--annotated-essay:other:0-->",  # not ours to fill
    ],
)
def test_the_page_taken_back_is_what_every_extension_fill_gives(content: str) -> None:
    """One split of the page fills it as the extensions' own fills, one after the other, would."""
    extensions = _held_back_extensions()
    hand_over = SearchHandOver()
    given = hand_over.before("a.md", content, extensions)
    assert hand_over.after("a.md", given) == fill_all(content, extensions)


def test_each_fill_gives_the_page_taken_back_as_it_is_without_searching_it_again() -> None:
    """The hooks' fills after the hand-over: the very page taken back needs no search; any other page gets one."""
    glossary, citations = AfterIndex("glossary"), AfterIndex("citations")
    extensions = [SimpleNamespace(after_index=glossary), SimpleNamespace(after_index=citations)]
    # Markup that looks like a placeholder tells whether a fill searched the page (held-back markup never does).
    start = glossary.defer("<a>")
    tricky = citations.defer("<sup>1</sup>" + start)
    hand_over = SearchHandOver()
    page = f"<p>a {start}term{tricky} b.</p>"
    taken_back = hand_over.after("a.md", hand_over.before("a.md", page, extensions))
    assert taken_back == f"<p>a <a>term<sup>1</sup>{start} b.</p>"
    assert glossary.fill(taken_back) is taken_back
    assert citations.fill(taken_back) is taken_back
    copy = "".join(list(taken_back))  # equal, not the same page: searched
    assert copy is not taken_back
    assert glossary.fill(copy) == "<p>a <a>term<sup>1</sup><a> b.</p>"
    glossary.reset()  # a new build forgets the page: searched again, it has a placeholder of nothing held now
    with pytest.raises(IndexError):
        glossary.fill(taken_back)


def test_the_hand_over_finds_markup_held_back_since_the_last_page_and_forgets_an_earlier_build() -> None:
    """Its one table of every extension's markup grows page by page and starts again when an extension does."""
    glossary, citations = AfterIndex("glossary"), AfterIndex("citations")
    extensions = [SimpleNamespace(after_index=glossary), SimpleNamespace(after_index=citations)]
    hand_over = SearchHandOver()

    def handed_over(page: str) -> str:
        return hand_over.after("a.md", hand_over.before("a.md", page, extensions))

    assert handed_over(f"<p>a {glossary.defer('<b>')}x{glossary.defer('</b>')} y</p>") == "<p>a <b>x</b> y</p>"
    assert handed_over(f"<p>{citations.defer('<sup>1</sup>')}z{glossary.defer('<i>')}</p>") == "<p><sup>1</sup>z<i></p>"
    glossary.reset()  # the next build (the hand-over is told later, or not at all): the same numbers, other markup
    glossary.defer("<q>")
    glossary.defer("</q>")  # more markup than before, so the numbers alone cannot tell the builds apart
    assert handed_over(f"<p>a {glossary.defer('<em>')}x{glossary.defer('</em>')} y</p>") == "<p>a <em>x</em> y</p>"
    assert handed_over(f"<p>{glossary.defer('<q>')}q</p>") == "<p><q>q</p>"
    assert handed_over(f"<p>{citations.defer('<sup>2</sup>')}</p>") == "<p><sup>2</sup></p>"


#: Pieces of pages around placeholders: texts, spaces, tags, entities, region markers, numbers nobody gave.
HAND_OVER_PIECES = [G0, G1, C0, C1, SWAP, "<!--annotated-essay:citations:end-->", "<!--annotated-essay:other:0-->"]
HAND_OVER_PIECES += ["<!--annotated-essay:glossary:7-->", "a", "word.", " ", "  ", "\n", "\u00a0", "\u3000", ";"]
HAND_OVER_PIECES += ["&nbsp;", "&amp;", "<p>", "</p>", "<br>", ">", " >", "x;", "; ", "\t\n "]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(HAND_OVER_PIECES), max_size=16))
def test_the_hand_over_gives_the_index_form_and_every_fill_whatever_surrounds_placeholders(pieces: list[str]) -> None:
    """The quick way (joinability in the split's pattern, markup looked up by key) gives what the general one does."""
    content = "".join(pieces)
    extensions = _held_back_extensions()
    hand_over = SearchHandOver()
    try:
        expected = fill_all(content, extensions)
    except IndexError:  # a placeholder with a number nobody gave: as the extensions' own fills, an error
        with pytest.raises(IndexError):
            hand_over.before("a.md", content, extensions)
        return
    given = hand_over.before("a.md", content, extensions)
    assert given == index_form(content, HELD)
    assert hand_over.after("a.md", given) == expected


@pytest.mark.mkdocs_only
def test_pages_reach_the_search_plugin_with_fewer_placeholders_and_come_back_whole(
    build_site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page-context hook hands every page over in index form and takes it back filled."""
    handed: list[str] = []
    original_before = SearchHandOver.before

    def before_and_remember(self: SearchHandOver, page: str, content: str, extensions: object) -> str:
        handed.append(content)
        return original_before(self, page, content, extensions)  # type: ignore[arg-type]

    given: list[str] = []
    original_add = SearchIndex.add_entry_from_context

    def add_entry_and_remember(self: SearchIndex, page: Page) -> None:
        given.append(page.content or "")
        original_add(self, page)

    monkeypatch.setattr(SearchHandOver, "before", before_and_remember)
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", add_entry_and_remember)
    site = build_site()
    assert site.error is None, site.report
    assert len(handed) == len(given) > 0  # every page the plugin reads was handed over
    placeholders = re.compile("<!--annotated-essay:")
    assert sum(len(placeholders.findall(page)) for page in given) < sum(
        len(placeholders.findall(page)) for page in handed
    )
    for page in ("essay/opening/index.html", "glossary/index.html", "references/index.html"):
        assert not placeholders.search(site.html(page)), page
