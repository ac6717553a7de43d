"""Full site builds: citations, notes, back-links and errors in the generated HTML."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import markdown
import pytest

from annotated_essay.citation_tree import TreeDone
from tests.conftest import BuiltSite, SiteBuilder, markdown_extension_settings

KEYS = ["greene2021", "vamos2010", "economist2025", "globaltimes2025"]
PAGES = [
    "essay/opening/index.html",
    "essay/step-by-step-china-soviet-conflict/index.html",
    "essay/from-border-conflicts-to-unwavering-friendship/index.html",
    "essay/chinas-concerns/index.html",
]


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def reference_list(site: BuiltSite) -> list[tuple[str, int, str]]:
    page = site.html("references/index.html")
    return [
        (key, int(number), body)
        for key, number, body in re.findall(r'<li id="ref-([^"]+)" value="(\d+)">(.*?)</li>', page)
    ]


def test_essay_numbers_match_the_source(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    assert site.warnings == []
    for number, (key, page) in enumerate(zip(KEYS, PAGES, strict=True), start=1):
        content = site.html(page)
        assert site.shows(
            page,
            f'<sup class="citation" data-search-exclude="" id="citation-1">'
            f'<a class="footnote-ref" href="#fn:cite-{key}">{number}</a></sup>',
        )
        assert f'<li id="fn:cite-{key}" value="{number}"><p>' in content
        assert 'href="#citation-1" title="Jump back to citation 1' in content


def test_exactly_where_the_source_has_them(build_site: SiteBuilder) -> None:
    site = build_site()
    opening = site.html(PAGES[0])
    assert '“Ping-Pong diplomacy”<sup class="citation"' in opening or re.search(
        r"Ping-Pong diplomacy(</a>)?”<sup class=\"citation\"", opening
    )
    step = site.html(PAGES[1])
    # The phrase may be a glossary link; the marker follows the closing quote.
    assert re.search(
        r"capitalist roaders(</a>)?\.” <sup class=\"citation\"( data-search-exclude=\"\")? id=\"citation-1\">", step
    )


def test_reference_list_is_numbered_with_back_links(build_site: SiteBuilder) -> None:
    site = build_site()
    listed = reference_list(site)
    assert [(key, number) for key, number, _ in listed] == [(key, n) for n, key in enumerate(KEYS, start=1)]
    for (_, _, body), page in zip(listed, PAGES, strict=True):
        target = page.removesuffix("index.html")
        backlinks = f'<span class="citation-backlinks" data-search-exclude>Cited: <a href="../{target}#citation-1"'
        assert site.shows("references/index.html", backlinks) and body in site.html("references/index.html")
        assert ">a</a>" in body


def test_back_links_point_at_existing_citations(build_site: SiteBuilder) -> None:
    site = build_site()
    page = site.html("references/index.html")
    links = re.findall(r'href="\.\./([^"#]+)#(citation-\d+)"', page)
    assert [path for path, _ in links if path.startswith("essay/")] == [
        page.removesuffix("index.html") for page in PAGES
    ]
    for path, anchor in links:
        assert f'id="{anchor}"' in site.html(path + "index.html")


def test_notes_carry_the_full_reference_for_tooltips(build_site: SiteBuilder) -> None:
    site = build_site()
    content = site.html(PAGES[1])
    note = re.search(r'<li id="fn:cite-vamos2010" value="2"><p>(.*?)</p></li>', content)
    assert note is not None
    assert text_of(note.group(1)).startswith(
        "Vámos, P., Kaple, D., Friedman, J., & Stiffler, D. A. (2010). "
        "Mao, Khrushchev, and China’s Split with the USSR."
    )
    assert '"content.footnote.tooltips"' in content


def test_a_second_style(build_site: SiteBuilder) -> None:
    def chicago(data: dict[str, Any]) -> None:
        markdown_extension_settings(data, "annotated_essay.citations")["style"] = "chicago-author-date"

    site = build_site(config=chicago)
    assert site.error is None, site.messages
    bodies = {key: text_of(body) for key, _, body in reference_list(site)}
    assert bodies["vamos2010"].startswith("Vámos, P., D. Kaple, J. Friedman, and D. A. Stiffler. 2010.")
    assert bodies["economist2025"].startswith("The Economist. 2025. “The Xi-Putin Partnership")
    assert bodies["economist2025"].count("The Economist") == 1


def test_locator_prefix_and_multiple_keys(build_site: SiteBuilder) -> None:
    page = "---\ntitle: Extra\n---\n\nMore [see @vamos2010, p. 125; @greene2021] and [@vamos2010, pp. 130-131].\n"
    site = build_site(files={"docs/extra.md": page})
    assert site.error is None, site.messages
    content = site.html("extra/index.html")
    # extra.md is outside the nav, so it comes after the essay in reading order.
    assert site.shows(
        "extra/index.html",
        '<sup class="citation" data-search-exclude="" id="citation-1">'
        '<a class="footnote-ref" href="#fn:cite-vamos2010">2</a>, '
        '<a class="footnote-ref" href="#fn:cite-greene2021">1</a></sup>',
    )
    assert '<span class="citation-locator">Cited here: see p. 125; pp. 130-131.</span>' in content
    assert ">a</a> <a " in site.html("references/index.html")  # vamos2010 now has back-links a and b


# CRLF: the site index's Markdown (LF) differs from MkDocs' page.markdown, so the citations hook counts the
# front matter from the file; Zensical hands such a page over with the blank line after its front matter
# still in front, which page_context.align_source_lines drops.
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_unknown_key_fails_strict_with_location_and_suggestions(build_site: SiteBuilder, newline: str) -> None:
    page = "---\ntitle: Typo\ndescription: x\n---\n\nFirst line.\n\nCited [@vamos201].\n".replace("\n", newline)
    site = build_site(files={"docs/typo.md": page})
    assert site.error is not None
    # MkDocs' plugin logger names the hook ("citations: "); Zensical prints the message alone.
    expected = "typo.md:8: unknown citation key 'vamos201'; did you mean 'vamos2010'?"
    assert [m for m in site.warnings if m.removeprefix("WARNING: ").removeprefix("citations: ") == expected]


def test_unknown_key_is_visible_without_strict(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/typo.md": "Cited [@nobody1999].\n"}, strict=False)
    assert site.error is None
    assert (
        '<span class="citation-unresolved" title="Unresolved citation key: nobody1999">@nobody1999?</span>'
        in site.html("typo/index.html")
    )


def test_missing_bibliography_is_a_plugin_error(build_site: SiteBuilder) -> None:
    site = build_site(files={"bib/references.bib": None})
    assert site.error is not None
    assert "references.bib: bibliography file not found" in site.report


def test_malformed_bibliography_names_file_and_line(build_site: SiteBuilder) -> None:
    broken = "@article{broken,\n  title = {Unclosed,\n  year = {2020}\n"
    site = build_site(files={"bib/references.bib": broken})
    assert site.error is not None
    assert re.search(r"references\.bib:1: cannot parse this block", site.report)


def test_uncited_entry_warns_unless_nocite(build_site: SiteBuilder) -> None:
    extra = "\n@book{unused2000,\n  author = {Nobody, N.},\n  title = {Never Cited},\n  year = {2000}\n}\n"
    from tests.conftest import REPO

    bib = (REPO / "bib" / "references.bib").read_text(encoding="utf-8") + extra
    site = build_site(files={"bib/references.bib": bib})
    assert site.error is not None
    assert any("entry 'unused2000' is never cited" in message for message in site.messages)

    def nocite(data: dict[str, Any]) -> None:
        markdown_extension_settings(data, "annotated_essay.citations")["nocite"] = ["unused2000"]

    site = build_site(files={"bib/references.bib": bib}, config=nocite)
    assert site.error is None, site.messages
    assert [key for key, _, _ in reference_list(site)][-1] == "unused2000"


@pytest.mark.mkdocs_only
def test_hook_without_extension_is_a_plugin_error(build_site: SiteBuilder) -> None:
    def drop_extension(data: dict[str, Any]) -> None:
        data["markdown_extensions"] = [
            entry
            for entry in data["markdown_extensions"]
            if not (isinstance(entry, dict) and "annotated_essay.citations" in entry)
        ]

    site = build_site(config=drop_extension)
    assert site.error is not None
    assert "add '- annotated_essay.citations' under markdown_extensions" in site.report


def test_unknown_style_is_a_plugin_error(build_site: SiteBuilder) -> None:
    def bad_style(data: dict[str, Any]) -> None:
        markdown_extension_settings(data, "annotated_essay.citations")["style"] = "no-such-style"

    site = build_site(config=bad_style)
    assert site.error is not None
    assert "unknown CSL style 'no-such-style'" in site.report


@pytest.mark.mkdocs_only  # held back from Material's search plugin (annotated_essay.after_index)
def test_notes_and_back_links_join_pages_after_indexing(build_site: SiteBuilder) -> None:
    site = build_site()
    index = json.loads(site.html("search/search_index.json"))["docs"]
    listing = " ".join(doc["text"] for doc in index if doc["location"].startswith("references/"))
    assert "Vámos" in listing and "Cited:" not in listing
    listed = site.html("references/index.html")
    assert '<span class="citation-backlinks" data-search-exclude>Cited: <a href="../essay/' in listed
    printed = site.html("print/index.html")
    assert printed.count('<div class="footnote citation-notes"') == 5  # one per essay section
    # The print view is serialized from a parsed tree: an empty attribute is written out in full.
    assert '<span class="citation-backlinks" data-search-exclude="">Cited: ' in printed
    assert '<p class="glossary-appears"' in printed
    for path in site.site_dir.rglob("*.html"):
        assert "<!--annotated-essay:" not in path.read_text(encoding="utf-8"), path


def test_notes_stay_out_of_the_search_index(build_site: SiteBuilder) -> None:
    site = build_site()
    index = site.search_documents()
    concerns = " ".join(doc["text"] for doc in index if doc["location"].startswith("essay/chinas-concerns/"))
    listing = " ".join(doc["text"] for doc in index if doc["location"].startswith("references/"))
    # The translated title appears only in the reference: in the note on China’s Concerns
    # (excluded) and in the reference list (indexed).
    assert "more stable and mature" in site.html("essay/chinas-concerns/index.html")
    assert "more stable and mature" not in concerns and "more stable and mature" in listing


def test_pages_let_go_of_their_citations_after_phase_two(
    build_site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs drops each page's Markdown instance, garbage in a cycle: records it still held waited for a
    # collection (and were walked by every one meanwhile). The pages are the same either way (other tests).
    made: list[markdown.Markdown] = []
    original = markdown.Markdown.__init__

    def keep(self: markdown.Markdown, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(markdown.Markdown, "__init__", keep)
    site = build_site(engine="mkdocs")  # in this process (Zensical builds in its own)
    assert site.error is None and site.messages == []
    done = [md.treeprocessors["citation_tree_done"] for md in made if "citation_tree_done" in md.treeprocessors]
    states = [step.state for step in done if isinstance(step, TreeDone)]
    assert len(states) >= len(PAGES)
    assert all(not state.page.records and not state.pending and not state.anchored for state in states)
    assert all('class="citation"' in site.html(page) for page in PAGES)
