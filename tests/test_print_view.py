"""The print view: every page of the edition on one page, rewritten on parsed trees."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import lxml.html
import pytest

from annotated_essay import content_cache, print_view
from annotated_essay.bibliography import Person
from annotated_essay.essay_metadata import EssayMeta
from annotated_essay.site_index import load_site_index
from tests.conftest import REPO, BuiltSite, SiteBuilder
from tests.test_essay_meta import DATE, EPOCH, ESSAY_PAGES, SECTION_TITLES, text_of, with_class


@pytest.fixture(autouse=True)
def _edition_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def built(build_site: SiteBuilder) -> BuiltSite:
    site = build_site()
    assert site.error is None, site.messages
    assert site.warnings == []
    return site


def view_of(site: BuiltSite) -> lxml.html.HtmlElement:
    (view,) = with_class(lxml.html.fromstring(site.html("print/index.html")), "div", "print-view")
    return view


def test_print_view_holds_every_section_in_order(built: BuiltSite) -> None:
    view = view_of(built)
    sections = with_class(view, "section", "print-section")
    # Every page of the navigation but the landing page, in reading order.
    in_nav = [page.src_uri for page in load_site_index(REPO / "mkdocs.yml").pages if page.in_nav]
    expected = [uri.removesuffix(".md") for uri in in_nav if uri != "index.md"]
    assert expected[: len(ESSAY_PAGES) + 1] == [p.removesuffix(".md") for p in [*ESSAY_PAGES, "references.md"]]
    assert [section.get("data-source").removesuffix(".md") for section in sections] == expected
    text = " ".join(view.text_content().split())
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)
    # Each section keeps its notes; the references page its list.
    by_id = {section.get("id"): section for section in sections}
    for slug, key in [
        ("essay-opening", "greene2021"),
        ("essay-step-by-step-china-soviet-conflict", "vamos2010"),
        ("essay-from-border-conflicts-to-unwavering-friendship", "economist2025"),
        ("essay-chinas-concerns", "globaltimes2025"),
    ]:
        assert by_id[slug].xpath(f".//li[@id='{slug}-fn:cite-{key}']"), slug
    assert len(view.xpath(".//li[starts-with(@id, 'references-ref-')]")) == 4
    for needle in ("Greene, S.", "Vámos, P.", "The Xi-Putin partnership", "中俄关系在复杂国际形势下更加稳健成熟"):
        assert needle in text
    assert "neither Trump nor his successors can prevent this." in text
    # Only one h1: the sections' headings are moved one level down below it.
    assert [h1.get("id") for h1 in view.iter("h1")] == ["print-title"]
    assert by_id["essay-opening"].xpath(".//h2")[0].get("id") == "essay-opening-opening"
    assert by_id["essay-step-by-step-china-soviet-conflict"].xpath(".//h2")[0].text == (
        "Step by Step China-Soviet Conflict"
    )


def test_print_view_ids_are_unique_and_in_page_links_resolve(built: BuiltSite) -> None:
    page = lxml.html.fromstring(built.html("print/index.html"))
    ids = collections.Counter(element.get("id") for element in page.iter() if element.get("id"))
    assert [name for name, count in ids.items() if count > 1] == []
    view = view_of(built)
    fragments = [link.get("href")[1:] for link in view.iter("a") if link.get("href", "").startswith("#")]
    assert len(fragments) > 20
    assert [fragment for fragment in fragments if fragment not in ids] == []
    # A note's back-link and the reference list's back-links stay inside the print view.
    hrefs = {link.get("href") for link in view.iter("a")}
    assert "#essay-opening-fn:cite-greene2021" in hrefs
    assert "#essay-opening-citation-1" in hrefs
    # Links to pages in the view stay inside it; any other link of the site still resolves from print/.
    relative = [
        value
        for element in view.iter()
        for name in ("href", "src")
        if (value := element.get(name)) and not value.startswith("#") and "://" not in value
    ]
    assert relative == ["../#cite-this-essay"]  # the landing page, which the view leaves out
    for value in relative:
        target = (built.site_dir / "print" / value.split("#")[0]).resolve()
        assert (target / "index.html" if target.is_dir() else target).is_file(), value


def test_print_page_is_not_searchable(built: BuiltSite) -> None:
    documents = built.search_documents()
    assert not [doc for doc in documents if doc["location"].startswith("print/")]
    assert any(doc["location"].startswith("essay/opening/") for doc in documents)


def test_ids_written_in_prose_and_code_stay_as_written(build_site: SiteBuilder) -> None:
    page = (REPO / "docs/essay/conclusion.md").read_text(encoding="utf-8")
    page += '\nAn attribute written id="x" in prose, and `<a id="y" href="#y">` in code.\n'
    site = build_site(files={"docs/essay/conclusion.md": page})
    assert site.error is None, site.messages
    text = text_of(site.html("print/index.html"))
    assert 'An attribute written id="x" in prose, and <a id="y" href="#y"> in code.' in text


@pytest.mark.mkdocs_only  # builds with both engines itself
def test_print_view_is_the_same_under_both_engines(build_site: SiteBuilder) -> None:
    """MkDocs' hook assembles it from rendered pages, Zensical's conversion renders them: same view."""

    def view(site: BuiltSite) -> str:
        assert site.error is None, site.report
        html = lxml.html.tostring(view_of(site), encoding="unicode")
        html = re.sub(r' data-search-exclude(="")?', "", html)  # Zensical drops it on every page
        return re.sub(r"\s+", " ", html)

    mkdocs, zensical = view(build_site(engine="mkdocs")), view(build_site(engine="zensical"))
    assert len(mkdocs) > 100_000
    assert zensical == mkdocs


@pytest.mark.mkdocs_only  # builds with Zensical itself
def test_zensical_print_view_takes_the_pages_zensical_converted_before_it(
    build_site: SiteBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page converted before the print page is not converted again for it; one converted after is."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # Zensical's process imports tests.conversion_sequence
    site = build_site(
        engine="zensical", config=lambda data: data["markdown_extensions"].append("tests.conversion_sequence")
    )
    assert site.error is None, site.report
    view = view_of(site)
    (print_page,) = lxml.html.fromstring(site.html("print/index.html")).xpath(
        "//article/p[@class='conversion-sequence']"
    )
    print_number = int(print_page.text)
    reused = converted_again = 0
    for section in with_class(view, "section", "print-section"):
        uri = section.get("data-source")
        (in_view,) = section.xpath(".//p[@class='conversion-sequence']")
        (own,) = lxml.html.fromstring(site.html(uri.removesuffix(".md") + "/index.html")).xpath(
            "//article/p[@class='conversion-sequence']"
        )
        if int(own.text) < print_number:  # converted before the print page: its HTML, as converted
            assert in_view.text == own.text, uri
            reused += 1
        else:  # converted after it: converted for the view (in the print page's conversion) first
            assert print_number < int(in_view.text) < int(own.text), uri
            converted_again += 1
    assert reused >= len(ESSAY_PAGES)  # Zensical converts essay/ before print.md
    assert reused + converted_again == len(with_class(view, "section", "print-section"))


# -- units ------------------------------------------------------------------------------------


def _rebased(content: str, url: str = "essay/opening/") -> str:
    section = print_view.PrintSection("essay/opening.md", url, "Opening", content)
    fragment = print_view.rebase_section(
        section, "print/", {"essay/opening/": "essay-opening", "essay/conclusion/": "c"}
    )
    return print_view.serialize(fragment)


def test_rebase_section_links() -> None:
    assert _rebased(
        '<p id="a" aria-describedby="b c"><a href="#a">x</a> <a href="../conclusion/#z">y</a> '
        '<a href="../../about/?q=1&amp;r=2#t">z</a> <a href="https://example.org/#a">w</a> '
        '<img src="../../assets/p.png" alt=""> <a href="../../">home</a></p>'
    ) == (
        '<p id="essay-opening-a" aria-describedby="essay-opening-b essay-opening-c">'
        '<a href="#essay-opening-a">x</a> <a href="#c-z">y</a> '
        '<a href="../about/?q=1&amp;r=2#t">z</a> '
        '<a href="https://example.org/#a" data-print-url="https://example.org/#a">w</a> '
        '<img src="../assets/p.png" alt=""> <a href="../">home</a></p>'
    )


def test_rebase_leaves_text_and_code_alone() -> None:
    content = '<p>Write id="a" or href="#a" &amp; more.</p><pre><code>&lt;p id="a"&gt;</code></pre><p id="a">x</p>'
    assert _rebased(content) == (
        '<p>Write id="a" or href="#a" &amp; more.</p><pre><code>&lt;p id="a"&gt;</code></pre>'
        '<p id="essay-opening-a">x</p>'
    )


def test_rebase_keeps_svg_as_svg() -> None:
    content = '<svg viewBox="0 0 10 10" role="img" aria-labelledby="t"><title id="t">A</title></svg>'
    assert _rebased(content) == (
        '<svg viewBox="0 0 10 10" role="img" aria-labelledby="essay-opening-t">'
        '<title id="essay-opening-t">A</title></svg>'
    )


def test_demote_headings() -> None:
    fragment = print_view.parse_fragment('<h1 id="a">A</h1><h5>E</h5><h6>F</h6><hr><p>h1 stays text</p>')
    print_view.demote_headings(fragment)
    assert print_view.serialize(fragment) == '<h2 id="a">A</h2><h6>E</h6><h6>F</h6><hr><p>h1 stays text</p>'


def test_print_view_html_has_one_title_and_a_contents_list() -> None:
    meta = EssayMeta(key="k", title="T & <U>", author=Person(family="F", given="G"), edition_date=DATE)
    sections = [
        print_view.PrintSection("essay/a.md", "essay/a/", "A", "<p>One <a href='../b/#x'>b</a></p>"),
        print_view.PrintSection("essay/b.md", "essay/b/", "B", "<h1 id='x'>B</h1><p>Two</p>"),
        print_view.PrintSection("references.md", "references/", "References", "<p>Three</p>"),
    ]
    view = lxml.html.fragment_fromstring(print_view.print_view_html(meta, sections, "print/", 3))
    assert view.xpath(".//h1")[0].text == "T & <U>"
    assert [link.get("href") for link in view.xpath(".//nav//li/a")] == ["#essay-a", "#essay-b", "#references"]
    assert [h2.get("id") for h2 in view.xpath(".//section/h2")] == ["essay-a-title", "essay-b-x", "references-title"]
    assert view.xpath(".//section[@id='essay-a']//a")[0].get("href") == "#essay-b-x"
    assert re.search(r"every section with its notes, then References\.", view.text_content())


def test_print_view_is_kept_by_a_digest_of_its_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    meta = EssayMeta(key="k", title="T", author=Person(family="F", given="G"), edition_date=DATE)
    sections = [
        print_view.PrintSection("essay/a.md", "essay/a/", "A", '<p>One <svg viewBox="0 0 1 1"></svg></p>'),
        print_view.PrintSection("essay/b.md", "essay/b/", "B", "<p>Two</p>"),
    ]
    first = print_view.print_view_html(meta, sections, "print/", 3, cache_dir=tmp_path)
    [kept] = tmp_path.glob("print-view-*.txt")
    assert kept.read_text(encoding="utf-8") == first
    assert 'viewBox="0 0 1 1"' in first

    def unused(content: str) -> None:
        raise AssertionError("parsed again although nothing changed")

    # A later build (a new process: nothing in memory) reads the file and parses nothing.
    monkeypatch.setattr(content_cache, "_MEMORY", {})
    with monkeypatch.context() as patched:
        patched.setattr(print_view, "parse_fragment", unused)
        assert print_view.print_view_html(meta, sections, "print/", 3, cache_dir=tmp_path) == first
    # Any change of a page, a title or the metadata makes a new view.
    edited = [sections[0]._replace(content="<p>One edited</p>"), sections[1]]
    assert "One edited" in print_view.print_view_html(meta, edited, "print/", 3, cache_dir=tmp_path)
    retitled = [sections[0], sections[1]._replace(title="B2")]
    assert ">B2</a>" in print_view.print_view_html(meta, retitled, "print/", 3, cache_dir=tmp_path)
    renamed = meta._replace(title="T2")
    assert ">T2</h1>" in print_view.print_view_html(renamed, sections, "print/", 3, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("print-view-*.txt"))) == 4


def test_without_a_site_the_markers_stay_text_and_say_why(caplog: pytest.LogCaptureFixture) -> None:
    import markdown

    text = "::: essay-header\n\n::: print-view\n\n::: cite-this-essay\n"
    with caplog.at_level("WARNING", logger="annotated_essay.essay"):
        html = markdown.markdown(text, extensions=["annotated_essay.landing_page", "annotated_essay.print_view"])
    assert html == "<p>::: essay-header</p>\n<p>::: print-view</p>\n<p>::: cite-this-essay</p>"
    assert [record.getMessage().split("'")[1] for record in caplog.records] == [
        "::: essay-header",
        "::: print-view",
        "::: cite-this-essay",
    ]
