"""The landing page's blocks: ``::: essay-header`` and ``::: cite-this-essay``.

Each marker is a line alone in its paragraph, read by a Python-Markdown
BlockProcessor as ``::: bibliography`` is, so a marker inside a code block or
a code span stays text. The header gives the essay's title, subtitle and byline
(the author's words), then, marked as the edition's, its date, the year the
essay was written (labelled when the editors inferred it) and the reading time.
"Cite this essay" gives the essay's APA reference, formatted by the same CSL
machinery as the works cited, and links to the citation files (written into
the site by MkDocs' hook, or here under Zensical). The extension also registers
the treeprocessor that gives every page its ``<meta>`` tags (``head_tags``).
Everything is read from the site index (``essay_site``), under either engine.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from markdown import Markdown, util
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from .essay_exports import CITE_FILES, GENERATED, bib_entry, cite_files
from .essay_metadata import EssayMeta, long_date
from .essay_site import LOGGER, citations_of, essay_site_of
from .head_tags import HeadTags
from .reading_time import reading_minutes
from .zensical_pages import write_site_file

HEADER_MARKER = "::: essay-header"
CITE_MARKER = "::: cite-this-essay"

#: Media types of the downloads, by file name in :data:`~annotated_essay.essay_exports.CITE_FILES`.
_DOWNLOADS = (
    ("essay.bib", "BibTeX", "application/x-bibtex"),
    ("essay.ris", "RIS", "application/x-research-info-systems"),
    ("essay.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
    ("references.bib", "BibTeX", "application/x-bibtex"),
    ("references.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)


class LandingFacts(NamedTuple):
    """What the blocks show on one page.

    Attributes:
        meta: The essay's metadata.
        words: Words on the essay's pages (the reading time).
        print_href: A link from this page's source file to the print page's (both engines
            turn it into the URL); None without a print page.
        reference_html: The essay's formatted reference (HTML from the CSL formatter).
        links: Each name of ``CITE_FILES`` to a link from this page's source file.
    """

    meta: EssayMeta
    words: int
    print_href: str | None
    reference_html: str
    links: Mapping[str, str]


class LandingPageExtension(Extension):
    """Python-Markdown extension for the landing page's blocks and every page's ``<meta>`` tags."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the two block processors and the head tags' treeprocessor."""
        md.registerExtension(self)
        # Priority 74: just after the citations' "::: bibliography" (75), before "paragraph" (10)
        # and after "code" (80), so an indented marker stays code.
        md.parser.blockprocessors.register(_Marker(md.parser, HEADER_MARKER, _header), "essay_header", 74)
        md.parser.blockprocessors.register(_Marker(md.parser, CITE_MARKER, _cite_box), "cite_this_essay", 73)
        # Priority 1: last, once the page is converted; it only writes page metadata.
        md.treeprocessors.register(HeadTags(md), "essay_head_tags", 1)


def landing_facts(md: Markdown) -> LandingFacts | None:
    """What the blocks show on the page ``md`` converts; None outside a site (plain Python-Markdown).

    Under Zensical, which has no event to add files to a site, the citation
    files are written into the site folder here, when "Cite this essay" is
    converted (``zensical build --clean`` converts every page).

    Raises:
        annotated_essay.essay_metadata.MetaError: ``extra.essay`` cannot be used.
    """
    found = essay_site_of(md)
    citations = citations_of(md)
    if found is None or citations is None:
        return None
    site, page = found
    meta = site.meta
    return LandingFacts(
        meta=meta,
        words=site.words,
        # Links between source files: both engines check them and turn them into the pages' URLs.
        print_href=source_link(page.src_uri, meta.print_page) if site.index.page(meta.print_page) else None,
        # labels=False: shown alone, the reference carries no number even in a numbered style.
        reference_html=citations.formatter.format([bib_entry(meta)], labels=False)[meta.key],
        links={name: source_link(page.src_uri, uri) for name, uri in CITE_FILES.items()},
    )


class _Marker(BlockProcessor):
    def __init__(self, parser: Any, marker: str, build: Callable[[etree.Element, LandingFacts, Markdown], None]):
        super().__init__(parser)
        self.marker = marker
        self.build = build

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == self.marker

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        md = self.parser.md
        facts = landing_facts(md)
        if facts is None:
            LOGGER.warning(
                f"'{self.marker}' needs the essay's metadata (extra.essay in mkdocs.yml) and the "
                "annotated_essay.citations extension; add them, or remove the line, which is shown as written."
            )
            paragraph = etree.SubElement(parent, "p")
            paragraph.text = util.AtomicString(self.marker)
            return
        self.build(parent, facts, md)
        if self.marker == CITE_MARKER:
            write_cite_files_for_zensical(md, facts.meta)


def _element(parent: etree.Element, tag: str, text: str = "", **attributes: str) -> etree.Element:
    element = etree.SubElement(parent, tag, {name.rstrip("_").replace("_", "-"): v for name, v in attributes.items()})
    if text:
        element.text = util.AtomicString(text)  # shown as written: never parsed as Markdown
    return element


def _tail(element: etree.Element, text: str) -> None:
    element.tail = util.AtomicString((element.tail or "") + text)


def _header(parent: etree.Element, facts: LandingFacts, md: Markdown) -> None:
    """The title as the page's heading, then subtitle, byline and the edition's details."""
    meta = facts.meta
    _element(parent, "h1", meta.title)
    header = header_element(meta, facts.words, facts.print_href)
    parent.append(header)


def header_element(meta: EssayMeta, words: int, print_href: str | None = None) -> etree.Element:
    """Subtitle, byline and the edition line (the title not included), as a ``div.essay-header``."""
    header = etree.Element("div", {"class": "essay-header"})
    if meta.subtitle:
        _element(header, "p", meta.subtitle, class_="essay-subtitle")
    byline = _element(header, "p", "By ", class_="essay-byline")
    author = _element(byline, "span", meta.author_name, class_="essay-author")
    if meta.dateline:
        _tail(author, ", ")
        _element(byline, "span", meta.dateline, class_="essay-dateline", title="The author’s dateline")
    details = _element(header, "p", class_="essay-details")
    parts: list[etree.Element] = []
    if meta.written:
        written = etree.Element("span", {"class": "essay-written"})
        written.text = util.AtomicString(f"Essay written in {meta.written}")
        if meta.written_inferred:
            note = _element(written, "span", " (year inferred by the editors", class_="essay-inferred")
            note.text = util.AtomicString(
                f"{note.text}: the text is undated; {meta.written_basis.strip().rstrip('.')})"
                if meta.written_basis.strip()
                else f"{note.text}: the text is undated)"
            )
        parts.append(written)
    edition = etree.Element("span", {"class": "essay-edition"})
    edition.text = util.AtomicString("This annotated edition: ")
    _element(edition, "time", long_date(meta.edition_date), datetime=meta.edition_date.isoformat())
    parts.append(edition)
    reading = etree.Element("span", {"class": "essay-reading-time"})
    reading.text = util.AtomicString(f"{reading_minutes(words)} min read ({words:,} words)")
    parts.append(reading)
    if print_href:
        link = etree.Element("a", {"href": print_href})
        link.text = util.AtomicString("print or save as PDF")
        parts.append(link)
    for position, part in enumerate(parts):
        details.append(part)
        if position < len(parts) - 1:
            _tail(part, " · ")
    return header


def _cite_box(parent: etree.Element, facts: LandingFacts, md: Markdown) -> None:
    """A "Cite this essay" heading, the APA reference and the download links."""
    _element(parent, "h2", "Cite this essay")
    parent.append(cite_box_element(facts.reference_html, facts.links, md.htmlStash.store))


def cite_box_element(reference_html: str, links: Mapping[str, str], store: Callable[[str], str]) -> etree.Element:
    """The reference and the downloads, as a ``div.essay-cite``.

    ``reference_html`` is the CSL formatter's escaped HTML; ``store`` is
    Python-Markdown's ``htmlStash.store``, which puts it back as it is after
    the inline patterns have run.
    """
    box = etree.Element("div", {"class": "essay-cite"})
    _element(box, "p", class_="essay-cite__reference").text = store(reference_html)
    downloads = _element(box, "p", "This essay: ", class_="essay-cite__downloads")
    previous: etree.Element | None = None
    for position, (name, label, kind) in enumerate(_DOWNLOADS):
        if position == 3:
            etree.SubElement(downloads, "br").tail = util.AtomicString("Works cited: ")
        elif previous is not None:
            _tail(previous, " · ")
        previous = _element(
            downloads, "a", label, href=links[name], download=posixpath.basename(CITE_FILES[name]), type=kind
        )
    return box


def write_cite_files_for_zensical(md: Markdown, meta: EssayMeta) -> None:
    """Under Zensical, write the citation files into its site folder; under MkDocs its hook adds them.

    Zensical 0.0.73 has no event through which an extension adds files to a
    site, but it hands every page's conversion its configuration, whose
    ``site_dir`` is the folder it builds into.
    """
    # Python-Markdown's Registry has no .get(); Zensical names its context preprocessor so.
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None  # noqa: SIM401
    config = getattr(context, "config", None)
    citations = citations_of(md)
    if not isinstance(config, dict) or not config.get("site_dir") or citations is None:
        return
    site_dir = Path(str(config["site_dir"]))
    found = essay_site_of(md)
    docs_dir = found[0].index.docs_dir if found is not None else None
    for name, text in cite_files(meta, citations.bibliography, citations.cache_dir).items():
        if docs_dir is not None and (docs_dir / CITE_FILES[name]).exists():
            LOGGER.warning(f"docs/{CITE_FILES[name]}: {GENERATED}")
        write_site_file(site_dir, CITE_FILES[name], text)


def source_link(from_src_uri: str, to_src_uri: str) -> str:
    """A link from one source file to another, as an editor writes it (``../print.md``).

    Both engines check such links and turn them into the target's URL.
    """
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def makeExtension(**kwargs: Any) -> LandingPageExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.landing_page"])``."""
    return LandingPageExtension(**kwargs)


__all__ = [
    "CITE_MARKER",
    "HEADER_MARKER",
    "LandingFacts",
    "LandingPageExtension",
    "cite_box_element",
    "header_element",
    "landing_facts",
    "makeExtension",
    "source_link",
]
