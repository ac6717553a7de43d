"""The essay's metadata as one page's conversion sees it, under MkDocs or Zensical.

The landing page's blocks, the ``<meta>`` tags and the print view need facts
about the whole site: ``extra.essay`` from the configuration, the edition's
date, the essay's length, the works cited in reading order. They read them from
the site index (``page_context.current_site``), which both engines give an
extension, so no MkDocs event is needed. What is derived is kept by the site's
content digest (and ``SOURCE_DATE_EPOCH``): each build reads it once, an edit
reads it again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from .essay_metadata import EssayMeta, config_line, content_paths, edition_date, read_meta
from .page_context import current_site
from .reading_time import essay_words

if TYPE_CHECKING:
    from markdown import Markdown

    from .citations import CitationsExtension
    from .site_index import SiteIndex, SitePage

#: Where an extension reports ``extra.essay``'s slips when no hook has read it first (Zensical).
LOGGER = logging.getLogger("annotated_essay.essay")


class EssaySite:
    """The essay's metadata and what the whole site says about it (not changed once made)."""

    # A plain class: a frozen dataclass costs ~0.4 ms to make at import, under Zensical inside the first page.
    __slots__ = ("index", "meta", "words")

    def __init__(self, index: SiteIndex, meta: EssayMeta, words: int) -> None:
        self.index = index
        self.meta = meta
        #: Words on the essay's pages, as a reader reads them (the reading time).
        self.words = words

    def is_article(self, page: SitePage) -> bool:
        """Whether ``page`` is the essay itself: the landing page, an essay page or the print view."""
        uri = page.src_uri
        return uri == "index.md" or uri.startswith(self.meta.folder) or uri == self.meta.print_page


def essay_site(
    index: SiteIndex, warn: Callable[[str], None] = LOGGER.warning, cache_dir: str | None = None
) -> EssaySite:
    """The essay's facts for the site ``index``: read once per content and ``SOURCE_DATE_EPOCH``.

    ``warn`` receives ``extra.essay``'s slips (unknown fields) the first time
    they are read; the MkDocs hook reads first, with its own logger, and gives
    the folder kept between builds (``cache_dir``) for the word count.

    Raises:
        annotated_essay.essay_metadata.MetaError: ``extra.essay`` cannot be used.
    """
    key = _key(index)
    found = _KEPT.get(key)
    if found is None:
        found = _read(index, warn, cache_dir)
        if len(_KEPT) >= 8:
            _KEPT.pop(next(iter(_KEPT)))
        _KEPT[key] = found
    return found


#: What :func:`essay_site` read, by configuration file, content digest and date override.
_KEPT: dict[tuple[str, str, str], EssaySite] = {}


def _key(index: SiteIndex) -> tuple[str, str, str]:
    return (str(index.config_file), index.digest, os.environ.get("SOURCE_DATE_EPOCH", ""))


def _read(index: SiteIndex, warn: Callable[[str], None], cache_dir: str | None) -> EssaySite:
    settings = index.extra.get("essay")
    date, _ = edition_date(index.config_file.parent, content_paths(settings))
    meta = read_meta(
        settings,
        source=str(index.config_file),
        line=config_line(str(index.config_file)),
        edition_date=date,
        site_url=index.site_url,
        warn=warn,
    )
    words = essay_words(((page.src_uri, page.markdown) for page in index.pages), meta.folder, cache_dir)
    return EssaySite(index=index, meta=meta, words=words)


def essay_site_of(md: Markdown) -> tuple[EssaySite, SitePage] | None:
    """The essay's facts and the page ``md`` converts; None outside a site (plain Python-Markdown)."""
    site = current_site(md)
    if site is None:
        return None
    index, page = site
    found = _KEPT.get(_key(index))  # read already (every page but the first): no folder to look for
    if found is not None:
        return found, page
    citations = citations_of(md)  # its folder kept between builds, for the word count (Zensical)
    return essay_site(index, cache_dir=citations.cache_dir if citations is not None else None), page


def citations_of(md: Markdown) -> CitationsExtension | None:
    """The citations extension converting alongside, for its bibliography and CSL formatter."""
    from .citations import CitationsExtension

    return next((ext for ext in md.registeredExtensions if isinstance(ext, CitationsExtension)), None)


def works_cited(citations: CitationsExtension, index: SiteIndex) -> list[str]:
    """The keys the site cites, in order of first citation in reading order."""
    from .citation_site import scan_site

    return list(dict.fromkeys(key for _, found in scan_site(citations, index) for key in found.cited_keys()))


__all__ = ["LOGGER", "EssaySite", "citations_of", "essay_site", "essay_site_of", "works_cited"]
