"""Site builds of the glossary: links, back-links, the A–Z index, search and error messages."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from annotated_essay.glossary import Glossary
from annotated_essay.glossary_reading import build_glossary, split_front_matter
from tests.conftest import REPO, BuiltSite, SiteBuilder

GLOSSARY = REPO / "docs" / "glossary.md"
PEOPLE = REPO / "docs" / "people.md"


def both() -> Glossary:
    """The project's term table: the glossary and the people."""
    parts = []
    for path in (GLOSSARY, PEOPLE):
        markdown, offset = split_front_matter(path.read_text(encoding="utf-8"))
        parts.append((markdown, offset, path.name, path.name))
    return build_glossary(parts)


def entry_line(term: str) -> int:
    return next(entry.line for entry in both().entries if entry.term == term)


def test_content_has_enough_entries_of_the_right_length() -> None:
    glossary = both()
    assert glossary.warnings == []
    assert len(glossary.sorted_entries("glossary.md")) >= 25
    terms = {entry.term for entry in glossary.entries}
    assert {"Ping-Pong diplomacy", "Pax Americana", "Taiwan", "Xinjiang", "South China Sea", "Riyadh talks"} <= terms
    assert glossary.find("table-tennis diplomacy") is glossary.find("Ping-Pong diplomacy")
    for entry in glossary.entries:
        words = len(entry.definition.split())
        assert 40 <= words <= 125, (entry.term, words)
        assert entry.short and "[" not in entry.short and "<" not in entry.short, entry.term


#: The people the essay names (and two its story needs), by id, with the dates their entries must give.
PEOPLE_DATES = {
    "mao-zedong": "1893–1976",
    "zhou-enlai": "1898–1976",
    "stalin": "1878–1953",
    "malenkov": "1902–1988",
    "khrushchev": "1894–1971",
    "nixon": "1913–1994",
    "kissinger": "1923–2023",
    "deng-xiaoping": "1904–1997",
    "xi-jinping": "born 1953",
    "xi-zhongxun": "1913–2002",
    "putin": "born 1952",
    "trump": "born 1946",
    "zelensky": "born 1978",
    "ostrovsky": "1904–1936",
}


def test_people_have_dates_in_their_tooltips_and_keep_their_ids() -> None:
    glossary = both()
    people = {entry.id: entry for entry in glossary.sorted_entries("people.md")}
    assert set(people) == set(PEOPLE_DATES)
    for entry_id, dates in PEOPLE_DATES.items():
        assert f"({dates})" in people[entry_id].short, entry_id
    # Names as the essay writes them find the person.
    for name, entry_id in [
        ("Trump’s", "trump"),
        ("Xi", "xi-jinping"),
        ("Deng", "deng-xiaoping"),
        ("Mao", "mao-zedong"),
    ]:
        found = glossary.find(name)
        assert found is not None and found.id == entry_id, name


def test_first_mentions_link_to_the_glossary_with_a_short_definition(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    opening = site.html("essay/opening/index.html")
    assert (
        '<a class="glossary-link" href="../../glossary/#ping-pong-diplomacy" id="glossary-ref-ping-pong-diplomacy" '
        'title="Ping-Pong diplomacy was the exchange of table tennis players between the United States and the '
        'People’s Republic of China in 1971 and 1972.">Ping-Pong diplomacy</a>'
    ) in opening
    conclusion = site.html("essay/conclusion/index.html")
    assert re.search(
        r'<a class="glossary-link" href="../../glossary/#pax-americana"[^>]*>Pax Americana</a>', conclusion
    )
    # First mention only: "Indo-Pacific strategy" appears twice on the conclusion page.
    assert conclusion.count('href="../../glossary/#indo-pacific-strategy"') == 1
    # Possessives and curly apostrophes match: "the CPC’s newspaper, the People’s Daily".
    concerns = site.html("essay/chinas-concerns/index.html")
    assert re.search(r'href="../../glossary/#cpc"[^>]*>CPC’s</a>', concerns)
    assert re.search(r'href="../../glossary/#peoples-daily"[^>]*>People’s Daily</a>', concerns)
    # Headings and the landing page are not linked.
    assert "glossary-link" not in site.html("index.html").split("<article", 1)[1].split("</h1>", 1)[0]
    steps = site.html("essay/step-by-step-china-soviet-conflict/index.html")
    assert re.search(r"<h1[^>]*>Step by Step China-Soviet Conflict<", steps)


def test_glossary_page_index_sorted_entries_and_back_links(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    page = without_search_marks(site.html("glossary/index.html"))
    assert '; <a href="../timeline/#glossary-ref-ping-pong-diplomacy">Timeline › Ping-Pong diplomacy</a></p>' in page
    # The timeline's back-links are tested with the timeline (tests/test_timeline_site.py).
    page = re.sub(r'; <a href="\.\./timeline/[^"]*">[^<]*</a>', "", page)
    glossary = both()
    ids = re.findall(r'<h2 id="([^"]+)">', page)
    assert ids == [entry.id for entry in glossary.sorted_entries("glossary.md")]
    index = re.search(r'<nav aria-label="Glossary entries by letter" class="glossary-index">(.*?)</nav>', page, re.S)
    assert index is not None
    linked_letters = dict(re.findall(r'<a href="#([^"]+)">([A-Z#])</a>', index.group(1)))
    firsts: dict[str, str] = {}
    for entry in glossary.sorted_entries("glossary.md"):
        firsts.setdefault(entry.letter, entry.id)
    assert linked_letters == {entry_id: letter for letter, entry_id in firsts.items()}
    assert (
        '<p class="glossary-appears"><em>Appears in:</em> '
        '<a href="../essay/opening/#glossary-ref-ping-pong-diplomacy">Opening</a></p>'
    ) in page
    # Mentions inside other entries' definitions are listed after the essay's pages.
    assert (
        '<p class="glossary-appears"><em>Appears in:</em> '
        '<a href="../essay/conclusion/#glossary-ref-multipolarity">Conclusion</a>; '
        'glossary entries <a href="#glossary-ref-multipolarity">No-limits partnership</a>; '
        '<a href="#glossary-ref-multipolarity-2">Pax Americana</a></p>'
    ) in page
    # Mentions on the People page are listed with their entry.
    assert (
        '<em>Appears in:</em> <a href="../essay/from-border-conflicts-to-unwavering-friendship/'
        '#glossary-ref-how-the-steel-was-tempered">From Border Conflicts to ‘Unwavering Friendship’</a>; '
        '<a href="../people/#glossary-ref-how-the-steel-was-tempered">People › Ostrovsky, Nikolai</a></p>'
    ) in page
    assert (
        '<p class="glossary-see-also"><em>See also:</em> <a href="#kissinger-1971">Kissinger’s secret 1971 visit</a>; '
        '<a href="#nixon-1972">Nixon’s 1972 visit to China</a></p>'
    ) in page
    # Every back-link lands on an element that exists.
    back_links = re.findall(r'<a href="\.\./(essay/[^"#]+)#([^"]+)">', page)
    assert len(back_links) >= 20
    for path, anchor in back_links:
        assert f'id="{anchor}"' in site.html(path + "index.html"), (path, anchor)
    for anchor in re.findall(r'<a href="#(glossary-ref-[^"]+)">', page):
        assert f'id="{anchor}"' in page


def test_citations_inside_definitions_get_global_numbers_and_notes(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    page = without_search_marks(site.html("glossary/index.html"))
    greene = re.search(
        r'<sup class="citation" id="(citation-\d+)">'
        r'<a class="footnote-ref" href="#fn:cite-greene2021">1</a>',
        page,
    )
    assert greene is not None
    assert '<li id="fn:cite-greene2021" value="1">' in page
    assert f'<a href="../glossary/#{greene.group(1)}" title="Cited in Glossary">' in site.html("references/index.html")


#: The search separator of mkdocs.yml (words, and Chinese words jieba splits with U+200B).
SEPARATOR = r"[\s\u200b\-]+"


def without_search_marks(page: str) -> str:
    """``page`` without ``data-search-exclude``, which Zensical's search reads and removes (MkDocs keeps it)."""
    return re.sub(r' data-search-exclude(?:="[^"]*")?', "", page)


def messages_of(site: BuiltSite, level: str) -> list[str]:
    """``LEVEL: message`` as either engine prints it (MkDocs' hook logger adds ``glossary: ``)."""
    return [m.replace(f"{level}: glossary: ", f"{level}: ", 1) for m in site.messages if m.startswith(level)]


def _tokens(text: str, separator: str) -> set[str]:
    plain = html_module.unescape(re.sub(r"<[^>]+>", " ", text)).lower()
    return {token for token in re.split(separator, plain) if token}


def test_each_entry_is_a_search_result_with_its_aliases(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    separator = SEPARATOR
    docs = {doc["location"]: doc for doc in site.search_documents()}
    for entry in both().entries:
        doc = docs[f"{entry.page.removesuffix('.md')}/#{entry.id}"]
        assert doc["title"] == entry.term
        assert "Appears in" not in doc["text"]  # navigation, excluded from the index
        for alias in entry.aliases:
            text = html_module.unescape(doc["text"]).replace("\u200b", "")  # jieba's word breaks in Chinese
            assert alias in text, (entry.term, alias)
    for query, location in [
        ("table tennis", "glossary/#ping-pong-diplomacy"),
        ("ping pong diplomacy", "glossary/#ping-pong-diplomacy"),
        ("Pax Americana", "glossary/#pax-americana"),
    ]:
        doc = docs[location]
        assert _tokens(query, separator) <= _tokens(doc["title"] + " " + doc["text"], separator), query


def _append(path: Path, text: str) -> str:
    return path.read_text(encoding="utf-8") + text


def test_unknown_term_in_an_explicit_link_fails_strict_builds(build_site: SiteBuilder) -> None:
    opening = REPO / "docs" / "essay" / "opening.md"
    source = _append(opening, "\nA [later mention](glossary:pax-amerikana) here.\n")
    line = source.count("\n", 0, source.index("(glossary:pax-amerikana)")) + 1
    site = build_site(files={"docs/essay/opening.md": source})
    assert site.error is not None
    assert (
        f"WARNING: essay/opening.md:{line}: unknown glossary term 'pax-amerikana' in the link "
        "[later mention](glossary:pax-amerikana); did you mean 'pax-americana'?"
    ) in messages_of(site, "WARNING")
    lenient = build_site(files={"docs/essay/opening.md": source}, strict=False)
    assert lenient.error is None
    assert (
        '<span class="glossary-unresolved" title="Unknown glossary term: pax-amerikana">later mention</span>'
        in lenient.html("essay/opening/index.html")
    )


def test_forced_and_suppressed_links_in_a_site(build_site: SiteBuilder) -> None:
    conclusion = REPO / "docs" / "essay" / "conclusion.md"
    source = conclusion.read_text(encoding="utf-8").replace(
        "the end of Pax Americana", "the end of [Pax Americana](glossary:-)"
    )
    source += "\nOnce more, [the American order](glossary:pax-americana) and Pax Americana.\n"
    site = build_site(files={"docs/essay/conclusion.md": source})
    assert site.error is None, site.messages
    page = site.html("essay/conclusion/index.html")
    assert "the end of Pax Americana." in page
    assert (
        'id="glossary-ref-pax-americana" title="Pax Americana (“American peace”), a term modelled on '
        "the Pax Romana, names the relative peace among the great powers after 1945 under the military, "
        'economic and political predominance of the United States.">the American order</a> and Pax Americana.'
    ) in page


def test_entry_never_mentioned_is_a_warning(build_site: SiteBuilder) -> None:
    source = _append(GLOSSARY, "\n## Unused term\n\nA definition of a term that the essay never uses.\n")
    line = source.splitlines().index("## Unused term") + 1
    site = build_site(files={"docs/glossary.md": source})
    assert site.error is not None
    assert messages_of(site, "WARNING") == [
        f"WARNING: glossary.md:{line}: entry 'Unused term' is never mentioned on a linked page; add an alias "
        "matching the text's wording, link it with [text](glossary:unused-term), or delete the entry."
    ]


def test_empty_definition_is_a_warning(build_site: SiteBuilder) -> None:
    source = GLOSSARY.read_text(encoding="utf-8").replace(
        "## Pax Americana { #pax-americana }\n", "## Empty entry\n\n## Pax Americana { #pax-americana }\n"
    )
    line = source.splitlines().index("## Empty entry") + 1
    site = build_site(files={"docs/glossary.md": source})
    assert f"WARNING: glossary.md:{line}: entry 'Empty entry' has no definition; write one below it." in messages_of(
        site, "WARNING"
    )


def test_colliding_alias_is_a_plugin_error_naming_both(build_site: SiteBuilder) -> None:
    source = _append(GLOSSARY, "\n## Table tennis diplomacy\n\nA second entry for the same thing, by mistake.\n")
    line = source.splitlines().index("## Table tennis diplomacy") + 1
    site = build_site(files={"docs/glossary.md": source})
    assert site.error is not None
    assert messages_of(site, "ERROR") == [
        f"ERROR: glossary.md:{line}: 'Table tennis diplomacy' of entry 'Table tennis diplomacy' collides with "
        f"'table-tennis diplomacy' of entry 'Ping-Pong diplomacy' (glossary.md:{entry_line('Ping-Pong diplomacy')}); "
        "a term or alias may belong to one entry only."
    ]


def test_missing_glossary_page_is_a_plugin_error(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/glossary.md": None})
    assert site.error is not None
    errors = messages_of(site, "ERROR")
    assert len(errors) == 1
    assert "the glossary page 'glossary.md' is not among the documentation files" in errors[0]


@pytest.mark.mkdocs_only  # rebuilds through MkDocs' API
def test_each_build_rereads_the_glossary(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.messages
    glossary = site.root / "docs" / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "## Pax Americana { #pax-americana }\n", "## Pax Americana { #pax-americana }\n\n*Short:* Edited.\n"
        ),
        encoding="utf-8",
    )
    build(load_config(str(site.root / "mkdocs.yml"), strict=True, site_dir=str(site.site_dir)))
    assert 'title="Edited.">Pax Americana</a>' in site.html("essay/conclusion/index.html")


def test_people_page_links_and_back_links(build_site: SiteBuilder) -> None:
    """One linker for both term pages: the essay links people to People, the People page links back."""
    site = build_site()
    assert site.error is None, site.messages
    steps = site.html("essay/step-by-step-china-soviet-conflict/index.html")
    assert re.search(
        r'<a class="glossary-link" href="../../people/#stalin" id="glossary-ref-stalin" '
        r'title="Joseph Stalin \(1878–1953\), ruler of the Soviet Union[^"]*">Joseph Stalin’s</a>',
        steps,
    )
    assert re.search(r'href="../../people/#kissinger"[^>]*>Henry Kissinger</a>', steps)
    people = site.html("people/index.html")
    assert re.search(r'<a href="\.\./timeline/#glossary-ref-kissinger[^"]*">Timeline › Kissinger’s secret trip', people)
    # The timeline's back-links are tested with the timeline (tests/test_editors_notes_site.py).
    people = re.sub(r'<a href="\.\./timeline/[^"]*">[^<]*</a>; ', "", people)
    glossary = both()
    assert re.findall(r'<h2 id="([^"]+)">', people) == [entry.id for entry in glossary.sorted_entries("people.md")]
    assert '<nav aria-label="Entries by letter" class="glossary-index">' in people
    assert (
        '<em>Appears in:</em> <a href="../essay/step-by-step-china-soviet-conflict/#glossary-ref-kissinger">'
        "Step by Step China-Soviet Conflict</a>; "
        '<a href="../glossary/#glossary-ref-kissinger">Glossary › Kissinger’s secret 1971 visit</a>; '
        'entries <a href="#glossary-ref-kissinger">Nixon, Richard</a>; '
        '<a href="#glossary-ref-kissinger-2">Zhou Enlai</a>'
    ) in people
    # "See also" across term pages, and every back-link lands on an element that exists.
    assert '<a href="../glossary/#kissinger-1971">Kissinger’s secret 1971 visit</a>' in people
    for path, anchor in re.findall(r'<a href="\.\./((?:essay/[^"#]+|glossary/))#(glossary-ref-[^"]+)">', people):
        assert f'id="{anchor}"' in site.html(path + "index.html"), (path, anchor)


def test_capital_aliases_do_not_link_ordinary_words(build_site: SiteBuilder) -> None:
    """'CPC' and 'ICC' are written in capitals: 'Let us begin' style lower-case words never link."""
    opening = REPO / "docs" / "essay" / "opening.md"
    source = opening.read_text(encoding="utf-8") + "\nThe icc and the cpc met; then the ICC.\n"
    site = build_site(files={"docs/essay/opening.md": source})
    assert site.error is None, site.messages
    page = site.html("essay/opening/index.html")
    assert "<p>The icc and the cpc met; then the " in page
    assert re.search(r'href="../../glossary/#icc-arrest-warrant-for-putin"[^>]*>ICC</a>\.</p>', page)


def _forget_this_process() -> None:
    """Drop what this process kept between builds, as a new `mkdocs build` process starts without it."""
    from annotated_essay import content_cache, glossary_site, site_index

    content_cache._MEMORY.clear()
    glossary_site._CONVERTED.clear()
    glossary_site._TABLES.clear()
    site_index._SCANS.clear()


@pytest.mark.mkdocs_only  # rebuilds through MkDocs' API
def test_warm_build_finds_every_pages_mentions_in_the_cache(
    build_site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotated_essay import glossary, glossary_reading, glossary_site, term_matching
    from annotated_essay import glossary_page as term_page_module

    _forget_this_process()  # a first build in a new process: earlier tests' scans are not in the folder
    site = build_site()
    assert site.error is None, site.messages
    from annotated_essay.citation_settings import CACHE_DIR

    assert list((site.root / CACHE_DIR).glob("glossary-mentions-*.json"))
    assert list((site.root / CACHE_DIR).glob("glossary-matches-*.json"))
    pages = ("glossary/index.html", "people/index.html", "essay/conclusion/index.html", "timeline/index.html")
    cold = {path: site.html(path) for path in pages}
    compiled: list[int] = []
    real_compile = term_matching._compile

    def counting_compiles(*args: Any, **kwargs: Any) -> Any:
        compiled.append(1)
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(term_matching, "_compile", counting_compiles)
    paragraphs: list[int] = []
    real_lines = term_page_module.appears_lines  # the term pages' "Appears in" paragraphs

    def counting_lines(*args: Any, **kwargs: Any) -> dict[str, str]:
        paragraphs.append(1)
        return real_lines(*args, **kwargs)

    monkeypatch.setattr(term_page_module, "appears_lines", counting_lines)
    conversions: list[str] = []

    def counting(site_index: Any, scanner: Any, markdown: str) -> None:
        conversions.append(markdown[:40])
        glossary_site.convert_quietly(site_index, scanner, markdown)

    # The glossary extension's own name for it (imported from glossary_site), as its scan calls it.
    monkeypatch.setattr(glossary, "convert_quietly", counting)
    tables: list[int] = []
    real_table = glossary_reading.build_glossary  # as glossary_site calls it, from its module

    def counting_tables(*args: Any, **kwargs: Any) -> glossary.Glossary:
        tables.append(1)
        return real_table(*args, **kwargs)

    monkeypatch.setattr(glossary_reading, "build_glossary", counting_tables)
    _forget_this_process()
    build(load_config(str(site.root / "mkdocs.yml"), strict=True, site_dir=str(site.site_dir)))
    assert conversions == []  # the warm build converted no page a second time
    assert tables == []  # nor read the term pages: their table is in the folder too
    assert compiled == []  # nor compiled the names' pattern: every text's finds are in the folder
    assert paragraphs == []  # nor wrote the "Appears in" paragraphs: they are kept by content too
    assert {path: site.html(path) for path in cold} == cold

    def rebuild_after_editing(path: Path, old: str, new: str) -> None:
        """Replace ``old`` by ``new`` in ``path``, then build again as a new process would."""
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        _forget_this_process()
        build(load_config(str(site.root / "mkdocs.yml"), strict=True, site_dir=str(site.site_dir)))

    # A page's title is in the paragraphs' key: renamed in the nav alone, it is renamed there too.
    conclusion = "- Conclusion: essay/conclusion.md"
    rebuild_after_editing(site.root / "mkdocs.yml", conclusion, "- Ending: essay/conclusion.md")
    assert paragraphs == [1, 1]
    renamed = '<a href="../essay/conclusion/#glossary-ref-multipolarity">Ending › Conclusion</a>'
    assert renamed in site.html("glossary/index.html")
    paragraphs.clear()
    # A changed term table is another key: the pages are scanned afresh, never a stale result used.
    glossary_page, heading = site.root / "docs" / "glossary.md", "## Pax Americana { #pax-americana }\n"
    rebuild_after_editing(glossary_page, heading, f"{heading}\n*Short:* Edited.\n")
    assert conversions  # pages not converted before the term pages were scanned again
    assert tables == [1]
    assert compiled == []  # the same names: the same finds
    assert paragraphs == [1, 1]  # another term table: the paragraphs of both term pages written again
    assert 'title="Edited.">Pax Americana</a>' in site.html("essay/conclusion/index.html")
    # Another name is another table of finds: the texts are scanned with the new pattern.
    rebuild_after_editing(glossary_page, heading, f"{heading}\n*Also:* American peace\n")
    assert compiled
    assert len(list((site.root / CACHE_DIR).glob("glossary-matches-*.json"))) == 2
