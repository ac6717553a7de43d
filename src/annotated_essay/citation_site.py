"""The whole site's citations, for one page's conversion: numbers, back-links, site-wide warnings.

A page's conversion knows the site (``page_context.current_site``, under MkDocs
and Zensical alike), so it numbers sources in the site's reading order and
writes its notes and, on the References page, the back-links, in one pass
(:class:`CitationFinisher`, phase two): no MkDocs event is needed. What every
page cites comes from converting each page's Markdown once with the citations extension in *scan* mode (no warnings, no
formatting), kept by the page's content digest (``SiteIndex.scan``), so a
rebuild re-scans only the pages that changed.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import markdown
from markdown import Markdown
from markdown.postprocessors import Postprocessor

from . import citation_notes, content_cache, wording
from .citation_notes import (
    CitationRecord,
    CitedPage,
    PageCitations,
    collect_back_links,
    number_sources,
    reference_list_markup,
)
from .citation_syntax import CitedItem
from .page_context import current_site, page_link
from .site_index import SiteIndex, SitePage

if TYPE_CHECKING:
    from .citation_processors import DocumentState
    from .citations import CitationsExtension

#: The scan's name in the site index.
SCAN = "citations"
#: Extensions MkDocs always adds to ``markdown_extensions`` (``mkdocs.config.defaults``).
_MKDOCS_DEFAULTS = ("toc", "tables", "fenced_code")
#: Scans report nothing: the page's own conversion reports its slips, with their lines.
_QUIET = logging.getLogger("annotated_essay.citations.scan")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


@functools.lru_cache(maxsize=8)
def _scanner(
    extensions: tuple[tuple[str, str], ...], bibliography: str, style: str, cache_dir: str
) -> tuple[markdown.Markdown, CitationsExtension]:
    from .citations import CitationsExtension

    citations = CitationsExtension(bibliography=bibliography, style=style, cache_dir=cache_dir, logger=_QUIET)
    citations.scanning = True
    names = [name for name, _ in extensions]
    configs = {name: settings for name, settings in _configs(extensions).items() if settings}
    return markdown.Markdown(extensions=[*names, citations], extension_configs=configs), citations


def _configs(extensions: tuple[tuple[str, str], ...]) -> dict[str, dict[str, object]]:
    import json

    return {name: json.loads(settings) for name, settings in extensions}


def _structural_extensions(index: SiteIndex) -> tuple[tuple[str, str], ...]:
    """The site's Markdown extensions but ours (which read the site themselves), with their settings as JSON."""
    import json

    chosen: dict[str, str] = {name: "{}" for name in _MKDOCS_DEFAULTS}
    for name, settings in index.markdown_extensions:
        if not name.startswith("annotated_essay"):
            try:
                chosen[name] = json.dumps(dict(settings), sort_keys=True)
            except (TypeError, ValueError):  # settings JSON cannot hold (a Python object): the defaults
                chosen[name] = "{}"
    return tuple(chosen.items())


class ScannedPage(NamedTuple):
    """What the scan found on a page, kept compactly for the rest of the build and the next.

    Numbering and the essay's works read only the cited keys, so those are kept
    as they are; the citations themselves are kept as JSON and decoded for the
    reference list's back-links alone. On a large site this spares a warm build
    thousands of objects it would otherwise decode, keep and have the garbage
    collector walk again and again (30 citations on each of 100 pages).
    """

    keys: tuple[str, ...]
    has_bibliography: bool
    encoded_records: str

    @property
    def records(self) -> list[CitationRecord]:
        """The page's citations in reading order (decoded on each call)."""
        return [
            CitationRecord(anchor, tuple(CitedItem(*item) for item in items))
            for anchor, items in json.loads(self.encoded_records)
        ]

    def cited_keys(self) -> list[str]:
        """Cited keys in order of first citation on the page."""
        return list(self.keys)


def _scanned(page: PageCitations) -> ScannedPage:
    records = [
        [record.anchor, [[i.key, i.prefix, i.locator, i.label, i.suffix, i.suppress_author] for i in record.items]]
        for record in page.records
    ]
    return ScannedPage(tuple(page.cited_keys()), page.has_bibliography, json.dumps(records, ensure_ascii=False))


def _to_json(page: ScannedPage) -> str:
    return json.dumps([page.keys, page.has_bibliography, page.encoded_records], ensure_ascii=False)


def _from_json(text: str) -> ScannedPage:
    keys, has_bibliography, records = json.loads(text)
    return ScannedPage(tuple(keys), bool(has_bibliography), records)


@functools.cache
def _code_digest() -> str:
    """What a scan's result depends on besides the page and the bibliography: this code and Python-Markdown."""
    from . import citation_processors, citation_reading_order, citation_syntax, citations, linear_brackets

    modules = (citation_processors, citation_reading_order, citation_syntax, citations, linear_brackets)
    return content_cache.digest(
        content_cache.source_digest(*modules, __file__),
        content_cache.versions_digest("markdown", "pymdown-extensions"),
    )


def scan_site(extension: CitationsExtension, index: SiteIndex) -> list[tuple[SitePage, ScannedPage]]:
    """What every page of ``index`` cites, in reading order.

    Kept by the page's content: in this process by the site index, and in the
    cache folder (``.annotated-essay-cache``) for the next build, where a
    build from the command line finds every unchanged page scanned.
    """
    return _scan_site(extension, index)[1]


def _scan_site(extension: CitationsExtension, index: SiteIndex) -> tuple[str, list[tuple[SitePage, ScannedPage]]]:
    """:func:`scan_site`, with the key of its results: the scan's settings and the site's content.

    Kept on the extension for the site's content and bibliography: every page's
    conversion asks, and the answer only changes when they do.
    """
    bibliography = extension.bibliography
    memo_key = (index.digest, bibliography.digest)
    if index.digest and extension.scan_memo is not None and extension.scan_memo[0] == memo_key:
        return extension.scan_memo[1]
    extensions = _structural_extensions(index)
    key = content_cache.digest(_code_digest(), bibliography.digest, repr(extensions))
    stored = content_cache.Table.open("citation-scans", key, extension.cache_dir)
    extension.scan_table = stored
    made: list[tuple[markdown.Markdown, CitationsExtension]] = []

    def scan(page: SitePage) -> ScannedPage:
        found = stored.get(page.digest)
        if found is not None:
            return _from_json(found)
        if not made:  # the scanning Markdown made only when a page was not scanned before (~1 ms)
            made.append(
                _scanner(
                    extensions,
                    extension.getConfig("bibliography"),
                    str(extension.getConfig("style")),
                    extension.getConfig("cache_dir") or "",
                )
            )
            made[0][1].use_bibliography(bibliography)
        md, scanner = made[0]
        md.reset()
        scanner.set_page(page.src_uri, page.line_offset)
        md.convert(page.markdown)
        scanned = _scanned(scanner.scanned)
        stored.put([(page.digest, _to_json(scanned))])
        return scanned

    # No key without the site's digest (an index made by hand): then nothing is kept.
    result = (content_cache.digest(key, index.digest) if index.digest else "", index.scan(SCAN, scan, key=key))
    extension.scan_memo = (memo_key, result)
    return result


def site_numbers(
    extension: CitationsExtension,
    index: SiteIndex,
    page: SitePage,
    live: PageCitations,
    md: markdown.Markdown,
) -> tuple[dict[str, int], Callable[[], tuple[str, str]] | None]:
    """Every listed source's number, and what makes the reference list if ``page`` shows it.

    ``live`` is what this conversion of ``page`` found; it stands in for the
    page's scan, which it equals unless the page changed since the scan.
    ``md`` converts ``page``: back-links are written as its engine wants them
    (``page_context.page_link``). The reference list is made by a function
    returning it as the search index reads it and as the page shows it
    (``citation_notes.reference_list_markup``), kept by content.
    """
    scan_key, scans = _scan_site(extension, index)
    numbers = _numbers(extension, scan_key, scans, page, live)
    first = page.src_uri == index.pages[0].src_uri
    if not first and not live.has_bibliography:
        return numbers, None  # most pages: the numbers alone
    scanned: list[tuple[SitePage, CitedPage]] = [
        (site_page, live if site_page.src_uri == page.src_uri else found) for site_page, found in scans
    ]
    if first:
        # Once per build, with the first page in reading order: what concerns the whole site.
        extension.site_warnings(numbers, any(found.has_bibliography for _, found in scanned))
        extension.format_sources(numbers)  # all at once: a large first build formats in parallel
    if not live.has_bibliography:
        return numbers, None
    return numbers, functools.partial(_reference_list, extension, index, page, live, md, numbers, scan_key, scanned)


def _reference_list(
    extension: CitationsExtension,
    index: SiteIndex,
    page: SitePage,
    live: PageCitations,
    md: markdown.Markdown,
    numbers: Mapping[str, int],
    scan_key: str,
    scanned: Sequence[tuple[SitePage, CitedPage]],
) -> tuple[str, str]:
    """The reference list of ``page``, as the search index reads it and as the page shows it.

    Kept by everything it is made of, in this process and the cache folder: a
    warm build of a large site would otherwise decode every page's citations for
    the back-links and write the list again (some 20 ms for 2,000 entries). The
    key: this code, the style and formatting code (``ReferenceFormatter.key``),
    the bibliography, the sources listed with their numbers, every page's
    citations (the site's scans, by ``scan_key``, and this page's own as
    converted now), and each page's title and link as this engine writes it.
    """
    listed = sorted(numbers, key=numbers.__getitem__)

    def make() -> tuple[str, str]:
        back_links = collect_back_links(
            (_link_to(md, index, page.src_uri, site_page.src_uri), site_page.display_title, found)
            for site_page, found in scanned
        )
        return reference_list_markup(listed, numbers, extension._format(listed, numbers), back_links)

    if not scan_key:  # pages not kept by content (an index made by hand): nothing is kept
        return make()
    pages = [
        part
        for site_page, _ in scanned
        for part in (site_page.src_uri, site_page.display_title, page_link(md, index, page.src_uri, site_page.src_uri))
    ]
    key = [
        extension.formatter.key,
        extension.bibliography.digest,
        scan_key,
        _scanned(live).encoded_records,
        page.src_uri,
        page_link(md, index, page.src_uri, page.src_uri, "anchor"),
        "\n".join(f"{source}\t{numbers[source]}" for source in listed),
        *pages,
    ]

    def joined() -> str:
        indexed, final = make()
        return f"{len(indexed)}\n{indexed}{final}"

    # The two texts joined, the first one's length first: no JSON to decode (a megabyte on a large site).
    text = content_cache.cached_text(
        extension.cache_dir,
        "reference-list",
        key,
        joined,
        code=[__file__, citation_notes.__file__, wording.__file__],
    )
    length, _, both = text.partition("\n")
    return both[: int(length)], both[int(length) :]


def _link_to(md: markdown.Markdown, index: SiteIndex, from_src_uri: str, to_src_uri: str) -> Callable[[str], str]:
    """Links from one page to anchors on another: the page's link worked out once, not for each anchor.

    ``page_link`` writes a link to an anchor on another page as the page's link, '#' and the anchor.
    """
    if from_src_uri == to_src_uri:
        return functools.partial(page_link, md, index, from_src_uri, to_src_uri)
    base = page_link(md, index, from_src_uri, to_src_uri)
    return lambda anchor: f"{base}#{anchor}" if anchor else base


def _numbers(
    extension: CitationsExtension,
    scan_key: str,
    scans: Sequence[tuple[SitePage, ScannedPage]],
    page: SitePage,
    live: PageCitations,
) -> dict[str, int]:
    """The site's numbers: counted once per site content (``scan_key``), not once per page.

    Numbering reads every page's citations, so counting for each page of a
    100-page site read each page a hundred times. ``live`` stands in for the
    page's scan; it changes the numbers only if it cites other keys, or in
    another order, than the scan (the page changed since): then they are counted anew.
    """
    nocite = tuple(extension.nocite_keys())
    uri = page.src_uri
    # The page's own scan, looked up by its path: not searched for among every page, for every page.
    by_uri = extension.scans_by_uri
    if by_uri is None or by_uri[0] is not scans:
        by_uri = extension.scans_by_uri = (scans, {site_page.src_uri: found for site_page, found in scans})
    found = by_uri[1][uri]
    if tuple(live.cited_keys()) != found.keys:
        pages: list[CitedPage] = [live if site_page.src_uri == uri else found for site_page, found in scans]
        return number_sources(pages, nocite)
    memo = extension.numbers_memo
    if not scan_key or memo is None or memo[0] != (scan_key, nocite):
        memo = ((scan_key, nocite), number_sources((found for _, found in scans), nocite))
        extension.numbers_memo = memo
    return memo[1]


class CitationFinisher(Postprocessor):
    """Phase two for the page just converted, with the site's numbers when the page is one of a site's."""

    def __init__(self, extension: CitationsExtension, state: DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, text: str) -> str:  # noqa: D102 (Python-Markdown's API)
        page, extension = self.state.page, self.extension
        if not self.state.tree_done:
            return text  # a heading's text, rendered by "toc" for the table of contents
        if extension.scanning:
            extension.scanned = page
            return text
        site = current_site(self.md)
        if site is None:  # plain Python-Markdown: the page alone
            return extension.resolve_page(text, page, extension.number_sources([page], warn=True))
        index, site_page = site
        if not page.records and not page.has_bibliography and index.pages[0] is not site_page:
            return text
        numbers, reference_list = site_numbers(extension, index, site_page, page, self.md)
        finished = extension.resolve_page(
            text, page, numbers, defer=extension.defer, swap=extension.swap, reference_list=reference_list
        )
        # The page's records are read by no later step: let go of them now, not when the collector finds
        # the Markdown instance to be garbage (see TreeDone). A later run of the postprocessors on this
        # conversion (none is known) would find no citation, as on a heading's text.
        self.state.page = PageCitations()
        self.state.tree_done = False
        return finished
