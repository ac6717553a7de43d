"""The glossary across a site: its term table, and each page's mentions found once per content.

The term table is read from the site's term pages (``glossary.md``,
``people.md``) once per content, for every page of a build and for other
extensions that check ``glossary:`` ids (the timeline, :func:`glossary_of`).

A term page's "Appears in" needs every page's mentions. A page converted
earlier in the same build left them here (:func:`remember`); any other page is
converted once more without output (:func:`convert_quietly`) by a Markdown
instance with the site's extensions, so that the page has the structure and the
``glossary:`` links its own conversion gives it, except two: the glossary itself
(the caller's scanning instance takes its place) and the citations, for which a
stand-in keeps bracketed citations opaque, as the citations extension does.
Warnings are silenced while scanning: the page's own conversion reports them.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from . import content_cache
from .glossary_linker import Mention
from .glossary_terms import Glossary, GlossaryError
from .site_index import SiteIndex, SitePage

EXTENSION = "annotated_essay.glossary"
#: The citations extension, replaced while scanning by a stand-in (its notes carry no mentions).
CITATIONS = "annotated_essay.citations"
#: Term tables by the term pages' digests: every page of a build reads the same one.
_TABLES: dict[tuple[str, ...], Glossary] = {}
#: What the term pages' "Appears in" lines are kept as (named as the mentions, which our cache prunes).
APPEARS = "glossary-mentions-appears"
#: Mentions found while converting a page, by (settings key, page, page digest): a later scan reuses them.
_CONVERTED: dict[tuple[str, str, str], tuple[str, ...]] = {}
#: How many pages' mentions are kept (a 1,600-page site rebuilt a dozen times after edits).
_KEPT = 20_000
#: The site's extensions usable while scanning, per configuration (names and settings).
_USABLE: dict[str, tuple[list[str], dict[str, dict[str, object]]]] = {}


def glossary_of(site: SiteIndex) -> Glossary | None:
    """The site's term table (all term pages) as configured, or None without the glossary extension.

    For other extensions that check ``glossary:`` ids (the timeline).

    Raises:
        GlossaryError: A term page is missing, or entries collide.
    """
    settings = site.extension_config(EXTENSION)
    if settings is None:
        return None
    value = settings.get("glossary", "glossary.md")
    return site_glossary(site, [value] if isinstance(value, str) else [str(page) for page in value])


def site_glossary(site: SiteIndex, term_pages: Sequence[str], cache_dir: str | None = None) -> Glossary:
    """The term table of a site's term pages, read once per content (kept in ``cache_dir`` between builds).

    Raises:
        GlossaryError: A term page is not among the site's pages, or entries collide.
    """
    pages = []
    for name in term_pages:
        page = site.page(name)
        if page is None:
            raise GlossaryError(
                f"{site.config_file.name}: the glossary page '{name}' is not among the documentation files in "
                f"{site.docs_dir.name}; create it or change 'glossary' under {EXTENSION} in "
                f"{site.config_file.name}."
            )
        pages.append(page)
    key = tuple(f"{page.src_uri}\0{page.digest}" for page in pages)
    glossary = _TABLES.get(key)
    if glossary is None:

        def read() -> Glossary:
            from . import glossary_reading  # here: a warm build reads no term page

            names, configs = _usable_extensions(site)
            # As the site reads the page (fences or not …), without the table of contents, which would
            # give every heading an id of its own (the parse tells given ids from made ones), nor ours.
            names = [n for n in names if n.rsplit(".", 1)[-1] != "toc" and not n.startswith("annotated_essay")]
            return glossary_reading.build_glossary(
                [(page.markdown, page.line_offset, page.src_uri, page.src_uri) for page in pages],
                extensions=names,
                configs={name: configs[name] for name in names},
            )

        # Reading the term pages converts them: a build finding the same pages, settings and code skips it.
        # Keyed by the extensions as configured, of which the usable ones are chosen (trying each takes
        # milliseconds), and by the versions of the libraries they come from (in the code digest).
        glossary = content_cache.cached(
            "glossary-table",
            content_cache.digest(_code_digest(), *key, repr(site.markdown_extensions)),
            read,
            cache_dir,
            expect=Glossary,
        )
        _TABLES.clear()  # one site's table at a time; a rebuild after an edit reads the new one
        _TABLES[key] = glossary
    return glossary


def remember(key: str, page: SitePage, mentions: tuple[str, ...]) -> None:
    """Keep the mentions a page's own conversion found, as recorded (``key``: what they depend on besides the page).

    As recorded: four strings each (``glossary_linker.DocumentState.mentions``), no tuple each, for the build.
    """
    if len(_CONVERTED) >= _KEPT:  # a long `serve` session: start again rather than grow without end
        _CONVERTED.clear()
    _CONVERTED[(key, page.src_uri, page.digest)] = mentions


def remembered(key: str, page: SitePage) -> tuple[str, ...] | None:
    """The mentions a conversion of this page's content found, if one ran (as recorded: see :func:`remember`)."""
    return _CONVERTED.get((key, page.src_uri, page.digest))


def mentions_table(scan_key: str, cache_dir: str | None) -> content_cache.Table:
    """Every page's mentions by the page's digest, kept in ``cache_dir`` between builds (none: this process).

    ``scan_key`` covers the term table and the settings (see ``GlossaryExtension``);
    the table's key adds this code and the versions of the libraries that parse the
    pages, so a warm build converts no page a second time and a stale result is never used.
    """
    return content_cache.Table.open("glossary-mentions", content_cache.digest(_code_digest(), scan_key), cache_dir)


def kept_json(
    site: SiteIndex, parts: Sequence[str], compute: Callable[[], dict[str, Any]], cache_dir: str | None
) -> dict[str, Any]:
    """``compute()`` (a term page's "Appears in" lines), kept as JSON by a digest of ``parts``, the site and this code.

    The site is its index's digest (the configuration, every page's path and
    content) and the pages' titles and URLs as read: with the scan key among
    ``parts`` (the term table and settings) they determine every page's
    mentions. A file of its own (``glossary-mentions-appears-*``): a warm build
    reads it and not the pages' mentions.
    """
    titles = (f"{page.title}\0{page.url}" for page in site.pages)
    key = content_cache.digest(_code_digest(), *parts, site.digest, *titles)
    text = content_cache.cached(
        APPEARS, key, lambda: json.dumps(compute(), ensure_ascii=False), cache_dir, file_format="text", expect=str
    )
    return cast(dict[str, Any], json.loads(text))


def mentions_to_json(mentions: Sequence[Mention]) -> str:
    """A page's mentions as a cache value."""
    return json.dumps(list(mentions), ensure_ascii=False)  # each a JSON array of four strings


def mentions_from_json(text: str) -> tuple[Mention, ...]:
    """A page's mentions from a cache value (see :func:`mentions_to_json`)."""
    return tuple((entry_id, anchor, section_id, title) for entry_id, anchor, section_id, title in json.loads(text))


@functools.cache
def _code_digest() -> str:
    """What a page's mentions depend on besides the page, the term table and the settings: code and libraries."""
    from . import glossary, glossary_linker, glossary_page, glossary_terms, source_lines, term_matching

    modules = (glossary, glossary_linker, glossary_page, glossary_terms, source_lines, term_matching)
    reading = str(Path(__file__).with_name("glossary_reading.py"))  # by its file: imported on a miss only
    return content_cache.digest(
        content_cache.source_digest(*modules, reading, __file__),
        content_cache.versions_digest("markdown", "pymdown-extensions"),
    )


def convert_quietly(site: SiteIndex, scanner: Extension, markdown: str) -> None:
    """Convert ``markdown`` with the site's extensions and ``scanner`` in the glossary's place, output unused."""
    names, configs = _usable_extensions(site)
    md = Markdown(extensions=[_ScanExtension(), scanner, *names], extension_configs=configs)
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)  # the page's own conversion reports its problems, once
    try:
        md.convert(markdown)
    finally:
        logging.disable(previous)


def _usable_extensions(site: SiteIndex) -> tuple[list[str], dict[str, dict[str, object]]]:
    """The site's extensions but the glossary and the citations, each checked once: it loads here."""
    key = repr(site.markdown_extensions)
    found = _USABLE.get(key)
    if found is not None:
        return found
    names: list[str] = []
    configs: dict[str, dict[str, object]] = {}
    for name, settings in site.markdown_extensions:
        if name in (EXTENSION, CITATIONS):  # the scanner's, and the stand-in's
            continue
        try:  # a setting written as a YAML tag (!!python/name:) cannot be used here: go without it
            Markdown(extensions=[name], extension_configs={name: dict(settings)})
        except Exception:  # any extension's own error: the scan does without it
            continue
        names.append(name)
        configs[name] = dict(settings)
    _USABLE[key] = (names, configs)
    return names, configs


class _CitationStandIn(InlineProcessor):
    """While scanning for mentions: a bracketed citation is one opaque span, as the citations extension makes it."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        span = etree.Element("span", {"class": "citation"})
        span.text = AtomicString(m.group(0))
        return span, m.start(0), m.end(0)


class _ScanExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        # Priority 185: before links (160) and footnote references (175), as the citations extension parses them.
        md.inlinePatterns.register(_CitationStandIn(r"\[[^\[\]@]*+@[^\[\]]*+\]", md), "glossary_citation", 185)
