"""What citations turn into on a page: the notes, the reference list and its back-links.

The parsing of citations is ``citation_syntax``'s, the Markdown wiring
``citations``'; this module renders what they found, with references already
formatted by ``references.ReferenceFormatter``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from .citation_syntax import CitedItem
from .lazy_regex import on_first_use
from .records import Record
from .wording import letter

#: Tags of CSL's HTML output that style text (not <sup>/<sub>, which the search index keeps).
_STYLING_TAG = on_first_use(r"</?(?:i|b|em|strong|span)(?: [^>]*)?>")


class CitationRecord(NamedTuple):
    """One resolved citation on a page: its anchor and the sources it names."""

    anchor: str
    items: tuple[CitedItem, ...]


class PageCitations(Record):
    """What a page cites, in the order a reader meets it, and whether it shows the reference list."""

    _fields = ("records", "has_bibliography")
    records: list[CitationRecord]
    has_bibliography: bool

    def __init__(self, records: list[CitationRecord] | None = None, has_bibliography: bool = False) -> None:
        self.records = [] if records is None else records
        self.has_bibliography = has_bibliography

    def cited_keys(self) -> list[str]:
        """Cited keys in order of first citation on the page."""
        return list(dict.fromkeys(item.key for record in self.records for item in record.items))


class CitedPage(Protocol):
    """What numbering and back-links read of a page: a conversion's :class:`PageCitations` or a kept scan."""

    @property
    def records(self) -> Sequence[CitationRecord]:
        """The page's citations in reading order."""

    @property
    def has_bibliography(self) -> bool:
        """Whether the page shows the reference list."""

    def cited_keys(self) -> list[str]:
        """Cited keys in order of first citation on the page."""


class BackLink(NamedTuple):
    """Where a source is cited: the URL of the citation and a label for it."""

    href: str
    title: str


def number_sources(pages_in_reading_order: Iterable[CitedPage], nocite: Iterable[str] = ()) -> dict[str, int]:
    """Number each cited source by its first citation in reading order; then the ``nocite`` keys."""
    numbers: dict[str, int] = {}
    for page in pages_in_reading_order:
        for key in page.cited_keys():
            numbers.setdefault(key, len(numbers) + 1)
    for key in nocite:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def collect_back_links(
    citing_pages: Iterable[tuple[Callable[[str], str], str, CitedPage]],
) -> dict[str, list[BackLink]]:
    """Every citation of every source, in reading order, as back-links for the reference list.

    Args:
        citing_pages: For each page in reading order: a function turning an
            anchor on that page into a link from the reference list's page,
            the page's title, and what the page cites.
    """
    back_links: dict[str, list[BackLink]] = {}
    for href, title, page in citing_pages:
        for record in page.records:
            for key in dict.fromkeys(item.key for item in record.items):
                back_links.setdefault(key, []).append(BackLink(href(record.anchor), f"Cited in {title}"))
    return back_links


def render_notes(page: PageCitations, numbers: Mapping[str, int], formatted: Mapping[str, str]) -> str:
    """The page's notes as Python-Markdown footnote markup, one per source."""
    citations_of: dict[str, list[tuple[CitationRecord, CitedItem]]] = {}
    for record in page.records:
        for item in record.items:
            citations_of.setdefault(item.key, []).append((record, item))
    rows = []
    for key in sorted(citations_of, key=numbers.__getitem__):
        number = numbers[key]
        cited = citations_of[key]
        if len(cited) == 1:  # cited once (most sources on a page): one back-reference, made directly
            record, item = cited[0]
            # note_text only where there may be text: most citations have no prefix, locator or suffix.
            note = item.note_text() if item.prefix or item.locator or item.label or item.suffix else ""
            locators = [note] if note else []
            back_refs = (
                f'&nbsp;<a class="footnote-backref" href="#{record.anchor}" '
                f'title="Jump back to citation 1 of source {number} in the text">&#8617;</a>'
            )
        else:
            locators = [
                text
                for _, item in cited
                if (item.prefix or item.locator or item.label or item.suffix) and (text := item.note_text())
            ]
            anchors = list(dict.fromkeys(record.anchor for record, _ in cited))
            back_refs = "".join(
                f'&nbsp;<a class="footnote-backref" href="#{anchor}" '
                f'title="Jump back to citation {position} of source {number} in the text">&#8617;</a>'
                for position, anchor in enumerate(anchors, start=1)
            )
        locator_html = (
            f' <span class="citation-locator">Cited here: {html.escape("; ".join(locators))}.</span>'
            if locators
            else ""
        )
        rows.append(
            f'<li id="fn:cite-{html.escape(key)}" value="{number}">'
            f"<p>{formatted[key]}{locator_html}{back_refs}</p></li>"
        )
    # Kept out of Material's search index: the reference list holds the same text, and
    # notes at the end of a page would otherwise be indexed under its last heading.
    return (
        '\n<div class="footnote citation-notes" role="doc-endnotes" data-search-exclude>\n<hr>\n<ol>\n'
        + "\n".join(rows)
        + "\n</ol>\n</div>"
    )


def render_reference_list(
    keys: Sequence[str],
    numbers: Mapping[str, int],
    formatted: Mapping[str, str],
    back_links: Mapping[str, Sequence[BackLink]],
) -> str:
    """The numbered reference list, with back-links a, b, c … to every citation."""
    rows = []
    for key in keys:
        links = back_links.get(key, ())
        link_html = " ".join(
            f'<a href="{html.escape(link.href)}" title="{html.escape(link.title)}">{letter(index)}</a>'
            for index, link in enumerate(links)
        )
        # Navigation, not content: kept out of the search index like the notes.
        cited_in = f' <span class="citation-backlinks" data-search-exclude>Cited: {link_html}</span>' if links else ""
        rows.append(
            f'<li id="ref-{html.escape(key)}" value="{numbers[key]}">'
            f'<span class="csl-entry">{formatted[key]}</span>{cited_in}</li>'
        )
    return '<ol class="bibliography">\n' + "\n".join(rows) + "\n</ol>"


def reference_list_markup(
    keys: Sequence[str],
    numbers: Mapping[str, int],
    formatted: Mapping[str, str],
    back_links: Mapping[str, Sequence[BackLink]],
) -> tuple[str, str]:
    """The reference list as the search index reads it (:func:`indexed_reference_list`), and as the page shows it."""
    return indexed_reference_list(keys, formatted), render_reference_list(keys, numbers, formatted, back_links)


def indexed_reference_list(keys: Sequence[str], formatted: Mapping[str, str]) -> str:
    """The reference list as the search index reads it: the entries' text without styling or back-links."""
    rows = "\n".join(f"<li>{_STYLING_TAG.sub('', formatted[key])}</li>" for key in keys)
    return f"<ol>\n{rows}\n</ol>"


#: Phase one writes this element with a single attribute, so phase two can find it exactly.
_NUMBER_PLACEHOLDER = re.compile(r'<span data-cite-number="([^"]+)"></span>')
#: Pages are split around their citations (:func:`resolve_citations`), five groups each: classes the
#: editor added after ours (attr_list: ``[@key]{: .wide}``); a citation of known sources outside headings
#: as its start tag's attributes before and after the numbers' placeholder (the superscript's own
#: attribute: the keys, apart by spaces) and the placeholder's value; any other citation from after its
#: class on.
_CITATION_ELEMENT = re.compile(
    r'<sup class="citation((?: [^"]*)?)"(?:([^>]*?) data-cite-number="([^"]+)"([^>]*)></sup>|([^>]*>.*?</sup>))',
    re.DOTALL,
)
_BIBLIOGRAPHY_PLACEHOLDER = '<div class="bibliography" data-bibliography=""></div>'


def resolve_citations(
    content: str,
    page: PageCitations,
    numbers: Mapping[str, int],
    format_keys: Callable[[Iterable[str], Mapping[str, int]], dict[str, str]],
    back_links: Mapping[str, Sequence[BackLink]] | None,
    defer: Callable[[str], str],
    swap: Callable[[str, str], str],
    reference_list: Callable[[], tuple[str, str]] | None = None,
) -> str:
    """Phase two for one page (``CitationsExtension.resolve_page``): numbers filled, notes and reference list added.

    ``format_keys`` formats entries by key in the configured style; ``defer`` and ``swap`` as ``after_index``'s.
    ``reference_list``, if given, makes the reference list (as :func:`reference_list_markup` would,
    from the site's numbers and back-links: ``citation_site`` keeps it by content); else it is made
    here from ``back_links``.
    """
    if not page.records and not page.has_bibliography:
        return content

    links: dict[str, str] = {}  # by the attribute as written: a source cited again links alike

    def link(written: str) -> str:
        found = links.get(written)
        if found is None:
            if " " in written:  # several sources' keys (which hold no whitespace): their links, as the <span>s made
                found = links[written] = ", ".join(map(link, written.split(" ")))
                return found
            key = html.unescape(written)  # the serializer escaped the attribute
            found = links[written] = f'<a class="footnote-ref" href="#fn:cite-{html.escape(key)}">{numbers[key]}</a>'
        return found

    # Split, not sub with functions: no call per citation and per number (2,400 on the benchmark's pages).
    parts = _CITATION_ELEMENT.split(content)  # text, classes, before, value, after, other, text, ..., text
    resolved = [parts[0]]
    for position in range(1, len(parts), 6):
        classes, before, written, after, other = parts[position : position + 5]
        if other is None:  # known sources: their links inside, as the <span>s would have been
            resolved.append(defer(f'<sup class="citation{classes}"{before}{after}>{link(written)}</sup>'))
        else:
            pieces = _NUMBER_PLACEHOLDER.split(other)  # markup, attribute as written, markup, ...
            for number in range(1, len(pieces), 2):
                pieces[number] = link(pieces[number])
            resolved.append(defer(f'<sup class="citation{classes}"' + "".join(pieces)))
        resolved.append(parts[position + 5])
    content = "".join(resolved)
    formatted = format_keys(sorted(page.cited_keys(), key=numbers.__getitem__), numbers)
    if page.records:
        content += defer(render_notes(page, numbers, formatted))
    if page.has_bibliography:
        if reference_list is None:
            listed = sorted(numbers, key=numbers.__getitem__)
            markup = reference_list_markup(listed, numbers, format_keys(listed, numbers), back_links or {})
        else:
            markup = reference_list()
        content = content.replace(_BIBLIOGRAPHY_PLACEHOLDER, swap(*markup))
    return content
