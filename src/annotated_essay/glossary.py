"""A cross-linked glossary for Python-Markdown, under MkDocs, Zensical or on its own.

Term pages (``glossary.md``, ``people.md``: see ``glossary_reading`` for their
syntax) make one term table (``glossary_terms``); on every page the linker
(``glossary_linker``) links the first mention of each term to its entry, on
whichever term page it is; each term page is sorted, indexed A–Z and given
"See also" and "Appears in" lines (``glossary_page``).

Under MkDocs or Zensical the extension finds the page it converts and the whole
site itself (``annotated_essay.page_context``, ``annotated_essay.site_index``):
the term pages are read from the site, links point from the page to the term
page, and "Appears in" lists the mentions on every page in reading order, each
page's mentions found once per content (from the page's own conversion when it
came first, else by converting its Markdown without output). No engine event is
needed. On its own (plain Python-Markdown) the term pages are files, and
"Appears in" covers the term page itself.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import attr_list_speed, unescape_speed
from .after_index import AfterIndex
from .build_log import feature_logger
from .content_cache import Table
from .glossary_linker import SCHEME, SUPPRESS, DocumentState, Linker, Mention, PageContext, grouped
from .glossary_match_cache import keep_matches, save_matches
from .glossary_page import AppearsIn, BackLink, EntryOrder, PageMentions, back_link_labels
from .glossary_site import (
    EXTENSION,
    convert_quietly,
    glossary_of,
    kept_json,
    mentions_from_json,
    mentions_table,
    mentions_to_json,
    remember,
    remembered,
    site_glossary,
)
from .glossary_terms import Glossary, GlossaryEntry, GlossaryError
from .page_context import align_source_lines, current_site
from .site_index import SiteIndex, SitePage
from .source_lines import SourceRecorder
from .term_matching import term_key

if TYPE_CHECKING:  # at run time from __getattr__: reading term pages is for cold builds and plain use
    from .glossary_reading import load_glossary, parse_glossary


class GlossaryExtension(Extension):
    """Python-Markdown extension that links glossary terms and renders the term pages."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "glossary": [
                ["glossary.md"],
                "The term pages (under MkDocs or Zensical: paths inside docs_dir), one path or a list.",
            ],
            "link_pages": [["*"], "Pages (glob patterns) whose mentions are linked (under MkDocs or Zensical)."],
            "cache_dir": [
                "",
                "Folder keeping the term table and each page's mentions between builds, by content ('' for none; "
                "under Zensical: the citations extension's folder).",
            ],
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": [
                "",
                "Logger for warnings (default: the glossary's logger, counted by --strict under both engines).",
            ],
        }
        super().__init__(**kwargs)
        #: Set by the MkDocs hook: link tags and "Appears in" lines wait for the search index.
        self.deferred = False
        #: Markup held back from the search index (deferred mode).
        self.after_index = AfterIndex("glossary")
        #: The page being converted.
        self.context = PageContext(hrefs={page: Path(page).name for page in self.term_pages})
        self._plain_context = self.context
        self._glossary: Glossary | None = None
        self._site: tuple[SiteIndex, SitePage] | None = None
        #: The glossary links of the page converted last, as recorded (see :attr:`mentions`).
        self._mentions: tuple[str, ...] = ()
        #: A scanning instance: never asks the engine which page it converts.
        self._scanning = False
        #: Where the term table and the pages' mentions are kept between builds (site mode), if anywhere.
        self._cache_dir: str | None = None
        #: The site index the term table and the scan key were found for (site mode).
        self._table_site: SiteIndex | None = None
        self._scan_key_of: tuple[SiteIndex, str] | None = None

    # -- settings -------------------------------------------------------------------------

    @property
    def term_pages(self) -> list[str]:
        """The configured term pages, the glossary first."""
        value = self.getConfig("glossary")
        return [value] if isinstance(value, str) else [str(page) for page in value]

    @property
    def link_patterns(self) -> list[str]:
        """Glob patterns of the pages whose mentions are linked."""
        value = self.getConfig("link_pages") or []
        return [value] if isinstance(value, str) else [str(pattern) for pattern in value]

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go; under MkDocs an ``mkdocs.*`` logger, so ``--strict`` counts them."""
        configured = self.getConfig("logger")
        return configured if configured else feature_logger("glossary")

    # -- the term table -------------------------------------------------------------------

    @property
    def glossary(self) -> Glossary:
        """The term table (on its own: read from the configured files on first use).

        Raises:
            GlossaryError: A term page is missing or unreadable, or entries collide.
        """
        if self._glossary is None:
            from .glossary_reading import load_glossary  # here: under MkDocs and Zensical the site has the table

            self.use_glossary(load_glossary(self.term_pages))
        assert self._glossary is not None
        return self._glossary

    def use_glossary(self, glossary: Glossary) -> None:
        """Use this term table for the next pages and report its warnings (used on its own)."""
        self._glossary = glossary
        for warning in glossary.warnings:
            self.logger.warning(warning)

    def set_page(
        self,
        source_name: str,
        line_offset: int = 0,
        *,
        href: str | dict[str, str],
        link: bool,
        is_glossary_page: bool,
    ) -> None:
        """Describe the page about to be converted, when no engine tells the extension (used on its own).

        ``href`` is the link to the glossary page from this page (or one per term page).
        """
        hrefs = href if isinstance(href, dict) else {self.term_pages[0]: href}
        self._plain_context = PageContext(
            source_name=source_name,
            line_offset=line_offset,
            link=link,
            term_page=self.term_pages[0] if is_glossary_page else None,
            hrefs=hrefs,
        )

    # -- conversion -----------------------------------------------------------------------

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the processors on ``md``."""
        md.registerExtension(self)
        state = DocumentState()
        # Priority 39: before every built-in preprocessor, to see lines as written (citations use 40).
        md.preprocessors.register(_PageStart(self, md), "glossary_page_start", 39.5)
        md.preprocessors.register(SourceRecorder(md, state), "glossary_source", 39)
        align_source_lines(md)
        # Priority 6: after inline (20) and attr_list (8), so entry headings carry their
        # ids; before toc (5), so the table of contents shows the sorted entries.
        md.treeprocessors.register(EntryOrder(self, md), "glossary_page", 6)
        # Priority 4: after toc (5), so headings have ids for back-links. Under the MkDocs
        # hook the links are comment placeholders with final URLs, which MkDocs' relpath (0)
        # then neither resolves nor checks: our ids are the term page headings' own.
        md.treeprocessors.register(_RecordingLinker(self, state, md), "glossary_links", 4)
        # Priority 3: after the linker, which records this page's own mentions.
        md.treeprocessors.register(AppearsIn(self, state, md), "glossary_appears", 3)
        # Priority 35: before raw HTML is restored (30), so only the linker's markers are turned
        # into placeholder comments, never text of the stash; and before anything reads them.
        md.postprocessors.register(_MarkerComments(self, md), "glossary_markers", 35)
        # Python-Markdown's passes over every element of the page pass by what they have nothing to
        # do with: unescape the many values without an escape (our links', the citations'), attr_list
        # a page without "{". (attr_list is installed before: it comes first in a site's extensions.)
        unescape_speed.install(md)
        attr_list_speed.install(md)

    def start_page(self, md: Markdown) -> None:
        """Find the page ``md`` converts and its term table (called before each conversion).

        Raises:
            GlossaryError: A term page is missing, or entries collide.
        """
        found = None if self._scanning else current_site(md)
        self._site = found
        if found is None:
            self.context = self._plain_context
            return
        site, page = found
        pages = self.term_pages
        cache_dir = self._folder(md)
        if site is not self._table_site or cache_dir != self._cache_dir or self._glossary is None:
            # A site index is made anew when a file changes: the same one, the same term table.
            self._cache_dir = cache_dir
            self._glossary = site_glossary(site, pages, cache_dir)
            keep_matches(self._glossary.names, cache_dir)  # a warm build then never compiles the names
            self._table_site = site
        src = page.src_uri
        self.context = PageContext(
            source_name=src,
            line_offset=page.line_offset,
            link=any(fnmatch.fnmatchcase(src, pattern) for pattern in self.link_patterns),
            term_page=src if src in pages else None,
            hrefs={term_page: self._link(site, src, term_page) for term_page in pages},
            entry_noun="glossary entry" if src == pages[0] else "entry",
        )
        if src == pages[0]:  # once per build: the glossary page is converted once
            for warning in self._glossary.warnings:
                self.logger.warning(warning)

    def _folder(self, md: Markdown) -> str | None:
        """The cache folder: the configured one (the MkDocs hook's), else under Zensical the citations' folder.

        Zensical has no hook to set ours; the citations extension's folder is the
        project's one cache folder (kept across ``zensical build --clean``).
        """
        configured = self.getConfig("cache_dir")
        if configured or self.deferred:  # the MkDocs hook set it ('' in mkdocs.yml: none)
            return str(configured) or None
        from .essay_site import citations_of  # here: the citations extension is loaded only with a site

        citations = citations_of(md)
        return citations.cache_dir if citations is not None else None

    def save_matches(self) -> None:
        """Write the names' finds in this build's texts to the cache folder (once, after the last page)."""
        if self._glossary is not None:
            save_matches(self._glossary.names)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """The glossary links of the page converted last."""
        return grouped(self._mentions)

    def finish_page(self, mentions: Sequence[str]) -> None:
        """Keep a converted page's mentions, as recorded, for the term pages' "Appears in" (site mode)."""
        self._mentions = tuple(mentions)
        if self._site is not None:
            _, page = self._site
            remember(self._scan_key(), page, self._mentions)

    # -- the whole site -------------------------------------------------------------------

    def other_pages(self) -> Sequence[PageMentions]:
        """The glossary links on every other page of the site, in reading order (none on its own)."""
        if self._site is None:
            return []
        site, current = self._site
        key = self._scan_key()
        stored = mentions_table(key, self._cache_dir)
        found = site.scan("glossary", lambda page: self._mentions_on(site, page, key, stored), key)
        stored.save()  # once per term page, and only if a page was scanned
        return [
            PageMentions(page.display_title, self._link(site, current.src_uri, page.src_uri), mentions)
            for page, mentions in found
            if page.src_uri != current.src_uri
        ]

    def kept(self, kind: str, own: Sequence[Mention], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """``compute()`` (a term page's "Appears in" lines), kept by content (``glossary_site.kept_json``) in a site."""
        if self._site is None:
            return compute()
        site, current = self._site
        parts = [kind, self._scan_key(), current.src_uri, str(self.deferred), self.context.entry_noun, repr(tuple(own))]
        return kept_json(site, parts, compute, self._cache_dir)

    def _link(self, site: SiteIndex, from_src_uri: str, to_src_uri: str) -> str:
        """A link from one page to another, for an ``href`` the linker writes.

        Held back from the search index (the MkDocs hook), the tags join the page
        as they are: the site's final URL. Otherwise the engine resolves the links
        of the HTML it converted, relative to the Markdown file, as for a Markdown
        link (Zensical rewrites ``../../people/`` from ``essay/opening.md`` to
        ``../../../people/``): then the link names the target's Markdown file.
        """
        if self.deferred:
            return site.link(from_src_uri, to_src_uri)
        if from_src_uri == to_src_uri:
            return ""
        return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")

    def report_unmentioned(self, mentioned: Iterable[str]) -> None:
        """Warn about entries that no page mentions (once per build: on the glossary page, site mode)."""
        if self._site is None or self.context.term_page != self.term_pages[0]:
            return
        seen = set(mentioned)
        for entry in self.glossary.entries:
            if entry.id not in seen:
                self.logger.warning(
                    f"{entry.where}: entry '{entry.term}' is never mentioned on a linked page; add an alias "
                    f"matching the text's wording, link it with [text]({SCHEME}{entry.id}), or delete the entry."
                )

    def _scan_key(self) -> str:
        """What a page's mentions depend on besides its content: the term table and the settings."""
        assert self._site is not None
        site = self._site[0]
        if self._scan_key_of is not None and self._scan_key_of[0] is site:  # every page but the first
            return self._scan_key_of[1]
        digests = [page.digest for name in self.term_pages if (page := site.page(name)) is not None]
        parts = [*digests, *self.term_pages, "|", *self.link_patterns, "|", repr(site.markdown_extensions)]
        key = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        self._scan_key_of = (site, key)
        return key

    def _mentions_on(self, site: SiteIndex, page: SitePage, key: str, stored: Table) -> tuple[Mention, ...]:
        """A page's mentions: kept from an earlier build, from its own conversion, or converted without output."""
        kept = stored.get(page.digest)
        if kept is not None:
            return mentions_from_json(kept)
        mentions = self._convert_for_mentions(site, page, key)
        stored.put([(page.digest, mentions_to_json(mentions))])
        return mentions

    def _convert_for_mentions(self, site: SiteIndex, page: SitePage, key: str) -> tuple[Mention, ...]:
        converted = remembered(key, page)
        if converted is not None:
            return grouped(converted)
        scanner = GlossaryExtension(logger=logging.getLogger("markdown.glossary.scan"))
        scanner._scanning = True
        scanner._glossary = self.glossary
        scanner._plain_context = PageContext(
            source_name=page.src_uri,
            line_offset=page.line_offset,
            link=any(fnmatch.fnmatchcase(page.src_uri, pattern) for pattern in self.link_patterns),
            term_page=page.src_uri if page.src_uri in self.term_pages else None,
            hrefs={},
        )
        scanner._scan_result = ()
        convert_quietly(site, scanner, page.markdown)
        return scanner._scan_result

    _scan_result: tuple[Mention, ...]


class _PageStart(Preprocessor):
    """Before each conversion: which page, which term table."""

    def __init__(self, extension: GlossaryExtension, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.start_page(self.md)
        return lines


class _MarkerComments(Postprocessor):
    """The linker's text markers as the placeholder comments the hooks fill (``AfterIndex.comments``)."""

    def __init__(self, extension: GlossaryExtension, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        return self.extension.after_index.comments(text)


class _RecordingLinker(Linker):
    """The linker, which also hands the page's mentions to its extension."""

    host: GlossaryExtension

    def run(self, root: etree.Element) -> None:
        super().run(root)
        if self.host._scanning:
            self.host._scan_result = grouped(self.state.mentions)
        else:
            self.host.finish_page(self.state.mentions)


def __getattr__(name: str) -> Any:
    """``load_glossary`` and ``parse_glossary``, from ``glossary_reading``, imported on first use."""
    if name in ("load_glossary", "parse_glossary"):
        from . import glossary_reading

        return getattr(glossary_reading, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def makeExtension(**kwargs: Any) -> GlossaryExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.glossary"])``."""
    return GlossaryExtension(**kwargs)


__all__ = [
    "EXTENSION",
    "SCHEME",
    "SUPPRESS",
    "BackLink",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "GlossaryExtension",
    "Mention",
    "back_link_labels",
    "glossary_of",
    "load_glossary",
    "makeExtension",
    "parse_glossary",
    "site_glossary",
    "term_key",
]
