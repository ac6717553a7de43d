"""The whole site as the extensions see it: pages in reading order, their URLs and Markdown.

Numbering in reading order, back-links and "Appears in" need every page, but a
Python-Markdown extension converts one page at a time, and Zensical offers no
event that sees the whole site. So each extension reads the site itself, from
``mkdocs.yml`` and the pages' Markdown, through :func:`load_site_index`: the
configuration and the pages are read once per build and kept while their bytes
stay the same, so every page's conversion gets the same :class:`SiteIndex`
object, and a rebuild after an edit gets a new one. Results computed per page
(:meth:`SiteIndex.scan`) are kept by the page's content digest, so an edit to
one page re-scans that page only.

Which files are pages, their reading order and URLs follow MkDocs 1.6 (worked out
in :mod:`annotated_essay.site_files`), which Zensical follows for ``mkdocs.yml`` too.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from annotated_essay.front_matter import split_front_matter
from annotated_essay.records import FrozenRecord
from annotated_essay.site_config import SiteConfigError, extension_entries, read_config
from annotated_essay.site_files import MARKDOWN_SUFFIXES, page_files
from annotated_essay.site_urls import page_url, relative_url

__all__ = [
    "SiteConfigError",
    "SiteIndex",
    "SitePage",
    "load_site_index",
    "page_url",
    "read_config",
    "relative_url",
    "split_front_matter",
]

T = TypeVar("T")

#: How many per-page scan results are kept (a 1,600-page site with a few scans fits).
_SCAN_CACHE_SIZE = 20_000


class SitePage(FrozenRecord):
    """One Markdown page of the site.

    Attributes:
        src_uri: Path below ``docs_dir`` with ``/`` separators, as MkDocs' ``File.src_uri``.
        url: Site-relative URL as MkDocs' ``Page.url`` (``""`` for ``index.md``).
        title: The title given in the navigation, if any.
        markdown: The page's Markdown after front matter, as MkDocs passes it to Python-Markdown.
        line_offset: Lines of the file before ``markdown`` (front matter), for ``file:line`` messages.
        path: Absolute path of the ``.md`` file.
        in_nav: Whether the navigation lists the page.
        meta: The front matter (empty when there is none or it is not a mapping).
        digest: SHA-256 of the file's bytes; scan results are kept by it.
    """

    _fields = ("src_uri", "url", "title", "markdown", "line_offset", "path", "in_nav", "meta", "digest")
    _compared = ("src_uri", "url", "title", "markdown", "line_offset", "path", "in_nav", "digest")
    src_uri: str
    url: str
    title: str | None
    markdown: str
    line_offset: int
    path: Path
    in_nav: bool
    meta: Mapping[str, Any]
    digest: str

    def __init__(
        self,
        src_uri: str,
        url: str,
        title: str | None,
        markdown: str,
        line_offset: int,
        path: Path,
        in_nav: bool,
        meta: Mapping[str, Any] | None = None,
        digest: str = "",
    ) -> None:
        vars(self).update(src_uri=src_uri, url=url, title=title, markdown=markdown, line_offset=line_offset)
        vars(self).update(path=path, in_nav=in_nav, meta={} if meta is None else meta, digest=digest)

    @property
    def display_title(self) -> str:
        """The title MkDocs shows: the nav's, the front matter's, the first ``# heading``, or the file name."""
        if self.title:
            return self.title
        if isinstance(self.meta.get("title"), str):
            return str(self.meta["title"])
        for line in self.markdown.splitlines():
            match = re.match(r"#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
        stem = posixpath.splitext(posixpath.basename(self.src_uri))[0]
        return "Home" if self.url in ("", "index.html") else stem.replace("-", " ").replace("_", " ").capitalize()


class SiteIndex(FrozenRecord):
    """Pages in reading order and the configuration they were read with.

    Attributes:
        config_file: Absolute path of ``mkdocs.yml``.
        docs_dir: Absolute path of the pages' folder.
        site_dir: Absolute path of the output folder.
        site_url: ``site_url`` from the configuration, if set.
        use_directory_urls: Whether ``a.md`` becomes ``a/`` (True) or ``a.html``.
        pages: Reading order: the navigation's pages, then pages not in it in MkDocs' file order.
        extra: The configuration's ``extra`` mapping.
        markdown_extensions: ``(name, settings)`` per configured extension, in order.
        config: The whole configuration as read (tags such as ``!ENV`` resolved tolerantly).
        digest: Digest of the configuration and every page's bytes.
    """

    # Neither shown nor compared: config and _by_uri.
    _fields = (
        "config_file",
        "docs_dir",
        "site_dir",
        "site_url",
        "use_directory_urls",
        "pages",
        "extra",
        "markdown_extensions",
        "digest",
    )
    config_file: Path
    docs_dir: Path
    site_dir: Path
    site_url: str | None
    use_directory_urls: bool
    pages: tuple[SitePage, ...]
    extra: Mapping[str, Any]
    markdown_extensions: tuple[tuple[str, Mapping[str, Any]], ...]
    config: Mapping[str, Any]
    digest: str
    _by_uri: Mapping[str, SitePage]

    def __init__(
        self,
        config_file: Path,
        docs_dir: Path,
        site_dir: Path,
        site_url: str | None,
        use_directory_urls: bool,
        pages: tuple[SitePage, ...],
        extra: Mapping[str, Any],
        markdown_extensions: tuple[tuple[str, Mapping[str, Any]], ...],
        config: Mapping[str, Any],
        digest: str = "",
        _by_uri: Mapping[str, SitePage] | None = None,
    ) -> None:
        vars(self).update(config_file=config_file, docs_dir=docs_dir, site_dir=site_dir, site_url=site_url)
        vars(self).update(use_directory_urls=use_directory_urls, pages=pages, extra=extra, config=config)
        vars(self).update(markdown_extensions=markdown_extensions, digest=digest)
        vars(self)["_by_uri"] = {} if _by_uri is None else _by_uri

    def page(self, src_uri: str) -> SitePage | None:
        """The page at ``src_uri`` (``"essay/opening.md"``), or None."""
        return self._by_uri.get(src_uri)

    def extension_config(self, name: str) -> Mapping[str, Any] | None:
        """The settings of the Markdown extension ``name``, or None when it is not configured."""
        for configured, settings in self.markdown_extensions:
            if configured == name:
                return settings
        return None

    def link(self, from_src_uri: str, to_src_uri: str, anchor: str = "") -> str:
        """A relative link from one page to another (and an anchor on it), as MkDocs writes it.

        ``"#anchor"`` on the same page. URLs are joined as MkDocs joins the files
        of a Markdown link (``File.url_relative_to``), so the landing page is
        ``"../"`` rather than ``".."``. Raises KeyError for an unknown page.
        """
        if from_src_uri == to_src_uri and anchor:
            return f"#{anchor}"
        source, target = self._by_uri[from_src_uri], self._by_uri[to_src_uri]
        url = relative_url(target.url or "./", source.url or "./")
        return f"{url}#{anchor}" if anchor else url

    def source_link(self, from_src_uri: str, to_src_uri: str, anchor: str = "") -> str:
        """A link from one page to another as Zensical wants it in a page's HTML: by source path.

        Zensical 0.0.73 reads every relative link in a page's HTML as relative
        to the page's source file and rewrites it to the target's URL
        (``../glossary.md#x`` from ``essay/opening.md`` becomes
        ``../../glossary/#x``), so an extension's link names the target's
        source file relative to the page's source folder; ``"#anchor"`` on the
        same page. Raises KeyError for an unknown page.
        """
        if from_src_uri == to_src_uri and anchor:
            return f"#{anchor}"
        source, target = self._by_uri[from_src_uri], self._by_uri[to_src_uri]
        path = quote(posixpath.relpath(target.src_uri, posixpath.dirname(source.src_uri) or "."))
        return f"{path}#{anchor}" if anchor else path

    def scan(self, name: str, fn: Callable[[SitePage], T], key: str = "") -> list[tuple[SitePage, T]]:
        """``fn(page)`` for every page in reading order, each kept by ``(name, key, page digest)``.

        ``name`` names the scan (one per feature, e.g. ``"citations"``); ``key``
        holds whatever else the result depends on (the feature's settings), so a
        changed setting re-scans. Results must not be mutated by callers.
        """
        results: list[tuple[SitePage, T]] = []
        for page in self.pages:
            cache_key = (name, key, page.digest)
            if cache_key in _SCANS:
                _SCANS.move_to_end(cache_key)
                result: T = _SCANS[cache_key]
            else:
                result = fn(page)
                _SCANS[cache_key] = result
                if len(_SCANS) > _SCAN_CACHE_SIZE:
                    _SCANS.popitem(last=False)
            results.append((page, result))
        return results


_SCANS: OrderedDict[tuple[str, str, str], Any] = OrderedDict()


class _Cached:
    __slots__ = ("dirs", "files", "index")  # a plain class: a dataclass costs ~0.3 ms to make at import

    def __init__(self, files: dict[str, tuple[int, int]], dirs: dict[str, int], index: SiteIndex) -> None:
        self.files = files  # config file and pages: (mtime_ns, size)
        self.dirs = dirs  # docs_dir and its folders: mtime_ns (changes when a file is added or removed)
        self.index = index


_INDEXES: dict[Path, _Cached] = {}
#: Configuration files whose index was checked in the current MkDocs build (see start_build).
_checked_in_build: set[Path] = set()
#: Configuration files as given, resolved once per MkDocs build (every page's extensions ask).
_resolved_in_build: dict[str | Path, Path] = {}
_in_build = False


def start_build() -> None:
    """A build begins (MkDocs' ``on_pre_build``): check the files once, then trust them until :func:`end_build`.

    Without it every call checks the files (see :func:`load_site_index`).
    """
    global _in_build
    _checked_in_build.clear()
    _resolved_in_build.clear()
    _in_build = True


def end_build() -> None:
    """The build is over (or failed): calls check the files again."""
    global _in_build
    _checked_in_build.clear()
    _resolved_in_build.clear()
    _in_build = False


def resolved(config_file: str | Path) -> Path:
    """``config_file`` as an absolute path without symlinks: inside a MkDocs build, worked out once."""
    path = _resolved_in_build.get(config_file) if _in_build else None
    if path is None:
        path = Path(config_file).resolve()
        if _in_build:
            _resolved_in_build[config_file] = path
    return path


def load_site_index(config_file: str | Path, page: str | None = None) -> SiteIndex:
    """The site described by ``config_file``, read once and kept while the files stay the same.

    Before reusing what it read, a call compares sizes and modification times:
    inside a MkDocs build (:func:`start_build`) once per build, every file;
    elsewhere (Zensical, which has no build events) on every call, the
    configuration, the folders (a page added or removed) and ``page``, the
    page being converted (every page when None): Zensical re-renders a page
    when it changes, so its conversion notices the edit. When a stamp differs
    the files are read again, and the same object is still returned if their
    bytes have not changed.

    Raises:
        SiteConfigError: The configuration cannot be read or ``docs_dir`` is missing.
    """
    path = resolved(config_file)
    cached = _INDEXES.get(path)
    if cached is not None:
        if _in_build and path in _checked_in_build:
            return cached.index
        if _unchanged(path, cached, None if _in_build else page):
            if _in_build:
                _checked_in_build.add(path)
            return cached.index
    try:
        config = read_config(path)
    except SiteConfigError:
        _INDEXES.pop(path, None)
        raise
    docs_dir = (path.parent / str(config.get("docs_dir") or "docs")).resolve()
    if not docs_dir.is_dir():
        raise SiteConfigError(f"{path}: docs_dir '{docs_dir}' is not a folder.")
    files, dirs = _stamps(path, docs_dir)
    index = _build(path, config, docs_dir)
    if cached is not None and cached.index.digest == index.digest:
        index = cached.index
    _INDEXES[path] = _Cached(files, dirs, index)
    if _in_build:
        _checked_in_build.add(path)
    return index


def _unchanged(config_file: Path, cached: _Cached, page: str | None) -> bool:
    """Whether the stamps still match: all of them, or the configuration, folders and ``page`` only."""
    if page is None:
        return _stamps(config_file, cached.index.docs_dir) == (cached.files, cached.dirs)
    paths = [str(config_file), str(cached.index.docs_dir / page)]
    try:
        if any(_stamp(name) != cached.files.get(name) for name in paths):
            return False
        return all(os.stat(name).st_mtime_ns == mtime for name, mtime in cached.dirs.items())
    except OSError:
        return False


def _stamp(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


def _stamps(config: Path, docs_dir: Path) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    files: dict[str, tuple[int, int]] = {}
    dirs: dict[str, int] = {}
    try:
        files[str(config)] = _stamp(str(config))
    except OSError:
        files[str(config)] = (-1, -1)
    for source_dir, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        dirnames.sort()
        try:
            dirs[source_dir] = os.stat(source_dir).st_mtime_ns
        except OSError:
            continue
        for filename in filenames:
            if filename.endswith(MARKDOWN_SUFFIXES):
                name = os.path.join(source_dir, filename)
                try:
                    files[name] = _stamp(name)
                except OSError:
                    continue
    return files, dirs


def _build(config_file: Path, config: Mapping[str, Any], docs_dir: Path) -> SiteIndex:
    use_directory_urls = bool(config.get("use_directory_urls", True))
    found = page_files(config, docs_dir, use_directory_urls)
    digest = hashlib.sha256(config_file.read_bytes())
    pages: list[SitePage] = []
    for uri, path, url, title, in_nav in found:
        raw = path.read_bytes()
        page_digest = hashlib.sha256(raw).hexdigest()
        digest.update(f"\0{uri}\0{page_digest}".encode())
        text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
        markdown, offset, meta = split_front_matter(text)
        pages.append(
            SitePage(
                src_uri=uri,
                url=url,
                title=title,
                markdown=markdown,
                line_offset=offset,
                path=path,
                in_nav=in_nav,
                meta=meta,
                digest=page_digest,
            )
        )
    site_dir = (config_file.parent / str(config.get("site_dir") or "site")).resolve()
    extra = config.get("extra")
    return SiteIndex(
        config_file=config_file,
        docs_dir=docs_dir,
        site_dir=site_dir,
        site_url=config.get("site_url") or None,
        use_directory_urls=use_directory_urls,
        pages=tuple(pages),
        extra=extra if isinstance(extra, dict) else {},
        markdown_extensions=tuple(extension_entries(config.get("markdown_extensions"))),
        config=config,
        digest=digest.hexdigest(),
        _by_uri={page.src_uri: page for page in pages},
    )
