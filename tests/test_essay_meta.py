"""The essay's metadata: landing page, "Cite this essay", citation files and meta tags.

The print view has its own tests (``tests/test_print_view.py``).
"""

from __future__ import annotations

import datetime
import html
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from annotated_essay import content_cache, essay_exports, essay_metadata, head_tags, reading_time
from annotated_essay.bibliography import Person, parse_bibliography
from annotated_essay.citation_settings import CACHE_DIR
from annotated_essay.references import ReferenceFormatter
from tests.conftest import REPO, BuiltSite, SiteBuilder, copy_project

#: 15 March 2026, 12:00 UTC: the edition date every build here gets.
EPOCH = "1773576000"
DATE = datetime.date(2026, 3, 15)
TITLE = "How Does China View the Closer Ties between Trump and Putin?"
FULL_TITLE = f"{TITLE} Accelerating transition to a multipolar world"
#: APA 7 for the annotated republication: the edition's date, the editors as editors, the
#: publisher spelled as configured, the year of writing marked uncertain (inferred by the editors).
APA = (
    f"Göktürk, O. (2026, March 15). <i>{FULL_TITLE}</i> (The editors, Ed.). Annotated Edition. "
    "(Original work published ca. 2025)"
)
NOTE = (
    "Year of writing (2025) inferred by the editors: the essay's text carries no date; "
    "it cites sources of 27 February 2025."
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


def with_class(element: Any, tag: str, name: str) -> list[Any]:
    """Descendants of ``element`` named ``tag`` ("*": any) whose class list holds ``name``."""
    return list(element.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"))


#: What a reader of the essay's words skips: numbers, notes, permalinks and the editors' text.
LEFT_OUT = (
    ("sup", "citation"),
    ("*", "citation-notes"),
    ("a", "headerlink"),
    ("*", "editors-label"),
    ("*", "editors-margin"),
    ("*", "editors-notes"),
    ("sup", "editors-note-ref"),
)


def words_on_built_pages(site: BuiltSite) -> int:
    """Words a reader reads on the built essay pages: the article's text without notes, numbers or labels.

    Counted on the built HTML, independently of how the build counts (on each page's Markdown).
    """
    total = 0
    for path in ESSAY_PAGES:
        tree = lxml.html.fromstring(site.html(path.replace(".md", "/index.html")))
        (article,) = tree.xpath("//article")
        for tag, name in LEFT_OUT:
            for element in with_class(article, tag, name):
                element.drop_tree()
        total += len([token for token in article.text_content().split() if re.search(r"\w", token)])
    return total


# -- the landing page -------------------------------------------------------------------------


def test_landing_page_header_comes_from_the_metadata(built: BuiltSite) -> None:
    page = built.html("index.html")
    assert f'<h1 id="how-does-china-view-the-closer-ties-between-trump-and-putin">{TITLE}<a' in page
    assert '<p class="essay-subtitle">Accelerating transition to a multipolar world.</p>' in page
    assert (
        '<p class="essay-byline">By <span class="essay-author">Orçun Göktürk</span>, '
        '<span class="essay-dateline" title="The author’s dateline">Beijing / China</span></p>'
    ) in page
    details = re.search(r'<p class="essay-details">(.*?)</p>', page)
    assert details is not None
    words = words_on_built_pages(built)
    assert 1300 < words < 1500  # the five sections
    minutes = -(-words // reading_time.WORDS_PER_MINUTE)
    assert text_of(details.group(1)) == (
        "Essay written in 2025 (year inferred by the editors: the text is undated; it cites sources of "
        f"27 February 2025) · This annotated edition: 15 March 2026 · {minutes} min read ({words:,} words) · "
        "print or save as PDF"
    )
    assert '<time datetime="2026-03-15">15 March 2026</time>' in details.group(1)
    assert '<a href="print/">print or save as PDF</a>' in details.group(1)


def test_editors_text_on_the_landing_page_is_labelled(built: BuiltSite) -> None:
    page = built.html("index.html")
    assert '<h2 id="summary">Editors’ summary' in page
    assert "Written by the editors, not part of the essay" in text_of(page)
    assert "Opening (the editors’ heading: the essay’s first section is untitled)" in text_of(page)
    opening = built.html("essay/opening/index.html")
    assert '<h1 class="editors-heading" id="opening">Opening<a' in opening
    assert (
        '<p class="editors-label"><em>Heading supplied by the editors: the essay’s first section has no title.</em></p>'
    ) in opening


def test_references_page_glosses_the_global_times_and_hides_file_paths(built: BuiltSite) -> None:
    page = built.html("references/index.html")
    text = text_of(page)
    assert "环球时报 (Huánqiú Shíbào), the newspaper of source 4, is the Global Times" in text
    assert "square brackets after the Chinese title of source 4 is the editors’ translation" in text
    for path in ("bib/", ".bib", "references.bib", "docs/"):
        assert path not in text, path


def test_reading_time_follows_the_essay_pages(build_site: SiteBuilder) -> None:
    extra = "A sentence with [a link](https://example.org/a-long/path-of/many-words.html) in it. " * 200
    page = (REPO / "docs/essay/conclusion.md").read_text(encoding="utf-8") + f"\n{extra}\n"
    site = build_site(files={"docs/essay/conclusion.md": page})
    words = words_on_built_pages(site)
    assert f"{-(-words // reading_time.WORDS_PER_MINUTE)} min read ({words:,} words)" in site.html("index.html")


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("It’s a U.S.-Russia deal [@key, p. 5].\n{ .lead }\n", 4),
        ("See [the museum](https://example.org/a-b/c_d.html) — now.", 4),
        ("A <span title='not read'>word</span> and `code`.", 4),
        ("# Heading\n\n* one\n* two\n\n    indented code\n", 5),
        ("", 0),
    ],
)
def test_words_are_counted_on_the_rendered_text(markdown: str, words: int) -> None:
    assert reading_time.count_words(markdown) == words


def test_essay_word_count_is_kept_by_the_pages_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [("essay/a.md", "One two three."), ("essay/b.md", "Four [@key] five."), ("about.md", "Not the essay.")]
    assert reading_time.essay_words(pages, "essay/", tmp_path) == 5
    assert len(list(tmp_path.glob("word-count-*.pickle"))) == 1

    def unused(markdown: str) -> int:
        raise AssertionError("counted again although nothing changed")

    # A later build (a new process: nothing in memory) reads the file and renders nothing.
    monkeypatch.setattr(content_cache, "_MEMORY", {})
    with monkeypatch.context() as patched:
        patched.setattr(reading_time, "count_words", unused)
        assert reading_time.essay_words(pages, "essay/", tmp_path) == 5
    edited = [("essay/a.md", "One two three four."), *pages[1:]]
    assert reading_time.essay_words(edited, "essay/", tmp_path) == 6
    assert len(list(tmp_path.glob("word-count-*.pickle"))) == 2


def test_reading_minutes() -> None:
    assert reading_time.reading_minutes(0) == 1
    assert reading_time.reading_minutes(reading_time.WORDS_PER_MINUTE) == 1
    assert reading_time.reading_minutes(reading_time.WORDS_PER_MINUTE + 1) == 2


def test_markers_inside_code_stay_text(build_site: SiteBuilder) -> None:
    index = (REPO / "docs/index.md").read_text(encoding="utf-8")
    index += "\n```text\n::: essay-header\n::: cite-this-essay\n```\n\nSay `::: print-view` here.\n"
    site = build_site(files={"docs/index.md": index})
    assert site.error is None, site.messages
    page = site.html("index.html")
    assert re.search(r"<code[^>]*>::: essay-header\n::: cite-this-essay\n</code>", page)
    assert page.count('<div class="essay-header">') == 1
    assert page.count('<div class="essay-cite">') == 1
    assert "<code>::: print-view</code>" in page


def test_cite_box_has_the_apa_reference_and_downloads(built: BuiltSite) -> None:
    page = built.html("index.html")
    box = re.search(r'<div class="essay-cite">(.*?)</div>', page, re.DOTALL)
    assert box is not None
    assert f'<p class="essay-cite__reference">{APA}</p>' in box.group(1)
    links = re.findall(r'<a download="([^"]+)" href="([^"]+)"', box.group(1))
    assert links == [
        ("essay.bib", "cite/essay.bib"),
        ("essay.ris", "cite/essay.ris"),
        ("essay.json", "cite/essay.json"),
        ("references.bib", "cite/references.bib"),
        ("references.json", "cite/references.json"),
    ]
    for _, href in links:
        assert (built.site_dir / href).stat().st_size > 100


def test_bibtex_record(built: BuiltSite) -> None:
    text = built.html("cite/essay.bib")
    bibliography = parse_bibliography(text, "essay.bib")
    assert bibliography.warnings == ()
    entry = bibliography.entries["gokturk-china-trump-putin"]
    assert entry.entry_type == "online"
    assert entry.people == {
        "author": (Person(family="Göktürk", given="Orçun"),),
        "editor": (Person(family="", literal="The editors"),),
    }
    assert entry.fields == {
        "title": TITLE,
        "subtitle": "Accelerating transition to a multipolar world",
        "organization": "Annotated Edition",
        "date": "2026-03-15",
        "year": "2026",
        "origdate": "2025?",
        "langid": "english",
        "note": NOTE,
    }
    assert "Beijing" not in text
    # The box's reference is formatted from the same metadata by the CSL machinery.
    formatted = ReferenceFormatter("apa").format([essay_exports.bib_entry(_meta())])
    assert formatted["gokturk-china-trump-putin"] == APA


def test_ris_record(built: BuiltSite) -> None:
    raw = (built.site_dir / "cite/essay.ris").read_bytes().decode("utf-8")
    assert raw.split("\r\n") == [
        "TY  - ELEC",
        "AU  - Göktürk, Orçun",
        "ED  - The editors",
        f"TI  - {FULL_TITLE}",
        "PY  - 2026",
        "DA  - 2026/03/15/",
        "OP  - 2025?",
        "PB  - Annotated Edition",
        "LA  - en",
        f"N1  - {NOTE}",
        "ID  - gokturk-china-trump-putin",
        "ER  - ",
        "",
    ]


def test_csl_json_files(built: BuiltSite) -> None:
    essay = json.loads(built.html("cite/essay.json"))
    assert essay == [
        {
            "id": "gokturk-china-trump-putin",
            "type": "webpage",
            "title": FULL_TITLE,
            "container-title": "Annotated Edition",
            "language": "en",
            "issued": {"date-parts": [[2026, 3, 15]]},
            "original-date": {"date-parts": [[2025]], "circa": 1},
            "author": [{"family": "Göktürk", "given": "Orçun"}],
            "editor": [{"literal": "The editors"}],
            "note": NOTE,
        }
    ]
    works = json.loads(built.html("cite/references.json"))
    assert [item["id"] for item in works] == ["greene2021", "vamos2010", "economist2025", "globaltimes2025"]
    assert {key: works[3][key] for key in ("title", "translated-title", "language", "container-title")} == {
        "title": "中俄关系在复杂国际形势下更加稳健成熟",
        "translated-title": (
            "China-Russia relations become more stable and mature amid a complex international situation"
        ),
        "language": "zh",
        "container-title": "环球时报",
    }
    assert "language" not in works[0]
    assert (built.site_dir / "cite/references.bib").read_bytes() == (REPO / "bib/references.bib").read_bytes()


def test_builds_are_byte_reproducible(build_site: SiteBuilder) -> None:
    first, second = build_site(), build_site()
    for path in ("index.html", "print/index.html", "essay/opening/index.html", "cite/essay.bib", "cite/essay.ris"):
        assert first.html(path) == second.html(path), path


@pytest.mark.mkdocs_only  # builds with both engines itself
def test_files_and_tags_are_the_same_under_both_engines(build_site: SiteBuilder) -> None:
    sites = mkdocs, zensical = build_site(engine="mkdocs"), build_site(engine="zensical")
    assert zensical.error is None, zensical.report
    for name in essay_exports.CITE_FILES.values():
        assert (zensical.site_dir / name).read_bytes() == (mkdocs.site_dir / name).read_bytes(), name
    for path in ["index.html", *(p.replace(".md", "/index.html") for p in ESSAY_PAGES), "references/index.html"]:
        ours = [
            [tag for tag in meta_tags(site.html(path)) if tag[0].startswith(("citation_", "og:"))] for site in sites
        ]
        assert ours[0] and ours[0] == ours[1], path


# -- the edition's date -----------------------------------------------------------------------


def _git(root: Path, *args: str, date: str = "") -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    if date:
        environment |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=environment)


def _commit(root: Path, relative: str, text: str, date: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _git(root, "add", relative)
    _git(root, "commit", "-q", "-m", f"change {relative}", date=date)


def test_edition_date_is_the_last_commit_that_changed_the_content(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _commit(tmp_path, "docs/index.md", "one", "2025-03-01T23:30:00+08:00")
    _commit(tmp_path, "tests/test_x.py", "x", "2025-04-02T10:00:00+00:00")  # not content
    _commit(tmp_path, ".cache/clean-up", "x", "2025-04-03T10:00:00+00:00")  # not content
    assert essay_metadata.edition_date(tmp_path, environ={}) == (
        datetime.date(2025, 3, 1),  # the committer's calendar date, where the change was made
        "the last git commit that changed docs, bib, data",
    )
    _commit(tmp_path, "bib/references.bib", "@misc{}", "2025-05-05T08:00:00+00:00")
    assert essay_metadata.edition_date(tmp_path, environ={})[0] == datetime.date(2025, 5, 5)
    _commit(tmp_path, "data/timeline.yml", "[]", "2025-06-06T08:00:00+00:00")
    assert essay_metadata.edition_date(tmp_path, environ={})[0] == datetime.date(2025, 6, 6)
    assert essay_metadata.edition_date(tmp_path, ["docs"], environ={})[0] == datetime.date(2025, 3, 1)
    # SOURCE_DATE_EPOCH still wins.
    assert essay_metadata.edition_date(tmp_path, environ={"SOURCE_DATE_EPOCH": EPOCH}) == (DATE, "SOURCE_DATE_EPOCH")


def test_edition_date_outside_git_is_today(tmp_path: Path) -> None:
    date, origin = essay_metadata.edition_date(tmp_path, environ={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert origin == "today's date (no git history of the content)"
    assert date == datetime.datetime.now(datetime.UTC).date()


@pytest.mark.mkdocs_only  # builds with MkDocs' API; the edition's date is read by code both engines share
def test_built_site_dates_the_edition_by_its_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = copy_project(tmp_path / "project")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "edition", date="2026-01-20T12:00:00+00:00")
    _commit(root, "hooks/README", "wiring only", "2026-11-28T12:00:00+00:00")  # a later, non-content commit
    build(load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")))
    page = (root / "site/index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-01-20">20 January 2026</time>' in page
    assert "Göktürk, O. (2026, January 20)." in page
    assert "DA  - 2026/01/20/" in (root / "site/cite/essay.ris").read_text(encoding="utf-8")
    assert "28 November 2026" not in page


# -- meta tags --------------------------------------------------------------------------------


def test_essay_pages_carry_scholar_and_open_graph_tags(built: BuiltSite) -> None:
    for path in ["index.html", *(p.replace(".md", "/index.html") for p in ESSAY_PAGES)]:
        tags = meta_tags(built.html(path))
        names = [name for name, _ in tags]
        assert ("citation_title", FULL_TITLE) in tags
        assert ("citation_author", "Göktürk, Orçun") in tags
        assert ("citation_publication_date", "2025") in tags  # the essay's year, not the edition's
        assert ("citation_online_date", "2026/03/15") in tags
        assert ("citation_publisher", "Annotated Edition") in tags
        assert ("citation_language", "en") in tags
        assert names.count("citation_reference") == 4
        assert ("og:type", "article") in tags
        assert "og:url" not in names  # no site_url in mkdocs.yml
    opening = dict(meta_tags(built.html("essay/opening/index.html")))
    assert opening["og:title"] == f"Opening · {TITLE}"
    assert opening["og:description"].startswith("Why comparisons with Nixon’s 1972 visit")
    references = [content for name, content in meta_tags(built.html("index.html")) if name == "citation_reference"]
    assert references[1] == (
        "citation_title=Mao, Khrushchev, and China’s Split with the USSR; citation_author=Vámos, P.; "
        "citation_author=Kaple, D.; citation_author=Friedman, J.; citation_author=Stiffler, D. A.; "
        "citation_publication_date=2010; citation_journal_title=Journal of Cold War Studies; "
        "citation_volume=12; citation_issue=1; citation_firstpage=120; citation_lastpage=165"
    )
    assert references[3] == (
        "citation_title=中俄关系在复杂国际形势下更加稳健成熟 [China-Russia relations become more stable and mature "
        "amid a complex international situation]; citation_publication_date=2025/02/27; "
        "citation_publisher=环球时报; citation_language=zh"
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
    assert "  url          = {https://example.org/essay/},\n" in site.html("cite/essay.bib")
    assert b"UR  - https://example.org/essay/\r\n" in (site.site_dir / "cite/essay.ris").read_bytes()
    assert json.loads(site.html("cite/essay.json"))[0]["URL"] == "https://example.org/essay/"
    reference = APA.replace("Edition. (Original", "Edition. https://example.org/essay/ (Original")
    assert f'<p class="essay-cite__reference">{reference}</p>' in site.html("index.html")


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


# -- bad input --------------------------------------------------------------------------------


def _essay_line(site: BuiltSite) -> int:
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, value in enumerate(text, start=1) if value.strip() == "essay:")


def test_missing_metadata_is_fatal_with_location(build_site: SiteBuilder) -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["extra"]["essay"]

    site = build_site(config=drop)
    assert site.error is not None
    message = "\n".join(site.messages)
    assert "mkdocs.yml:1:" in message and "needs an 'essay' mapping under 'extra'" in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda essay: essay.pop("title"), "extra.essay lacks title; add the field(s) in mkdocs.yml."),
        (
            lambda essay: essay.update(author="Orçun Göktürk"),
            "extra.essay.author must be a mapping with 'family' and 'given'",
        ),
        (
            lambda essay: essay.update(written_inferred="early 2025"),
            "extra.essay.written_inferred is 'early 2025'; write a four-digit year such as 2025.",
        ),
        (lambda essay: essay.update(written="2025"), "extra.essay has both 'written' and 'written_inferred'"),
        (
            lambda essay: essay.update(editors=[{"given": "Anon"}]),
            "extra.essay.editors has an entry '{'given': 'Anon'}' that is neither a name nor",
        ),
    ],
    ids=["no-title", "flat-author", "year-not-a-year", "two-years", "editor-without-name"],
)
def test_bad_metadata_is_fatal_and_names_the_line(build_site: SiteBuilder, edit: Any, message: str) -> None:
    site = build_site(config=lambda data: edit(data["extra"]["essay"]))
    assert site.error is not None
    assert f"mkdocs.yml:{_essay_line(site)}: {message}" in site.report
    assert "Traceback" not in site.report


def test_unknown_field_warns_and_fails_strict(build_site: SiteBuilder) -> None:
    site = build_site(config=lambda data: data["extra"]["essay"].update(place="Beijing / China"))
    assert site.error is not None
    assert any(
        "extra.essay has an unknown field 'place' (the author's dateline is 'dateline')" in message
        for message in site.warnings
    )


def test_generated_file_in_docs_is_reported(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/cite/essay.bib": "@misc{x, title={x}, year={2020}}\n"})
    assert any(
        "docs/cite/essay.bib: this file is generated by the build (Cite this essay); delete it from docs/." in message
        for message in site.warnings
    )


@pytest.mark.mkdocs_only
def test_hooks_work_in_any_order(build_site: SiteBuilder) -> None:
    def reverse(data: dict[str, Any]) -> None:
        data["hooks"] = list(reversed(data["hooks"]))

    reversed_site = build_site(config=reverse)
    assert reversed_site.error is None, reversed_site.report
    assert reversed_site.warnings == []
    # The essay hook runs before the citations hook here, and still keeps the print view and
    # the word count in the project's cache folder.
    kept = {path.name.split("-")[0] for path in (reversed_site.root / CACHE_DIR).iterdir()}
    assert {"print", "word"} <= kept, kept
    in_order = build_site()
    for page in ("index.html", "essay/opening/index.html", "references/index.html", "print/index.html"):
        assert reversed_site.html(page) == in_order.html(page), page
    for name in ("essay.bib", "references.json"):
        assert (reversed_site.site_dir / "cite" / name).read_bytes() == (in_order.site_dir / "cite" / name).read_bytes()


@pytest.mark.mkdocs_only
def test_citations_hook_is_required(build_site: SiteBuilder) -> None:
    def drop(data: dict[str, Any]) -> None:
        data["hooks"] = [hook for hook in data["hooks"] if hook != "hooks/mkdocs_citations.py"]

    site = build_site(config=drop)
    assert site.error is not None
    assert "add hooks/mkdocs_citations.py under 'hooks'" in site.report


def test_markdown_special_characters_in_the_title_show_as_written(build_site: SiteBuilder) -> None:
    site = build_site(config=lambda data: data["extra"]["essay"].update(title="Why *not* [this] <b> & ?"))
    assert site.error is None, site.messages
    assert re.search(
        r'<h1 id="[^"]*">Why \*not\* \[this\] &lt;b&gt; &amp; \?<a class="headerlink"', site.html("index.html")
    )


# -- units ------------------------------------------------------------------------------------


def _meta(**changes: Any) -> essay_metadata.EssayMeta:
    values: dict[str, Any] = {
        "key": "gokturk-china-trump-putin",
        "title": TITLE,
        "subtitle": "Accelerating transition to a multipolar world.",
        "author": Person(family="Göktürk", given="Orçun"),
        "edition_date": DATE,
        "publisher": "Annotated Edition",
        "written": "2025",
        "written_inferred": True,
        "written_basis": "it cites sources of 27 February 2025",
    }
    values.update(changes)
    return essay_metadata.EssayMeta(**values)


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


def test_a_stated_year_is_certain_and_needs_no_note() -> None:
    meta = _meta(written_inferred=False, written_basis="")
    assert (meta.written_label, _meta().written_label) == ("2025", "2025?")
    assert essay_exports.original_note(meta) == ""
    assert "OP  - 2025\r\n" in essay_exports.essay_ris(meta)
    formatted = ReferenceFormatter("apa").format([essay_exports.bib_entry(meta)])[meta.key]
    assert formatted.endswith("(Original work published 2025)")


def test_named_editors_are_plural_and_capitalised() -> None:
    meta = _meta(editors=(Person(family="Doe", given="Jane"), Person(family="Roe", given="Rick")))
    formatted = ReferenceFormatter("apa").format([essay_exports.bib_entry(meta)])[meta.key]
    assert "(J. Doe &amp; R. Roe, Eds.)" in formatted
    assert "  editor       = {Doe, Jane and Roe, Rick},\n" in essay_exports.essay_bibtex(meta)


def test_bibtex_escapes_special_characters() -> None:
    bib = essay_exports.essay_bibtex(_meta(title="50% of R&D {costs} #1", subtitle="", publisher=""))
    assert "  title    = {{50\\% of R\\&D \\{costs\\} \\#1}},\n" in bib
    plain = essay_exports.essay_bibtex(_meta(title="50% of R&D_costs #1", subtitle="", publisher=""))
    entry = parse_bibliography(plain).entries["gokturk-china-trump-putin"]
    assert entry.fields["title"] == "50% of R&D_costs #1"


def test_read_meta_uses_site_url_and_url_path() -> None:
    settings = {"key": "k", "title": "T", "author": {"family": "F", "given": "G"}, "url_path": "/essay/opening/"}
    warnings: list[str] = []
    meta = essay_metadata.read_meta(
        settings, source="m.yml", line=3, edition_date=DATE, site_url="https://x.org/sub", warn=warnings.append
    )
    assert meta.url == "https://x.org/sub/essay/opening/"
    assert meta.folder == "essay/" and warnings == []
    assert meta.editors == (Person(family="", literal="The editors"),)  # a collective, never invented names
    assert (meta.written, meta.written_inferred, meta.dateline) == ("", False, "")
    no_url = essay_metadata.read_meta(settings, source="m.yml", line=3, edition_date=DATE, site_url=None, warn=print)
    assert no_url.url == ""


def test_path_helpers_are_plain(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nextra:\n  essay:\n    key: k\n", encoding="utf-8")
    assert essay_metadata.config_line(str(config)) == 3
    assert essay_metadata.config_line(str(tmp_path / "missing.yml")) == 1
    assert essay_metadata.long_date(datetime.date(2025, 2, 7)) == "7 February 2025"
    assert essay_metadata.content_paths({"content": "pages"}) == ("pages",)
    assert essay_metadata.content_paths({}) == ("docs", "bib", "data")


def test_scholar_tags_keep_the_two_dates_apart() -> None:
    tags = {tag.name: tag.content for tag in head_tags.scholar_tags(_meta())}
    assert (tags["citation_publication_date"], tags["citation_online_date"]) == ("2025", "2026/03/15")
    undated = {tag.name: tag.content for tag in head_tags.scholar_tags(_meta(written=""))}
    assert undated["citation_publication_date"] == "2026/03/15"


def test_without_a_print_page_the_header_has_no_print_link(build_site: SiteBuilder) -> None:
    site = build_site(files={"docs/print.md": None})
    assert site.error is None, site.messages
    assert site.warnings == []
    details = re.search(r'<p class="essay-details">(.*?)</p>', site.html("index.html"))
    assert details is not None
    assert "print" not in details.group(1) and "min read" in details.group(1)
    assert not (site.site_dir / "print").exists()


def test_edition_date_outside_git_does_not_run_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside any repository (a tarball, the benchmark's projects) git would only fail: it is not started."""
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    runs: list[object] = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: runs.append(args))
    project = tmp_path / "project"
    project.mkdir()
    if any(os.path.lexists(folder / ".git") for folder in (project, *project.parents)):
        pytest.skip("the temporary folder lies inside a git repository")
    assert essay_metadata.edition_date(project, environ={})[1] == "today's date (no git history of the content)"
    assert runs == []
    # A repository above the project, a bare one, or GIT_DIR: git is asked.
    (tmp_path / ".git").mkdir()
    essay_metadata.edition_date(project, environ={})
    (tmp_path / ".git").rmdir()
    essay_metadata.edition_date(project, environ={})
    assert len(runs) == 1
    for name in ("objects", "refs"):
        (tmp_path / name).mkdir()
    (tmp_path / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    essay_metadata.edition_date(project, environ={})
    assert len(runs) == 2
    (tmp_path / "HEAD").unlink()
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere.git"))
    essay_metadata.edition_date(project, environ={})
    assert len(runs) == 3
