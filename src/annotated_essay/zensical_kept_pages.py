"""Under Zensical, whole pages kept between builds: a page whose inputs are all unchanged is not converted again.

``zensical build --clean`` converts every page (Zensical 0.0.73 then empties its
own ``.cache/``), and most of a warm build's time is Python-Markdown converting
pages whose every input is as it was. Each Zensical conversion of a page is kept
in the project's cache folder (beside the print view's later pages, see
:mod:`.zensical_pages`) under a digest of all it reads: what
:func:`.zensical_pages.conversion_key` covers (the site's configuration and
every page's bytes, the extensions and their settings, the files those name,
this package's code, the libraries' versions, ``SOURCE_DATE_EPOCH``), the
edition's date (from git, as the essay's metadata has it), and what Zensical
hands the conversion (the Markdown, the page's path, URL, titles and metadata).
Only with extensions whose inputs are known (else nothing is kept).

What Zensical takes from a conversion comes back as it was: the HTML, the table
of contents (``toc_tokens``, ``toc``) and the page's metadata and titles (the
``<meta>`` tags). So do the warnings it logged, logged again in the same order
(a warm build warns as a cold one). The print view is told of the page as after
a conversion, and the files a conversion wrote into the site folder (the
citation files, by the landing page) are written again. Not kept: a conversion
that logged an error (which fails the build), the print page when its view used
copies of later pages not checked yet (a stale one would live on in it), and
the print view's own quiet conversions of other pages.

The conversion is skipped by giving the page's Markdown instance a ``convert``
of its own: Python-Markdown has no step before its processors at which an
extension could hand back a finished page.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

from markdown import Markdown

from . import content_cache
from .citation_settings import CACHE_DIR
from .essay_metadata import content_paths, edition_date
from .essay_site import citations_of
from .page_context import current_site
from .site_index import SiteIndex
from .zensical_pages import conversion_key, converted_page, copies_used, noting_site_files, write_site_file

T = TypeVar("T")
#: The cache's name for kept pages.
_KIND = "kept-page"


class KeptPage(NamedTuple):
    """What Zensical takes from one conversion of a page, and the warnings it logged."""

    html: str
    toc_tokens: list[dict[str, Any]]
    toc: str
    meta: dict[str, Any]
    title: str | None
    rendered_title: str | None
    #: ``(logger name, level, message)`` of every record logged while converting, in order.
    records: tuple[tuple[str, int, str], ...]
    #: ``(path below the site folder, text)`` of every file the conversion wrote there (the citation files).
    files: tuple[tuple[str, str], ...]


def keep_pages(md: Markdown) -> None:
    """Have ``md`` (a page's Markdown instance under Zensical) give back a kept page or keep what it converts."""
    md.convert = functools.partial(_convert, md, md.convert)  # type: ignore[method-assign]


class _Unkept(Exception):  # noqa: N818 (not a failure: a converted page that is not to be kept)
    def __init__(self, html: str) -> None:
        super().__init__("not kept")
        self.html = html


class _Records(logging.Handler):
    """Every record that reaches the root logger while a page is converted (Zensical configures no logging)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _convert(md: Markdown, convert: Callable[[str], str], source: str) -> str:
    if logging.root.manager.disable >= logging.WARNING:  # the print view's quiet conversions of other pages
        return convert(source)
    found = _key(md, source)
    if found is None:
        return convert(source)
    key, folder, page, config = found
    made: list[KeptPage] = []

    def conversion() -> KeptPage:
        copies = copies_used()
        records = _Records()
        logging.getLogger().addHandler(records)
        try:
            with noting_site_files() as written:
                html = convert(source)
        finally:
            logging.getLogger().removeHandler(records)
        if any(level >= logging.ERROR for _, level, _ in records.records) or copies_used() != copies:
            # An error fails the build, and what it reports (a stale copy of the print view's) is
            # gone next time; the print view made with copies not checked yet could hold a stale one.
            raise _Unkept(html)
        kept = KeptPage(
            html=html,
            toc_tokens=_copy(getattr(md, "toc_tokens", [])),
            toc=str(getattr(md, "toc", "")),
            meta=_copy(page.meta),
            title=page.title_override,
            rendered_title=page.rendered_metadata_title,
            records=tuple(records.records),
            files=tuple(written),
        )
        made.append(kept)
        return kept

    try:
        kept = content_cache.cached(_KIND, key, conversion, folder, expect=KeptPage)
    except _Unkept as unkept:
        return unkept.html
    if made:
        return kept.html
    return _restore(md, page, config, kept)


def _restore(md: Markdown, page: Any, config: dict[str, Any], kept: KeptPage) -> str:
    """Give Zensical what the kept conversion gave it; log its warnings again; write its files; tell the print view."""
    md.toc_tokens = _copy(kept.toc_tokens)  # type: ignore[attr-defined]
    md.toc = kept.toc  # type: ignore[attr-defined]
    page.meta.clear()
    page.meta.update(_copy(kept.meta))
    page.title = kept.title
    page.rendered_metadata_title = kept.rendered_title
    for name, level, message in kept.records:
        logging.getLogger(name).log(level, message)
    for relative, text in kept.files:
        write_site_file(Path(str(config["site_dir"])), relative, text)
    site = current_site(md)
    if site is not None:
        converted_page(site[0], site[1], kept.html)
    return kept.html


def _copy(value: T) -> T:
    """A deep copy of plain data (the table of contents, page metadata): what is kept is never shared."""
    return cast(T, pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))  # quicker than deepcopy


def _edition(index: SiteIndex) -> str:
    """The edition's date as the essay's metadata has it (from git or SOURCE_DATE_EPOCH): the one input not in a file.

    Found once per site content and ``SOURCE_DATE_EPOCH``, as ``essay_site`` finds it for the pages.
    """
    found = (str(index.config_file), index.digest, os.environ.get("SOURCE_DATE_EPOCH", ""))
    if found not in _EDITIONS:
        date, _ = edition_date(index.config_file.parent, content_paths(index.extra.get("essay")))
        if len(_EDITIONS) >= 4:
            _EDITIONS.pop(next(iter(_EDITIONS)))
        _EDITIONS[found] = date.isoformat()
    return _EDITIONS[found]


#: :func:`_edition` by configuration file, site digest and ``SOURCE_DATE_EPOCH``.
_EDITIONS: dict[tuple[str, str, str], str] = {}


def _key(md: Markdown, source: str) -> tuple[str, str, Any, dict[str, Any]] | None:
    """The kept page's key, the cache folder and Zensical's page; None when the page cannot be kept."""
    if "rendering_context" not in md.preprocessors:
        return None
    context = md.preprocessors["rendering_context"]
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(config, dict):
        return None
    try:
        site = current_site(md)  # also sets up warnings and --strict for the process (zensical_support)
    except Exception:  # the conversion reports it, with its file and line
        return None
    citations = citations_of(md)
    if site is None or citations is None:
        return None
    index, site_page = site
    # The citations' folder, as their settings check sets it when the conversion starts (citation_settings).
    folder = citations.cache_dir or (None if citations.cache_dir_given else str(index.config_file.parent / CACHE_DIR))
    if not folder:
        return None
    try:
        meta_text = json.dumps(page.meta, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    seen = [
        _KIND,
        source,
        str(page.url),
        str(page.path),
        repr(page.title_override),
        repr(page.title),
        repr(page.rendered_metadata_title),
        meta_text,
        str(index.config_file),
        str(index.docs_dir),
        _edition(index),
    ]
    key = conversion_key(config, index, [site_page], seen)
    return None if key is None else (key, folder, page, config)


__all__ = ["KeptPage", "keep_pages"]
