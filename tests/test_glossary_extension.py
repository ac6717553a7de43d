"""Unit tests of the glossary: the term table parser and the linker, with exact HTML, no MkDocs."""

from __future__ import annotations

import gc
import logging
import re
from pathlib import Path

import markdown
import pytest

from annotated_essay.glossary import (
    Glossary,
    GlossaryError,
    GlossaryExtension,
    back_link_labels,
    parse_glossary,
    term_key,
)
from annotated_essay.glossary_site import mentions_from_json, mentions_to_json

GLOSSARY = """\
---
title: Glossary
---

# Glossary

Intro text about Pax Americana.

## Pax Americana { #pax-americana }

*Also:* American peace; the U.S.-led order
*See also:* Pax; paper tiger

The relative peace after 1945 under U.S. predominance. More text about it.

## Pax

Peace, in Latin. A second sentence.

## Paper tiger

*Short:* Mao's phrase for a weak enemy.

A paper tiger looks strong [@doe2019] but is *not*. More.

## People’s Daily { #peoples-daily }

The newspaper of the CPC.
"""
PAX_AMERICANA = "The relative peace after 1945 under U.S. predominance."
PAX = "Peace, in Latin."
TIGER = "Mao's phrase for a weak enemy."
DAILY = "The newspaper of the CPC."


def extension(
    glossary: str = GLOSSARY, *, link: bool = True, is_glossary_page: bool = False, href: str = "glossary.md"
) -> GlossaryExtension:
    ext = GlossaryExtension()
    ext.use_glossary(parse_glossary(glossary))
    ext.set_page("page.md", href=href, link=link, is_glossary_page=is_glossary_page)
    return ext


def convert(text: str, *extensions: object, ext: GlossaryExtension | None = None) -> str:
    md = markdown.Markdown(extensions=[ext or extension(), "attr_list", "toc", *extensions])  # type: ignore[list-item]
    return md.convert(text)


def link(entry_id: str, text: str, title: str, number: int = 1, href: str = "glossary.md") -> str:
    anchor = f"glossary-ref-{entry_id}" + (f"-{number}" if number > 1 else "")
    return f'<a class="glossary-link" href="{href}#{entry_id}" id="{anchor}" title="{title}">{text}</a>'


# -- the term table ---------------------------------------------------------------------------


def test_entries_ids_aliases_and_short_definitions() -> None:
    glossary = parse_glossary(GLOSSARY)
    assert [(entry.term, entry.id, entry.line) for entry in glossary.entries] == [
        ("Pax Americana", "pax-americana", 9),
        ("Pax", "pax", 16),
        ("Paper tiger", "paper-tiger", 20),
        ("People’s Daily", "peoples-daily", 26),
    ]
    assert glossary.entries[0].aliases == ["American peace", "the U.S.-led order"]
    assert glossary.entries[0].see_also == ["Pax", "paper tiger"]
    assert [entry.short for entry in glossary.entries] == [PAX_AMERICANA, PAX, TIGER, DAILY]
    assert glossary.warnings == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pax-americana", "pax-americana"),
        ("PAX AMERICANA", "pax-americana"),
        ("Pax Americana’s", "pax-americana"),
        ("paper tigers", "paper-tiger"),
        ("People's Daily", "peoples-daily"),
        ("the U.S. led order", "pax-americana"),
        ("Paks", None),
    ],
)
def test_find_by_id_name_alias_possessive_and_plural(name: str, expected: str | None) -> None:
    found = parse_glossary(GLOSSARY).find(name)
    assert (found.id if found else None) == expected


def test_term_key_ignores_case_apostrophes_hyphens_and_inner_possessives() -> None:
    assert term_key("Nixon-Mao’s  meeting") == term_key("nixon mao meeting") == "nixon mao meeting"


def test_colliding_aliases_name_both_entries() -> None:
    text = "## Pax Americana\n\n*Also:* Pax\n\nOne.\n\n## Pax\n\nTwo.\n"
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "glossary.md")
    assert str(caught.value) == (
        "glossary.md:7: 'Pax' of entry 'Pax' collides with 'Pax' of entry 'Pax Americana' "
        "(glossary.md:1); a term or alias may belong to one entry only."
    )


def test_colliding_ids_name_both_entries() -> None:
    text = "## One { #x }\n\nOne.\n\n## Two { #x }\n\nTwo.\n"
    with pytest.raises(
        GlossaryError, match=r"^glossary\.md:5: entry 'Two' has the id 'x' of entry 'One' \(glossary\.md:1\)"
    ):
        parse_glossary(text, "glossary.md")


def test_editor_mistakes_are_warnings_with_lines() -> None:
    text = (
        "## Empty\n\n"  # 1
        "## Pax\n\n"  # 3
        "*See also:* Empty; Paks\n"  # 5
        "Definition without a blank line.\n"  # 6
    )
    assert parse_glossary(text, "glossary.md").warnings == [
        "glossary.md:1: entry 'Empty' has no definition; write one below it.",
        "glossary.md:6: add a blank line between the '*See also:*' line of entry 'Pax' and its definition.",
        "glossary.md:5: 'See also' names an unknown entry 'Paks'; did you mean 'pax'?",
    ]


def test_heading_markup_is_not_part_of_the_term_and_a_heading_needs_one() -> None:
    glossary = parse_glossary("## *Pax* `Americana`\n\nPeace.\n\n## { #nothing }\n\nText.\n", "glossary.md")
    assert [entry.term for entry in glossary.entries] == ["Pax Americana"]
    assert glossary.warnings == ["glossary.md:5: an entry heading needs a term, as in '## Term { #id }'."]
    html = convert(
        "## *Pax* `Americana`\n\nPeace.\n", ext=extension("## *Pax* `Americana`\n\nPeace.\n", is_glossary_page=True)
    )
    assert '<h2 id="pax-americana"><em>Pax</em> <code>Americana</code></h2>' in html


def test_headings_inside_code_fences_are_not_entries() -> None:
    text = "## Real\n\nText.\n\n```\n## Not an entry\n```\n"
    glossary = parse_glossary(text)
    assert [entry.term for entry in glossary.entries] == ["Real"]
    assert "## Not an entry" in glossary.entries[0].definition


# -- the linker: exact HTML -------------------------------------------------------------------


def test_first_mention_per_page_is_linked() -> None:
    assert convert("Pax Americana rose.\n\nPax Americana fell.") == (
        f"<p>{link('pax-americana', 'Pax Americana', PAX_AMERICANA)} rose.</p>\n<p>Pax Americana fell.</p>"
    )


def test_longest_match_first_then_the_shorter_term() -> None:
    assert convert("Pax Americana, not just pax.") == (
        f"<p>{link('pax-americana', 'Pax Americana', PAX_AMERICANA)}, not just {link('pax', 'pax', PAX)}.</p>"
    )


def test_possessives_plurals_case_and_line_breaks() -> None:
    html = convert("PAX\nAMERICANA’s end; paper tigers; People's Daily.")
    americana = link("pax-americana", "PAX\nAMERICANA’s", PAX_AMERICANA)
    tigers = link("paper-tiger", "paper tigers", TIGER)
    daily = link("peoples-daily", "People's Daily", DAILY)
    assert html == f"<p>{americana} end; {tigers}; {daily}.</p>"


def test_terms_inside_words_are_not_linked() -> None:
    assert convert("Paxton and Superpax.") == "<p>Paxton and Superpax.</p>"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Pax\n\nPax.", f'<h1 id="pax">Pax</h1>\n<p>{link("pax", "Pax", PAX)}.</p>'),
        (
            "[Pax](https://example.org) then Pax.",
            f'<p><a href="https://example.org">Pax</a> then {link("pax", "Pax", PAX)}.</p>',
        ),
        ("`Pax` then Pax.", f"<p><code>Pax</code> then {link('pax', 'Pax', PAX)}.</p>"),
        ("    Pax\n\nPax.", f"<pre><code>Pax\n</code></pre>\n<p>{link('pax', 'Pax', PAX)}.</p>"),
    ],
)
def test_never_inside_headings_links_or_code(source: str, expected: str) -> None:
    assert convert(source) == expected


def test_abbreviations_are_left_alone() -> None:
    html = convert("PAX here, then Pax.\n\n*[PAX]: Some abbreviation", "abbr")
    assert html == f'<p><abbr title="Some abbreviation">PAX</abbr> here, then {link("pax", "Pax", PAX)}.</p>'


def test_citation_markers_are_untouched(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{pax,\n  author = {Doe, John},\n  title = {Pax},\n  publisher = {P},\n  year = {2019}\n}\n")
    md = markdown.Markdown(
        extensions=[extension(), "annotated_essay.citations"],
        extension_configs={"annotated_essay.citations": {"bibliography": str(bib)}},
    )
    html = md.convert("Text [see @pax, p. 2], then Pax.")
    assert html.startswith(
        '<p>Text <sup class="citation" data-search-exclude="" id="citation-1">'
        '<a class="footnote-ref" href="#fn:cite-pax">1</a></sup>, '
        f"then {link('pax', 'Pax', PAX)}.</p>"
    )


def test_forced_link_on_a_later_mention() -> None:
    html = convert("Pax Americana began. Later [the American peace](glossary:pax-americana) ended.")
    assert html == (
        f"<p>{link('pax-americana', 'Pax Americana', PAX_AMERICANA)} began. Later "
        f"{link('pax-americana', 'the American peace', PAX_AMERICANA, number=2)} ended.</p>"
    )


def test_forced_link_without_target_uses_its_text_and_counts_as_first_mention() -> None:
    html = convert("Before [Pax’s](glossary:) rule, Pax was a word.")
    assert html == f"<p>Before {link('pax', 'Pax’s', PAX)} rule, Pax was a word.</p>"


def test_suppressed_mention_leaves_plain_text_and_the_next_one_is_linked() -> None:
    html = convert("[Pax *Americana*](glossary:-) began. Then Pax Americana ended.")
    assert html == (
        f"<p>Pax <em>Americana</em> began. Then {link('pax-americana', 'Pax Americana', PAX_AMERICANA)} ended.</p>"
    )


def test_unknown_forced_link_is_marked_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        html = convert("Intro.\n\nThe [peace](glossary:pax-amercana) here.")
    assert html == (
        '<p>Intro.</p>\n<p>The <span class="glossary-unresolved" '
        'title="Unknown glossary term: pax-amercana">peace</span> here.</p>'
    )
    assert caplog.messages == [
        "page.md:3: unknown glossary term 'pax-amercana' in the link [peace](glossary:pax-amercana); "
        "did you mean 'pax-americana'?"
    ]


def test_pages_outside_link_pages_resolve_forced_links_only() -> None:
    html = convert("Pax, and [Pax](glossary:pax).", ext=extension(link=False))
    assert html == f"<p>Pax, and {link('pax', 'Pax', PAX)}.</p>"


def test_held_back_links_are_comment_placeholders_around_their_text() -> None:
    """Under the MkDocs hook the link tags wait for the search index; the text stays in place."""
    ext = extension(href="../glossary/")
    ext.deferred = True
    html = convert("Pax Americana began. Later [the *American* peace](glossary:pax-americana) ended.", ext=ext)
    assert html == (
        "<p><!--annotated-essay:glossary:0-->Pax Americana<!--annotated-essay:glossary:1--> began. Later "
        "<!--annotated-essay:glossary:2-->the <em>American</em> peace<!--annotated-essay:glossary:1--> ended.</p>"
    )
    assert ext.after_index.fill(html) == (
        f"<p>{link('pax-americana', 'Pax Americana', PAX_AMERICANA, href='../glossary/')} began. Later "
        f"{link('pax-americana', 'the <em>American</em> peace', PAX_AMERICANA, number=2, href='../glossary/')}"
        " ended.</p>"
    )


@pytest.mark.parametrize(
    "source",
    [
        "Pax Americana, then [Pax](glossary:) and [*Paper* tigers](glossary:paper-tiger) at last.",
        "[Pax *Americana*](glossary:-) began; **Pax Americana** ended with paper tigers.",
        "A paper tiger.\n\n- Pax in a list\n- and [Pax Americana](glossary:pax-americana)",
        "R&D <Pax> & paper tigers&amp; Pax Americana&nbsp;\\*Pax\\*, *Pax* tail Pax Americana.",
    ],
)
def test_held_back_links_fill_to_what_python_markdown_writes(source: str) -> None:
    short = 'AT&T & AT&amp;T say "<b>" > 1'  # escaped as Python-Markdown escapes attributes
    glossary = GLOSSARY.replace("*Short:* Mao's phrase for a weak enemy.", f"*Short:* {short}")
    plain = convert(source, ext=extension(glossary, href="../glossary/"))
    deferred = extension(glossary, href="../glossary/")
    deferred.deferred = True
    held_back = convert(source, ext=deferred)
    assert "glossary-link" not in held_back
    assert deferred.after_index.fill(held_back) == plain


def test_mentions_record_their_section() -> None:
    ext = extension()
    ext.deferred = True
    convert("# Page\n\nPax here.\n\n## Part two\n\nPax Americana there.", ext=ext)
    assert ext.mentions == (
        ("pax", "glossary-ref-pax", "page", "Page"),
        ("pax-americana", "glossary-ref-pax-americana", "part-two", "Part two"),
    )


def test_mentions_are_plain_tuples_the_collector_stops_tracking() -> None:
    # A site keeps every page's mentions to the end of the build: as built-in tuples of strings the
    # garbage collector untracks them at its first collection instead of walking them at every one.
    ext = extension()
    ext.deferred = True
    convert("# Page\n\nPax here.", ext=ext)
    (mention,) = ext.mentions
    assert type(mention) is tuple
    # Recorded and kept as the mentions' strings in a row: no object per mention for the collector to count.
    assert ext._mentions == mention and all(type(part) is str for part in ext._mentions)
    gc.collect()
    assert not gc.is_tracked(mention)
    assert mentions_from_json(mentions_to_json(ext.mentions)) == ext.mentions
    assert all(type(row) is tuple for row in mentions_from_json(mentions_to_json(ext.mentions)))


def test_back_link_labels_name_page_and_section() -> None:
    mentions = [("x", "a", "", ""), ("x", "b", "s", "Section"), ("x", "c", "s", "Section")]
    assert back_link_labels("Opening", mentions) == ["Opening", "Opening › Section", "Opening › Section (2)"]


def test_one_pattern_for_many_terms_links_each_once() -> None:
    entries = "".join(f"## Term {index:03d}\n\nDefinition {index}.\n\n" for index in range(300))
    ext = extension(entries)
    text = " ".join(f"Term {index:03d}" for index in range(300)) + " Term 150."
    html = convert(text, ext=ext)
    assert html.count('class="glossary-link"') == 300
    assert html.endswith(" Term 150.</p>")


# -- the glossary page ------------------------------------------------------------------------


def test_glossary_page_is_sorted_indexed_and_cross_linked() -> None:
    html = convert(GLOSSARY.split("---\n", 2)[2], ext=extension(is_glossary_page=True, href=""))
    headings = re.findall(r'<h2 id="([^"]+)">', html)
    assert headings == ["paper-tiger", "pax", "pax-americana", "peoples-daily"]
    index = re.search(
        r'<nav aria-label="Glossary entries by letter" class="glossary-index" data-search-exclude="true">(.*?)</nav>',
        html,
        re.S,
    )
    assert index is not None
    assert '<a href="#paper-tiger">P</a>' in index.group(1)
    assert '<span aria-hidden="true" class="glossary-index-empty">A</span>' in index.group(1)
    assert html.index("Intro text") < html.index('class="glossary-index"') < html.index('<h2 id="paper-tiger">')
    assert (
        '<h2 id="pax-americana">Pax Americana</h2>\n'
        '<p class="glossary-aliases"><em>Also:</em> American peace; the U.S.-led order</p>\n'
        "<p>The relative peace after 1945 under U.S. predominance. More text about it.</p>\n"
        '<p class="glossary-see-also"><em>See also:</em> <a href="#pax">Pax</a>; '
        '<a href="#paper-tiger">Paper tiger</a></p>\n'
    ) in html
    # The *Short:* line feeds the tooltip only; a definition links other entries, never its own.
    assert "*Short:*" not in html and "<em>Short:</em>" not in html
    assert '<a class="glossary-link" href="#pax-americana" id="glossary-ref-pax-americana"' in html  # intro
    assert 'href="#paper-tiger" id="glossary-ref-paper-tiger"' not in html


def test_glossary_page_back_links_in_plain_markdown() -> None:
    html = convert("## Pax\n\nPeace.\n\n## Pax Americana\n\nNot just Pax.\n", ext=extension(is_glossary_page=True))
    assert (
        '<p class="glossary-appears" data-search-exclude="true"><em>Appears in:</em> glossary entry '
        '<a href="#glossary-ref-pax">Pax Americana</a></p>'
    ) in html
    assert 'data-glossary-appears="pax-americana"' not in html


def test_cjk_terms_match_without_spaces_around_them() -> None:
    ext = extension("## 一带一路 { #bri }\n\nThe Belt and Road Initiative.\n\n## Pax\n\nPeace.\n")
    html = convert("Paxton: 中国的一带一路倡议与Pax。", ext=ext)
    bri = link("bri", "一带一路", "The Belt and Road Initiative.")
    assert html == f"<p>Paxton: 中国的{bri}倡议与{link('pax', 'Pax', 'Peace.')}。</p>"


def test_matches_scan_lowercased_text_and_check_the_boundary_before_a_name() -> None:
    glossary = parse_glossary(GLOSSARY)
    found = glossary.matches("The Pax Americana, Paxton, xpax pax.")
    # "Paxton" and "xpax" are other words; the name is the lowercased text, found in the same place.
    assert found == ((4, 17, "pax americana"), (32, 35, "pax"))
    assert [term for _, _, term in glossary.matches("İ Pax")] == ["Pax"]  # lowercase is longer: as written


@pytest.mark.parametrize("deferred", [False, True])
@pytest.mark.parametrize("is_glossary_page", [False, True])
def test_each_names_first_find_links_as_every_find_would(
    deferred: bool, is_glossary_page: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Off a term page the linker gets each name's first find only: the page comes out as with every find."""
    source = (
        "# Page\n\nPax and Pax Americana; the American peace, pax americana again.\n\n"
        "## Two\n\nPax Americana, [Pax](glossary:pax), Pax and paper tigers, a paper tiger, Pax.\n\n"
        "- paper tiger in a list, [the order](glossary:pax-americana) and Pax Americana\n"
    )
    original = Glossary.matches_in

    def every_find(self: Glossary, texts: list[str], first: bool = False) -> list[tuple[tuple[int, int, str], ...]]:
        return original(self, texts)

    pages = []
    for every in (False, True):
        if every:
            monkeypatch.setattr(Glossary, "matches_in", every_find)
        ext = extension(is_glossary_page=is_glossary_page)
        ext.deferred = deferred
        html = convert(source, ext=ext)
        pages.append((ext.after_index.fill(html), ext.mentions))
    assert pages[0] == pages[1]
    assert len(pages[0][1]) >= 4
