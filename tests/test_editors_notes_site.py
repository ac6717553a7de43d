"""The edition's editors' notes and timeline in a real MkDocs build: placement, content, search, print."""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.conftest import ENGINE, REPO, BuiltSite, SiteBuilder, build_with_zensical, copy_project

#: Built with the tests' engine: `make test` runs this module under Zensical too.
pytestmark = pytest.mark.site_build

SOURCE = REPO.parent / "shared" / "essay" / "000_d84750492c36990f.txt"
ESSAY = [
    "essay/opening/index.html",
    "essay/step-by-step-china-soviet-conflict/index.html",
    "essay/from-border-conflicts-to-unwavering-friendship/index.html",
    "essay/chinas-concerns/index.html",
    "essay/conclusion/index.html",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The project built once for this module, strictly, with the tests' engine (MkDocs or Zensical)."""
    root = copy_project(tmp_path_factory.mktemp("notes-site"))
    if ENGINE == "zensical":
        site = build_with_zensical(root)
        assert site.error is None, site.report
        yield site
        return
    build(load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")))
    yield BuiltSite(root=root, site_dir=root / "site", messages=[], error=None)


def article(site: BuiltSite, path: str) -> lxml.html.HtmlElement:
    found: lxml.html.HtmlElement = lxml.html.fromstring(site.html(path)).xpath("//article")[0]
    return found


def author_paragraphs(site: BuiltSite, path: str) -> list[str]:
    """The text of the author's paragraphs: without our markers, notes, lists and the citation numbers."""
    root = article(site, path)
    for element in root.xpath(
        "//*[contains(concat(' ', @class, ' '), ' editors-margin ')] | //*[@class='editors-notes no-gloss']"
        " | //sup[contains(@class, 'editors-note-ref')] | //sup[contains(@class, 'citation')]"
        " | //div[contains(@class, 'footnote')] | //h1 | //*[contains(@class, 'md-source-file')]"
        " | //p[contains(@class, 'editors-label')]"
    ):
        element.drop_tree()
    return [" ".join(p.text_content().split()) for p in root.xpath(".//p") if p.text_content().strip()]


def test_the_essays_words_are_the_authors(built: BuiltSite) -> None:
    if not SOURCE.exists():
        pytest.skip(f"{SOURCE} is not beside this clone")
    source = SOURCE.read_text(encoding="utf-8").split("\nReferences\n")[0]
    expected = {" ".join(re.sub(r"\(\d\)", "", line).split()) for line in source.splitlines() if line.strip()}
    for path in ESSAY:
        for paragraph in author_paragraphs(built, path):
            assert paragraph in expected, (path, paragraph)
    counted = sum(len(author_paragraphs(built, path)) for path in ESSAY)
    assert counted == 22


def notes_on(site: BuiltSite, path: str) -> dict[str, str]:
    """Letter -> text of each note in the page's list."""
    root = article(site, path)
    return {
        item.get("id").removeprefix("editors-note-item-"): " ".join(item.text_content().split())
        for item in root.xpath("//ol[@class='editors-notes-list']/li")
    }


def test_every_note_is_in_the_margin_the_list_and_labelled(built: BuiltSite) -> None:
    total = 0
    for path in ESSAY:
        root = article(built, path)
        listed = notes_on(built, path)
        margin = root.xpath("//div[@role='note']")
        markers = root.xpath("//sup[@class='editors-note-ref']/a")
        assert [note.get("data-letter") for note in margin] == list(listed) == [m.get("data-letter") for m in markers]
        assert list(listed) == [chr(ord("a") + n) for n in range(len(listed))]
        for note in margin:
            label = note.xpath("./p[@class='editors-note-label']")[0].text_content()
            assert label == f"{note.get('data-letter')} Editors’ note"
            # Beside its own paragraph: the note's wrapper holds the marker's paragraph.
            wrapper = note.getparent().getparent()
            assert wrapper.get("class") == "editors-noted"
            assert wrapper.xpath(f".//sup/a[@data-letter='{note.get('data-letter')}']")
        if listed:
            assert root.xpath("//h2[@id='editors-notes']")[0].text_content().startswith("Editors’ notes")
        total += len(listed)
    assert total >= 8


@pytest.mark.parametrize(
    ("page", "fragments"),
    [
        (3, ("People’s Daily (人民日报)", "环球时报, the Global Times", "(4)")),
        (0, ("April 1971", "21 February 1972", "runs two events together")),
        (1, ("January 1965", "“Twenty-three Articles”", "officials inside the Chinese Communist Party")),
        (1, ("Lorenz M. Lüthi", "The Sino-Soviet Split", "2008", "may be incomplete")),
        (3, ("gives no source for this figure", "give none of their own")),
        (2, ("gives no source for this count", "no figure of their own")),
        (2, ("[sic]", "closing quotation mark")),
    ],
    ids=["global-times", "ping-pong-nixon", "capitalist-roaders", "vamos-forum", "trade-70", "meetings-50", "sic"],
)
def test_the_required_notes_are_there(built: BuiltSite, page: int, fragments: tuple[str, ...]) -> None:
    notes = notes_on(built, ESSAY[page]).values()
    assert any(all(fragment in note for fragment in fragments) for note in notes), list(notes)


def test_the_global_times_note_is_at_source_four(built: BuiltSite) -> None:
    root = article(built, ESSAY[3])
    paragraph = root.xpath("//sup[contains(@class, 'citation')]/a[text()='4']/ancestor::p")[0]
    letters = [a.get("data-letter") for a in paragraph.xpath(".//sup[@class='editors-note-ref']/a")]
    assert any("环球时报" in notes_on(built, ESSAY[3])[letter] for letter in letters)


def test_search_reads_notes_under_their_own_heading_only(built: BuiltSite) -> None:
    documents = built.search_documents()
    for doc in documents:
        if not doc["location"].startswith("essay/"):
            continue
        if doc["location"].endswith("#editors-notes"):
            assert doc["title"] == "Editors’ notes"
            assert "Editors’ note" in doc["text"]
        else:
            assert "Editors’ note" not in doc["text"], doc["location"]
            assert "Lüthi" not in doc["text"] and "[sic]" not in doc["text"]
    notes = [doc for doc in documents if doc["location"].startswith("essay/") and "#editors-notes" in doc["location"]]
    assert len(notes) == 5
    assert any("环球时报" in doc["text"] for doc in notes)


def test_print_view_has_the_notes_and_the_timeline(built: BuiltSite) -> None:
    page = built.html("print/index.html")
    assert page.count('class="editors-notes-list"') == 5
    assert "Twenty-three Articles" in page
    assert page.count('class="timeline-event"') >= 25
    assert '<svg aria-label="Overview:' in page


def test_timeline_links_reach_glossary_entries_and_essay_passages(built: BuiltSite) -> None:
    root = article(built, "timeline/index.html")
    events = root.xpath("//li[@class='timeline-event']")
    assert len(events) >= 25
    # The glossary's term pages: the glossary and the people (one linker for both).
    entries = {
        page: set(lxml.html.fromstring(built.html(f"{page.strip('./')}/index.html")).xpath("//h2/@id"))
        for page in ("../glossary/", "../people/")
    }
    essay_links = 0
    for event in events:
        for link in event.xpath(".//p[@class='timeline-links']//a"):
            href = link.get("href")
            page, _, anchor = href.partition("#")
            if page in entries:
                assert anchor.removeprefix("glossary-ref-") in entries[page] or anchor in entries[page], href
            else:
                assert page.startswith("../essay/"), href
                target = lxml.html.fromstring(built.html(page.removeprefix("../") + "index.html"))
                assert target.xpath(f"//*[@id='{anchor}']"), href
                essay_links += 1
    assert essay_links >= 25
    zhenbao = root.xpath("//h3[@id='1969-03-02-clashes-on-zhenbao-damansky-island']/..")[0]
    assert "2–15 March 1969" in zhenbao.text_content()


def test_timeline_is_searchable_by_event(built: BuiltSite) -> None:
    documents = built.search_documents()
    riyadh = [doc for doc in documents if doc["location"].startswith("timeline/#") and "Riyadh" in doc["title"]]
    assert riyadh and "18 February 2025" in riyadh[0]["text"]


def test_a_wrong_passage_fails_the_strict_build_with_its_line(build_site: SiteBuilder) -> None:
    page = REPO / "docs/essay/conclusion.md"
    text = page.read_text(encoding="utf-8") + "\n/// editors-note | words the author never wrote\nA note.\n///\n"
    site = build_site(files={"docs/essay/conclusion.md": text})
    line = len(text.splitlines()) - 2
    assert site.error is not None
    assert any(
        f"essay/conclusion.md:{line}: the passage 'words the author never wrote' is not in the text" in message
        for message in site.warnings
    ), site.report
