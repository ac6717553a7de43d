"""The essay's metadata: landing page, "Cite this essay", citation files, meta tags and the print view."""

from __future__ import annotations

import collections
import datetime
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from annotated_essay import essay_meta
from annotated_essay.bibliography import Person, parse_bibliography
from annotated_essay.editors_notes import without_blocks
from annotated_essay.references import ReferenceFormatter
from tests.conftest import REPO, BuiltSite, SiteBuilder

#: 15 March 2026, 12:00 UTC: the edition date every build here gets.
EPOCH = "1773576000"
DATE = datetime.date(2026, 3, 15)
APA = (
    "Göktürk, O. (2026, March 15). <i>How Does China View the Closer Ties between Trump and Putin? "
    "Accelerating transition to a multipolar world</i>. Annotated Edition."
)
ESSAY_PAGES = [
    "essay/opening.md",
    "essay/step-by-step-china-soviet-conflict.md",
    "essay/from-border-conflicts-to-unwavering-friendship.md",
    "essay/chinas-concerns.md",
    "essay/conclusion.md",
]
SECTION_TITLES = [
    "Opening",
    "Step by Step China-Soviet Conflict",
    "From Border Conflicts to ‘Unwavering Friendship’",
    "China’s Concerns",
    "Conclusion",
]


@pytest.fixture(autouse=True)
def _edition_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def built(build_site: SiteBuilder) -> BuiltSite:
    """The project's site, built strictly with the fixed edition date."""
    site = build_site()
    assert site.error is None, site.messages
    assert site.warnings == []
    return site


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def meta_tags(page: str) -> list[tuple[str, str]]:
    return [
        (name, html.unescape(content))
        for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)">', page)
    ]


def essay_words() -> int:
    total = 0
    for path in ESSAY_PAGES:
        text = (REPO / "docs" / path).read_text(encoding="utf-8").split("---\n", 2)[2]
        text = without_blocks(text)  # the editors' notes are not the essay's words
        text = re.sub(r"\[@[^\]]*\]", " ", text)
        total += len(re.findall(r"[^\W_](?:[\w’'\-.]*[^\W_])?", text))
    return total


# -- the landing page -------------------------------------------------------------------------


def test_landing_page_header_comes_from_the_metadata(built: BuiltSite) -> None:
    page = built.html("index.html")
    assert '<h1 id="how-does-china-view-the-closer-ties-between-trump-and-putin">How Does China View' in page
    assert '<p class="essay-subtitle">Accelerating transition to a multipolar world.</p>' in page
    assert '<p class="essay-byline">By <span class="essay-author">Orçun Göktürk</span>, Beijing / China</p>' in page
    details = re.search(r'<p class="essay-details">(.*?)</p>', page)
    assert details is not None
    words = essay_words()
    assert 1200 < words < 1600  # the five sections, without front matter and citation keys
    minutes = -(-words // essay_meta.WORDS_PER_MINUTE)
    assert text_of(details.group(1)) == (
        f"Annotated edition of 15 March 2026 · written in 2025 (inferred from the sources it cites) · "
        f"{minutes} min read ({words:,} words) · print or save as PDF"
    )
    assert '<time datetime="2026-03-15">' in details.group(1)
    assert '<a href="print/">print or save as PDF</a>' in details.group(1)
    # Summary and sections stay the editors' text.
    assert '<h2 id="summary">' in page and '<a href="essay/conclusion/">Conclusion</a>' in page


def test_reading_time_follows_the_essay_pages(build_site: SiteBuilder) -> None:
    extra = " ".join(["word"] * 2300)
    page = (REPO / "docs/essay/conclusion.md").read_text(encoding="utf-8") + f"\n{extra}\n"
    site = build_site(files={"docs/essay/conclusion.md": page})
    words = essay_words() + 2300
    assert f"{-(-words // essay_meta.WORDS_PER_MINUTE)} min read ({words:,} words)" in site.html("index.html")


def test_cite_box_has_the_apa_reference_and_downloads(built: BuiltSite) -> None:
    page = built.html("index.html")
    box = re.search(r'<div class="essay-cite">(.*?)</div>', page, re.DOTALL)
    assert box is not None
    assert f'<p class="essay-cite__reference">{APA}</p>' in box.group(1)
    links = re.findall(r'<a href="([^"]+)" download="([^"]+)"', box.group(1))
    assert links == [
        ("cite/essay.bib", "essay.bib"),
        ("cite/essay.ris", "essay.ris"),
        ("cite/essay.json", "essay.json"),
        ("cite/references.bib", "references.bib"),
        ("cite/references.json", "references.json"),
    ]
    for href, _ in links:
        assert (built.site_dir / href).stat().st_size > 100


def test_bibtex_round_trips_to_the_same_reference(built: BuiltSite) -> None:
    text = built.html("cite/essay.bib")
    bibliography = parse_bibliography(text, "essay.bib")
    assert bibliography.warnings == ()
    entry = bibliography.entries["gokturk-china-trump-putin"]
    assert entry.entry_type == "online"
    assert entry.people["author"] == (Person(family="Göktürk", given="Orçun"),)
    assert entry.fields["date"] == "2026-03-15"
    assert entry.fields["subtitle"] == "Accelerating transition to a multipolar world"
    # The box's reference is formatted from the same metadata by the CSL machinery.
    assert ReferenceFormatter("apa").format([essay_meta.bib_entry(_meta())])["gokturk-china-trump-putin"] == APA


def test_ris_record(built: BuiltSite) -> None:
    raw = (built.site_dir / "cite/essay.ris").read_bytes().decode("utf-8")
    lines = raw.split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert lines[-2:] == ["ER  - ", ""]
    assert "AU  - Göktürk, Orçun" in lines
    assert "DA  - 2026/03/15/" in lines
    assert (
        "TI  - How Does China View the Closer Ties between Trump and Putin? Accelerating transition to a "
        "multipolar world"
    ) in lines
    assert "\n" not in raw.replace("\r\n", "")


def test_csl_json_files(built: BuiltSite) -> None:
    essay = json.loads(built.html("cite/essay.json"))
    assert essay == [
        {
            "id": "gokturk-china-trump-putin",
            "type": "webpage",
            "title": "How Does China View the Closer Ties between Trump and Putin? "
            "Accelerating transition to a multipolar world",
            "container-title": "Annotated edition",
            "language": "en",
            "issued": {"date-parts": [[2026, 3, 15]]},
            "author": [{"family": "Göktürk", "given": "Orçun"}],
        }
    ]
    works = json.loads(built.html("cite/references.json"))
    assert [item["id"] for item in works] == ["greene2021", "vamos2010", "economist2025", "globaltimes2025"]
    assert works[3]["container-title"] == "环球时报"
    assert (built.site_dir / "cite/references.bib").read_bytes() == (REPO / "bib/references.bib").read_bytes()


def test_edition_date_without_source_date_epoch_is_the_last_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    date, origin = essay_meta.edition_date(str(REPO), {})
    assert origin == "the last git commit"
    assert date <= datetime.datetime.now(datetime.UTC).date()
    assert essay_meta.edition_date(str(REPO), {"SOURCE_DATE_EPOCH": EPOCH}) == (DATE, "SOURCE_DATE_EPOCH")


def test_builds_are_byte_reproducible(build_site: SiteBuilder) -> None:
    first, second = build_site(), build_site()
    for path in ("index.html", "print/index.html", "essay/opening/index.html", "cite/essay.bib", "cite/essay.ris"):
        assert first.html(path) == second.html(path), path


# -- meta tags --------------------------------------------------------------------------------


def test_essay_pages_carry_scholar_and_open_graph_tags(built: BuiltSite) -> None:
    for path in ["index.html", *(p.replace(".md", "/index.html") for p in ESSAY_PAGES)]:
        tags = meta_tags(built.html(path))
        names = [name for name, _ in tags]
        assert ("citation_title", f"{essay_meta_title()} Accelerating transition to a multipolar world") in tags
        assert ("citation_author", "Göktürk, Orçun") in tags
        assert ("citation_publication_date", "2026/03/15") in tags
        assert ("citation_language", "en") in tags
        assert names.count("citation_reference") == 4
        assert ("og:type", "article") in tags
        assert "og:url" not in names  # no site_url in mkdocs.yml
    opening = dict(meta_tags(built.html("essay/opening/index.html")))
    assert opening["og:title"] == f"Opening · {essay_meta_title()}"
    assert opening["og:description"].startswith("Why comparisons with Nixon’s 1972 visit")
    references = [content for name, content in meta_tags(built.html("index.html")) if name == "citation_reference"]
    assert references[1] == (
        "citation_title=Mao, Khrushchev, and China’s Split with the USSR; citation_author=Vámos, P.; "
        "citation_author=Kaple, D.; citation_author=Friedman, J.; citation_author=Stiffler, D. A.; "
        "citation_publication_date=2010; citation_journal_title=Journal of Cold War Studies; "
        "citation_volume=12; citation_issue=1; citation_firstpage=120; citation_lastpage=165"
    )
    # Pages outside the essay share Open Graph tags but are not the article itself.
    names = [name for name, _ in meta_tags(built.html("references/index.html"))]
    assert "og:title" in names and "citation_title" not in names


def test_site_url_adds_og_url_and_the_essays_address(build_site: SiteBuilder) -> None:
    def set_url(data: dict[str, Any]) -> None:
        data["site_url"] = "https://example.org/essay/"

    site = build_site(config=set_url)
    assert site.error is None, site.messages
    opening = dict(meta_tags(site.html("essay/opening/index.html")))
    assert opening["og:url"] == "https://example.org/essay/essay/opening/"
    assert opening["citation_public_url"] == "https://example.org/essay/"
    assert "url          = {https://example.org/essay/}" in site.html("cite/essay.bib")
    assert "https://example.org/essay/</p>" in site.html("index.html")  # APA ends with the URL


def test_every_page_has_its_own_description(built: BuiltSite) -> None:
    sources = sorted((REPO / "docs").rglob("*.md"))
    assert len(sources) >= 8
    for source in sources:
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---\n", 2)[1])
        description = front.get("description", "")
        assert 50 <= len(description) <= 160, source  # what search engines show in full
        relative = source.relative_to(REPO / "docs").with_suffix("")
        built_path = "index.html" if relative.name == "index" else f"{relative.as_posix()}/index.html"
        assert f'<meta name="description" content="{html.escape(description, quote=False)}">' in built.html(
            built_path
        ), source


# -- the print view ---------------------------------------------------------------------------


def print_view(site: BuiltSite) -> str:
    page = site.html("print/index.html")
    start = page.index('<div class="print-view">')
    return page[start : page.index("</article>", start)]


def test_print_view_holds_every_section_in_order(built: BuiltSite) -> None:
    view = print_view(built)
    sections = re.findall(r'<section class="print-section" id="([^"]+)" data-source="([^"]+)">', view)
    expected = [p.removesuffix(".md") for p in ESSAY_PAGES] + ["references"]
    if (REPO / "docs/glossary.md").exists():
        expected.append("glossary")
    if (REPO / "docs/timeline.md").exists():
        expected.append("timeline")
    assert [source.removesuffix(".md") for _, source in sections] == expected
    text = text_of(view)
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    # Each section keeps its notes; the references page its list.
    for slug, key in [
        ("essay-opening", "greene2021"),
        ("essay-step-by-step-china-soviet-conflict", "vamos2010"),
        ("essay-from-border-conflicts-to-unwavering-friendship", "economist2025"),
        ("essay-chinas-concerns", "globaltimes2025"),
    ]:
        section = view[view.index(f'<section class="print-section" id="{slug}"') :]
        section = section[: section.index("</section>")]
        assert f'<li id="{slug}-fn:cite-{key}"' in section
    assert view.count('<li id="references-ref-') == 4
    for needle in ("Greene, S.", "Vámos, P.", "The Xi-Putin partnership", "中俄关系在复杂国际形势下更加稳健成熟"):
        assert needle in view
    # The essay's text, verbatim.
    assert "neither Trump nor his successors can prevent this." in text
    # Only one h1: the sections' titles are demoted below it.
    assert view.count("<h1") == 1
    assert '<h2 id="essay-opening-title">Opening</h2>' in view


def test_print_view_ids_are_unique_and_in_page_links_resolve(built: BuiltSite) -> None:
    page = built.html("print/index.html")
    ids = collections.Counter(re.findall(r'\sid="([^"]*)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    view = print_view(built)
    fragments = re.findall(r'href="#([^"]*)"', view)
    assert len(fragments) > 20
    assert [fragment for fragment in fragments if html.unescape(fragment) not in ids] == []
    # A note's back-link and the reference list's back-links stay inside the print view.
    assert '<a class="footnote-ref" href="#essay-opening-fn:cite-greene2021">1</a>' in view
    assert 'href="#essay-opening-citation-1" title="Cited in Opening"' in view
    # Nothing in the view links to another page of the site.
    relative = [href for href in re.findall(r'(?:href|src)="([^"#][^"]*)"', view) if "://" not in href]
    assert relative == []


def test_print_page_is_not_searchable(built: BuiltSite) -> None:
    index = json.loads(built.html("search/search_index.json"))
    assert not [doc for doc in index["docs"] if doc["location"].startswith("print/")]
    assert any(doc["location"].startswith("essay/opening/") for doc in index["docs"])


# -- bad input --------------------------------------------------------------------------------


def test_missing_metadata_is_fatal_with_location(build_site: SiteBuilder) -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["extra"]["essay"]

    site = build_site(config=drop)
    assert site.error is not None
    message = "\n".join(site.messages)
    assert "mkdocs.yml:1:" in message and "needs an 'essay' mapping under 'extra'" in message
    assert "Traceback" not in message


def test_missing_title_names_the_field_and_line(build_site: SiteBuilder) -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["extra"]["essay"]["title"]

    site = build_site(config=drop)
    assert site.error is not None
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, value in enumerate(text, start=1) if value.strip() == "essay:")
    assert f"mkdocs.yml:{line}: extra.essay lacks title; add the field(s) in mkdocs.yml." in "\n".join(site.messages)


def test_author_must_be_split(build_site: SiteBuilder) -> None:
    def flat(data: dict[str, Any]) -> None:
        data["extra"]["essay"]["author"] = "Orçun Göktürk"

    site = build_site(config=flat)
    assert site.error is not None
    assert "extra.essay.author must be a mapping with 'family' and 'given'" in "\n".join(site.messages)


def test_unknown_field_warns_and_fails_strict(build_site: SiteBuilder) -> None:
    def typo(data: dict[str, Any]) -> None:
        data["extra"]["essay"]["subtitel"] = "x"

    site = build_site(config=typo)
    assert site.error is not None
    assert any("extra.essay has an unknown field 'subtitel'" in message for message in site.warnings)


def test_generated_file_in_docs_is_reported(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/cite/essay.bib": "@misc{x, title={x}, year={2020}}\n"})
    assert any(
        "docs/cite/essay.bib: this file is generated by hooks/essay_meta.py" in message for message in site.warnings
    )


def test_citations_hook_is_required_first(build_site: SiteBuilder) -> None:
    def reorder(data: dict[str, Any]) -> None:
        data["hooks"] = [hook for hook in data["hooks"] if hook != "hooks/citations.py"]

    site = build_site(config=reorder)
    assert site.error is not None
    assert "list hooks/citations.py before hooks/essay_meta.py" in "\n".join(site.messages)


# -- units ------------------------------------------------------------------------------------


def essay_meta_title() -> str:
    return "How Does China View the Closer Ties between Trump and Putin?"


def _meta(**changes: Any) -> essay_meta.EssayMeta:
    values: dict[str, Any] = {
        "key": "gokturk-china-trump-putin",
        "title": essay_meta_title(),
        "subtitle": "Accelerating transition to a multipolar world.",
        "author": Person(family="Göktürk", given="Orçun"),
        "edition_date": DATE,
        "publisher": "Annotated edition",
    }
    values.update(changes)
    return essay_meta.EssayMeta(**values)


@pytest.mark.parametrize(
    ("title", "subtitle", "expected"),
    [
        ("Why?", "Because.", "Why? Because"),
        ("A Study", "of things", "A Study: of things"),
        ("Alone", "", "Alone"),
    ],
)
def test_full_title(title: str, subtitle: str, expected: str) -> None:
    assert _meta(title=title, subtitle=subtitle).full_title == expected


def test_bibtex_escapes_special_characters() -> None:
    bib = essay_meta.essay_bibtex(_meta(title="50% of R&D {costs} #1", subtitle="", publisher=""))
    assert "  title  = {{50\\% of R\\&D \\{costs\\} \\#1}},\n" in bib
    plain = essay_meta.essay_bibtex(_meta(title="50% of R&D_costs #1", subtitle="", publisher=""))
    entry = parse_bibliography(plain).entries["gokturk-china-trump-putin"]
    assert entry.fields["title"] == "50% of R&D_costs #1"


def test_markdown_special_characters_in_the_title_show_as_written(build_site: SiteBuilder) -> None:
    def odd_title(data: dict[str, Any]) -> None:
        data["extra"]["essay"]["title"] = "Why *not* [this] <b> & ?"

    site = build_site(config=odd_title)
    assert site.error is None, site.messages
    assert re.search(
        r'<h1 id="[^"]*">Why \*not\* \[this\] &lt;b&gt; &amp; \?<a class="headerlink"', site.html("index.html")
    )


def test_count_words_skips_citations_and_attribute_lists() -> None:
    assert essay_meta.count_words("It’s a U.S.-Russia deal [@key, p. 5].\n{ .lead }\n") == 4
    assert essay_meta.reading_minutes(0) == 1
    assert essay_meta.reading_minutes(essay_meta.WORDS_PER_MINUTE + 1) == 2


def test_replace_marker_only_on_its_own_line() -> None:
    text = "::: print-view\n\nSee `::: print-view` here.\n    ::: print-view\n"
    replaced, found = essay_meta.replace_marker(text, "::: print-view", "X")
    assert (replaced, found) == ("X\n\nSee `::: print-view` here.\n    ::: print-view\n", 1)


def test_rebase_section_links() -> None:
    section = essay_meta.PrintSection(
        "essay/opening.md",
        "essay/opening/",
        "Opening",
        '<p id="a" aria-describedby="b c"><a href="#a">x</a> <a href="../conclusion/#z">y</a> '
        '<a href="../../about/?q=1&amp;r=2#t">z</a> <a href="https://example.org/#a">w</a> '
        '<img src="../../assets/p.png"> <a href="../../">home</a></p>',
    )
    rebased = essay_meta.rebase_section(
        section, "print/", {"essay/opening/": "essay-opening", "essay/conclusion/": "c"}
    )
    assert rebased == (
        '<p id="essay-opening-a" aria-describedby="essay-opening-b essay-opening-c">'
        '<a href="#essay-opening-a">x</a> <a href="#c-z">y</a> '
        '<a href="../about/?q=1&amp;r=2#t">z</a> '
        '<a href="https://example.org/#a" data-print-url="https://example.org/#a">w</a> '
        '<img src="../assets/p.png"> <a href="../">home</a></p>'
    )


def test_demote_headings() -> None:
    assert essay_meta.demote_headings('<h1 id="a">A</h1><h5>E</h5><h6>F</h6><hr>') == (
        '<h2 id="a">A</h2><h6>E</h6><h6>F</h6><hr>'
    )


def test_read_meta_uses_site_url_and_url_path() -> None:
    settings = {"key": "k", "title": "T", "author": {"family": "F", "given": "G"}, "url_path": "/essay/opening/"}
    warnings: list[str] = []
    meta = essay_meta.read_meta(
        settings, source="m.yml", line=3, edition_date=DATE, site_url="https://x.org/sub", warn=warnings.append
    )
    assert meta.url == "https://x.org/sub/essay/opening/"
    assert meta.folder == "essay/" and warnings == []
    no_url = essay_meta.read_meta(settings, source="m.yml", line=3, edition_date=DATE, site_url=None, warn=print)
    assert no_url.url == ""


def test_path_helpers_are_plain(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  essay:\n    key: k\n", encoding="utf-8")
    assert essay_meta.config_line(str(config)) == 3
    assert essay_meta.config_line(str(tmp_path / "missing.yml")) == 1
    assert essay_meta.long_date(datetime.date(2025, 2, 7)) == "7 February 2025"


def test_without_a_print_page_the_header_has_no_print_link(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/print.md": None})
    assert site.error is None, site.messages
    assert site.warnings == []
    details = re.search(r'<p class="essay-details">(.*?)</p>', site.html("index.html"))
    assert details is not None
    assert "print" not in details.group(1) and "min read" in details.group(1)
    assert not (site.site_dir / "print").exists()


def test_scholar_references_are_the_works_cited(build_site: SiteBuilder) -> None:
    bib = (REPO / "bib/references.bib").read_text(encoding="utf-8")
    bib += "\n@book{extra2020,\n  author = {Doe, Jane},\n  title = {Listed Only},\n  year = {2020}\n}\n"

    def nocite(data: dict[str, Any]) -> None:
        for entry in data["markdown_extensions"]:
            if isinstance(entry, dict) and "annotated_essay.citations" in entry:
                entry["annotated_essay.citations"]["nocite"] = ["extra2020"]

    site = build_site(files={"bib/references.bib": bib}, config=nocite)
    assert site.error is None, site.messages
    references = [content for name, content in meta_tags(site.html("index.html")) if name == "citation_reference"]
    assert [reference.split(";")[0] for reference in references] == [
        "citation_title=Ping-Pong Diplomacy: Artifacts from the Historic 1971 U.S. Table Tennis Trip to China",
        "citation_title=Mao, Khrushchev, and China’s Split with the USSR",
        "citation_title=The Xi-Putin partnership is not a marriage of convenience",
        "citation_title=中俄关系在复杂国际形势下更加稳健成熟 [China-Russia relations become more stable and mature "
        "amid a complex international situation]",
    ]
    # The downloadable list is the whole bibliography.
    assert [item["id"] for item in json.loads(site.html("cite/references.json"))][-1] == "extra2020"
