"""Page URLs as MkDocs 1.6 gives them, without MkDocs: the same links must come out under Zensical.

Follows ``mkdocs.structure.files`` (``File.url``) and ``mkdocs.utils.get_relative_url``;
``tests/test_site_index.py`` compares both with MkDocs' own.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

__all__ = ["page_url", "relative_url"]


def relative_url(url: str, other: str) -> str:
    """``url`` relative to ``other``, exactly as ``mkdocs.utils.get_relative_url``."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _norm_parts(other), _norm_parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    relurl = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return relurl + "/" if url.endswith("/") else relurl


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives the page ``src_uri`` (``Page.url``: ``""`` for the top ``index.md``)."""
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    name = "index" if stem == "README" else stem
    if not use_directory_urls or name == "index":
        dest = posixpath.join(parent, name + ".html")
    else:
        dest = posixpath.join(parent, name, "index.html")
    dirname, filename = posixpath.split(dest)
    if use_directory_urls and filename == "index.html":
        dest = (dirname or ".") + "/"
    url = quote(dest)
    return "" if url in (".", "./") else url


def _norm_parts(path: str) -> list[str]:
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return path.split("/") if path else []
