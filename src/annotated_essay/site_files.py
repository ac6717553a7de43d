"""Which Markdown files are the site's pages, at which URLs, in which reading order: MkDocs' rules.

The site index (:mod:`annotated_essay.site_index`) must list exactly the pages
MkDocs 1.6 builds, in its reading order, under either engine; Zensical, which
follows ``mkdocs.yml`` too, offers no such list to an extension. Those rules are
MkDocs' own and apart from what the index keeps and when it reads again: the
files below ``docs_dir`` in ``mkdocs.structure.files.get_files``' order,
``exclude_docs`` and ``draft_docs`` left out, ``README.md`` beside ``index.md``
dropped as MkDocs drops it, then the navigation's pages first (``nav:``, or
every page but ``not_in_nav`` when there is none) and the others after them.
Here those rules are followed without MkDocs, and only paths are worked out;
reading the pages is the index's.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from annotated_essay.site_config import nav_pages
from annotated_essay.site_urls import page_url

__all__ = ["MARKDOWN_SUFFIXES", "page_files"]

#: File endings MkDocs treats as Markdown pages (``mkdocs.utils.markdown_extensions``).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def page_files(
    config: Mapping[str, Any], docs_dir: Path, use_directory_urls: bool
) -> list[tuple[str, Path, str, str | None, bool]]:
    """The site's pages in reading order: ``(src_uri, path, url, nav title, in nav)`` each.

    ``src_uri`` is the path below ``docs_dir`` with ``/`` separators, ``url``
    the site-relative URL (MkDocs' ``File.src_uri`` and ``Page.url``); the
    title is the navigation's, None when it gives none or does not list the page.
    """
    excluded = _exclusions(config, "exclude_docs", [".*", "/templates/"])
    drafts = _exclusions(config, "draft_docs", [])
    files: dict[str, Path] = {}
    by_url: dict[str, str] = {}
    urls: dict[str, str] = {}
    # os.walk joins the folder's path and the names: the rest after it is the page's path
    # below docs_dir (as Path.relative_to gives it, without three Path objects per page).
    prefix = os.path.join(docs_dir, "")
    for file in _walk(docs_dir):
        if file.startswith(prefix):
            src_uri = file[len(prefix) :].replace(os.sep, "/")
        else:
            src_uri = Path(file).relative_to(docs_dir).as_posix()
        if excluded(src_uri) or drafts(src_uri):
            continue
        url = urls[src_uri] = page_url(src_uri, use_directory_urls)
        previous = by_url.get(url)
        if previous is not None:  # README.md beside index.md: MkDocs keeps the file sorted later
            del files[previous]
        by_url[url] = src_uri
        files[src_uri] = Path(file)
    nav_config = config.get("nav")
    if nav_config is None:
        # MkDocs' nav without `nav:`: every page in file_sort_key order, not_in_nav left out.
        not_in_nav = _exclusions(config, "not_in_nav", [])

        def sort_key(uri: str) -> tuple[tuple[str, ...], bool, str]:
            parts = tuple(uri.split("/"))
            stem = posixpath.splitext(parts[-1])[0]
            return parts[:-1], stem not in ("index", "README"), parts[-1]

        nav_entries: list[tuple[str | None, str]] = [
            (None, uri) for uri in sorted(files, key=sort_key) if not not_in_nav(uri)
        ]
    else:
        nav_entries = list(nav_pages(nav_config))
    titles: dict[str, str | None] = {}
    for title, target in nav_entries:
        uri = target.lstrip("/") if target.startswith("/") else posixpath.normpath(target)
        if uri in files and uri not in titles:
            titles[uri] = title
    order = [*titles, *(uri for uri in files if uri not in titles)]
    return [(uri, files[uri], urls[uri], titles.get(uri), uri in titles) for uri in order]


def _walk(docs_dir: Path) -> Iterator[str]:
    """Markdown files below ``docs_dir`` in MkDocs' order (``get_files``: index/README first per folder)."""
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        dirnames.sort()
        filenames.sort(key=lambda name: (os.path.splitext(name)[0] not in ("index", "README"), name))
        for filename in filenames:
            if filename.endswith(MARKDOWN_SUFFIXES):
                yield os.path.join(source_dir, filename)


def _exclusions(config: Mapping[str, Any], setting: str, defaults: list[str]) -> Callable[[str], bool]:
    import pathspec  # a dependency of both MkDocs and Zensical; only needed here

    value = config.get(setting)
    lines = [*defaults, *(value.splitlines() if isinstance(value, str) else [])]
    if not lines:
        return lambda _uri: False
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec.match_file
