"""Reading term pages with Python-Markdown: ids for any script, capitals, tooltips, warnings, several pages."""

from __future__ import annotations

import logging

import markdown
import pytest

from annotated_essay.glossary import GlossaryError, GlossaryExtension
from annotated_essay.glossary_reading import build_glossary, parse_glossary
from annotated_essay.glossary_terms import entry_id


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Pax Americana", "pax-americana"),
        ("一带一路", "一带一路"),
        ("Время", "время"),
        ("Göktürk’s view", "göktürks-view"),
        ("🐉", "u1f409"),
        ("?!", "u3f-u21"),
    ],
)
def test_ids_for_any_script_are_never_empty_and_stable(term: str, expected: str) -> None:
    assert entry_id(term) == expected
    assert entry_id(term) == entry_id(term)


def test_an_entry_without_id_in_chinese_gets_a_unicode_slug_everywhere() -> None:
    text = "## 一带一路\n\nThe Belt and Road Initiative.\n\n## Pax\n\nPeace.\n"
    glossary = parse_glossary(text)
    assert [entry.id for entry in glossary.entries] == ["一带一路", "pax"]
    ext = GlossaryExtension()
    ext.use_glossary(glossary)
    ext.set_page("glossary.md", href="", link=True, is_glossary_page=True)
    html = markdown.Markdown(extensions=[ext, "attr_list", "toc"]).convert(text + "\nIntro: 一带一路 and Pax.\n")
    assert '<h2 id="一带一路">一带一路</h2>' in html
    assert '<a href="#一带一路">#</a>' in html  # the A–Z index lists it under '#'
    assert '<em>Appears in:</em> glossary entry <a href="#glossary-ref-一带一路">Pax</a>' in html


def test_two_entries_whose_made_ids_collide_name_both_lines_and_the_remedy() -> None:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary("## Pax Americana\n\nOne.\n\n## Pax, Americana\n\nTwo.\n", "glossary.md")
    assert str(caught.value) == (
        "glossary.md:5: entry 'Pax, Americana' has the id 'pax-americana' of entry 'Pax Americana' (glossary.md:1); "
        "the id was made from the term; give one of them another { #id }."
    )


def test_made_ids_that_collide_with_a_given_id_are_reported() -> None:
    with pytest.raises(GlossaryError, match=r"^glossary\.md:5: entry 'Pax' has the id 'pax' of entry 'Peace'"):
        parse_glossary("## Peace { #pax }\n\nOne.\n\n## Pax\n\nTwo.\n", "glossary.md")


def convert(text: str, glossary: str) -> str:
    ext = GlossaryExtension()
    ext.use_glossary(parse_glossary(glossary))
    ext.set_page("page.md", href="glossary.md", link=True, is_glossary_page=False)
    return markdown.Markdown(extensions=[ext]).convert(text)


CAPITALS = (
    "## United States { #us }\n\n*Also:* US; U.S.\n\nThe country.\n\n"
    "## Communist Party of China { #cpc }\n\n*Also:* CPC\n\nThe party.\n"
)


def test_aliases_in_capitals_match_only_capitals() -> None:
    html = convert("Let us begin; thus the u.s. and the cpc. Then the US and CPC’s line.", CAPITALS)
    assert html.count('class="glossary-link"') == 2
    assert "Let us begin; thus the u.s. and the cpc. Then the" in html
    assert '<a class="glossary-link" href="glossary.md#us" id="glossary-ref-us" title="The country.">US</a>' in html
    assert 'id="glossary-ref-cpc" title="The party.">CPC’s</a> line.' in html


def test_a_name_written_both_ways_matches_any_case() -> None:
    # "Cpc" (the term) is not in capitals, so "cpc" links; "CPC" alone would not have.
    html = convert("the cpc.", "## Cpc\n\n*Also:* CPC\n\nThe party.\n")
    assert 'href="glossary.md#cpc"' in html


def test_capital_names_still_take_possessives_and_plurals() -> None:
    html = convert("The CPC’s line and two USs.", "## CPC\n\nThe party.\n\n## US\n\nThe country.\n")
    assert ">CPC’s</a>" in html and ">USs</a>" in html


def test_tooltips_are_the_text_a_reader_sees() -> None:
    glossary = parse_glossary(
        "## Pax\n\nA [peace][ref] of <b>bold</b> &amp; <span class='x'>plain</span> words[^1] [@doe2019]. More.\n\n"
        "[ref]: https://example.org\n[^1]: A note.\n"
    )
    assert glossary.entries[0].short == "A peace of bold & plain words."
    assert glossary.entries[0].definition == "A peace of bold & plain words. More."


def test_a_short_line_with_markup_is_plain_text() -> None:
    glossary = parse_glossary("## Pax\n\n*Short:* The *American* [peace](https://example.org) <i>era</i>.\n\nText.\n")
    assert glossary.entries[0].short == "The American peace era."


def test_fenced_headings_are_code_and_raw_html_blocks_are_text() -> None:
    glossary = parse_glossary("## Real\n\n~~~\n## Not an entry\n~~~\n\n<div>Block <em>HTML</em></div>\n")
    assert [entry.term for entry in glossary.entries] == ["Real"]
    assert glossary.entries[0].definition == "## Not an entry\n\nBlock HTML"


def test_front_matter_lines_count_in_messages() -> None:
    glossary = parse_glossary(
        "---\ntitle: Glossary\n---\n\n# Glossary\n\n## Empty\n\n## Pax\n\nPeace.\n", "glossary.md"
    )
    assert glossary.warnings == ["glossary.md:7: entry 'Empty' has no definition; write one below it."]
    assert [entry.line for entry in glossary.entries] == [7, 9]


def test_an_empty_glossary_warns_with_the_remedy() -> None:
    assert parse_glossary("---\ntitle: Glossary\n---\n\n# Glossary\n\nNothing yet.\n", "glossary.md").warnings == [
        "glossary.md:5: the term page has no entries; add one as '## Term { #id }' followed by its definition."
    ]


def test_several_term_pages_make_one_table_with_unique_names() -> None:
    glossary = build_glossary(
        [
            ("## Pax\n\nPeace.\n", 0, "glossary.md", "glossary.md"),
            ("## Mao Zedong { #mao }\n\n*Also:* Mao\n\nThe chairman.\n", 3, "people.md", "people.md"),
        ]
    )
    assert [(entry.id, entry.page, entry.where) for entry in glossary.entries] == [
        ("pax", "glossary.md", "glossary.md:1"),
        ("mao", "people.md", "people.md:4"),
    ]
    with pytest.raises(
        GlossaryError, match=r"^people\.md:1: entry 'Pax' has the id 'pax' of entry 'Pax' \(glossary\.md:1\)"
    ):
        build_glossary(
            [
                ("## Pax\n\nPeace.\n", 0, "glossary.md", "glossary.md"),
                ("## Pax\n\nA man.\n", 0, "people.md", "people.md"),
            ]
        )


def test_one_linker_for_both_term_pages(caplog: pytest.LogCaptureFixture) -> None:
    ext = GlossaryExtension(glossary=["glossary.md", "people.md"])
    ext.use_glossary(
        build_glossary(
            [
                ("## Pax\n\nPeace.\n", 0, "glossary.md", "glossary.md"),
                ("## Mao Zedong { #mao }\n\n*Also:* Mao\n\nThe chairman.\n", 0, "people.md", "people.md"),
            ]
        )
    )
    ext.set_page(
        "essay.md", href={"glossary.md": "../glossary/", "people.md": "../people/"}, link=True, is_glossary_page=False
    )
    with caplog.at_level(logging.WARNING):
        html = markdown.Markdown(extensions=[ext]).convert("Mao and Pax; [the chairman](glossary:mao).")
    assert html == (
        '<p><a class="glossary-link" href="../people/#mao" id="glossary-ref-mao" title="The chairman.">Mao</a> and '
        '<a class="glossary-link" href="../glossary/#pax" id="glossary-ref-pax" title="Peace.">Pax</a>; '
        '<a class="glossary-link" href="../people/#mao" id="glossary-ref-mao-2" title="The chairman.">'
        "the chairman</a>.</p>"
    )
    assert caplog.messages == []


def test_underlined_headings_are_entries_with_their_lines() -> None:
    glossary = parse_glossary("---\ntitle: x\n---\nIntro\n\nPax\n---\n\nPeace.\n\nEmpty\n-----\n", "glossary.md")
    assert [(entry.term, entry.id, entry.line) for entry in glossary.entries] == [
        ("Pax", "pax", 6),
        ("Empty", "empty", 11),
    ]
    assert glossary.warnings == ["glossary.md:11: entry 'Empty' has no definition; write one below it."]
