"""Which page a Markdown instance is converting, under MkDocs or Zensical.

An extension that needs the whole site (numbering in reading order, back-links)
asks :func:`current_page` for the configuration file and the page, then reads
the site through :func:`annotated_essay.site_index.load_site_index`.

- Zensical (0.0.73) puts a ``ContextPreprocessor`` (``zensical.extensions.context``)
  into every Markdown instance it converts a page with; its ``page.path`` is the
  page's path below ``docs_dir`` and its ``config`` the parsed configuration,
  whose ``root_dir`` is the folder of the configuration file
  (``zensical/markdown/render.py``, ``zensical/config.py``).
- MkDocs gives extensions nothing of the kind, so the project's MkDocs hook
  calls :func:`set_mkdocs_page` in ``on_page_markdown`` (MkDocs converts that
  page next, in ``Page.render``) and :func:`clear_mkdocs_page` after it, in
  ``on_page_content``. The page is kept in this module, not on the Markdown
  instance: MkDocs creates the instance only after ``on_page_markdown``.
- Plain Python-Markdown: None, and extensions fall back to what one page holds.

Under Zensical, the first call also sets up what MkDocs' ``--strict`` and the
project's hooks do for a build (:func:`annotated_essay.zensical_support.install`).
"""

from __future__ import annotations

import functools
import os
import sys
import weakref
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.preprocessors import Preprocessor

from annotated_essay import zensical_support
from annotated_essay.site_index import SiteIndex, SitePage, load_site_index, resolved

if TYPE_CHECKING:
    from markdown import Markdown

#: The names Zensical looks for, in its order, when no ``--config-file`` is given (``zensical/main.py``).
ZENSICAL_CONFIG_NAMES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
#: The name Zensical registers its context preprocessor under (``zensical/extensions/context.py``).
_ZENSICAL_CONTEXT = "rendering_context"

_mkdocs_page: tuple[Path, str] | None = None
_mkdocs_meta: MutableMapping[str, Any] | None = None

#: Under Zensical, what each conversion's page context names, found once per conversion: Zensical makes
#: a Markdown instance, and in it a context preprocessor, per page, and the extensions ask several times.
#: Kept while that preprocessor lives (the conversion), so a later conversion looks at the files again.
_ZENSICAL_PAGES: weakref.WeakKeyDictionary[Any, tuple[Path, str] | None] = weakref.WeakKeyDictionary()
_ZENSICAL_SITES: weakref.WeakKeyDictionary[Any, tuple[SiteIndex, SitePage] | None] = weakref.WeakKeyDictionary()


def current_page(md: Markdown) -> tuple[Path, str] | None:
    """``(configuration file, src_uri)`` of the page ``md`` is converting, or None outside both engines."""
    zensical = _zensical_page(md)
    if zensical is not None:
        return zensical
    return _mkdocs_page


def current_site(md: Markdown) -> tuple[SiteIndex, SitePage] | None:
    """The site index and the page ``md`` is converting; None outside both engines.

    Also None when the page is not one of the site's pages (excluded from the
    build, say), so callers fall back to page-local behaviour.

    Raises:
        annotated_essay.site_index.SiteConfigError: The configuration cannot be read.
    """
    context = _zensical_context(md)
    if context is not None and context in _ZENSICAL_SITES:
        return _ZENSICAL_SITES[context]
    found = current_page(md)
    if found is None:
        return None
    config_file, src_uri = found
    index = load_site_index(config_file, src_uri)
    page = index.page(src_uri)
    site = None if page is None else (index, page)
    if context is not None:
        _ZENSICAL_SITES[context] = site
    return site


def under_zensical(md: Markdown) -> bool:
    """Whether Zensical converts with ``md``, which changes how links in HTML are written.

    Zensical rewrites every relative link in the page's HTML as relative to the
    page's source file (``essay/opening.md``), as MkDocs does for Markdown links
    only. So a link an extension writes into HTML is best the target's source path relative to the
    page's source folder (``essay/opening.md#x``) under Zensical, and its URL (``../essay/opening/#x``)
    under MkDocs.
    """
    return _ZENSICAL_CONTEXT in md.preprocessors


def align_source_lines(md: Markdown) -> None:
    """Under Zensical, have ``md`` drop the blank lines Zensical leaves before a page's Markdown.

    ``file:line`` messages add the site index's count of front matter lines to a
    line of the converted text. Zensical 0.0.73 hands over a file with CRLF line
    ends with the blank line after its front matter still in front (with LF line
    ends it drops it), which would put every message one line late. Leading blank
    lines change nothing in the HTML. Called by each extension that reports
    lines; registering twice keeps one.
    """
    if under_zensical(md):
        # Priority 46: before every preprocessor of ours (the citations' settings check is 45,
        # the source recorders 38-40), so that they all see the text the site index counted.
        md.preprocessors.register(_LeadingLines(md), "annotated_essay_leading_lines", 46)


class _LeadingLines(Preprocessor):
    """Drops the blank lines before a page's Markdown that the site index's copy does not have."""

    def run(self, lines: list[str]) -> list[str]:
        """``lines`` without the extra leading blank lines (a page outside the site: unchanged)."""
        site = current_site(self.md)
        if site is None:
            return lines
        extra = _blank_lines_before_text(lines) - _blank_lines_before_text(site[1].markdown.split("\n"))
        return lines[extra:] if extra > 0 else lines


def _blank_lines_before_text(lines: list[str]) -> int:
    """How many of ``lines`` come before the first that is not blank (a lone carriage return is blank)."""
    return next((number for number, line in enumerate(lines) if line.strip()), len(lines))


def page_link(md: Markdown, index: SiteIndex, from_src_uri: str, to_src_uri: str, anchor: str = "") -> str:
    """A link for an extension to write into the HTML of the page ``md`` converts, right under either engine.

    MkDocs leaves links in HTML alone: the target's URL relative to the page's
    (:meth:`SiteIndex.link`). Zensical rewrites them as relative to the page's
    source file: the target's source path (:meth:`SiteIndex.source_link`).
    """
    if under_zensical(md):
        return index.source_link(from_src_uri, to_src_uri, anchor)
    return index.link(from_src_uri, to_src_uri, anchor)


def page_meta(md: Markdown) -> MutableMapping[str, Any] | None:
    """The metadata of the page ``md`` converts, which the theme's templates read as ``page.meta``.

    An extension may add keys (plain JSON values: strings, numbers, lists,
    mappings) for a template to use, e.g. ``<meta>`` tags in ``<head>``: under
    Zensical this is the page context's ``page.meta``, which
    ``zensical.markdown.render.render`` returns with the HTML and hands to the
    templates; under MkDocs it is ``Page.meta`` (the front matter), recorded by
    the hook. None with plain Python-Markdown.
    """
    if _ZENSICAL_CONTEXT in md.preprocessors:
        page = getattr(md.preprocessors[_ZENSICAL_CONTEXT], "page", None)
        meta = getattr(page, "meta", None)
        return meta if isinstance(meta, dict) else None
    return _mkdocs_meta


def set_mkdocs_page(config_file: str | Path, src_uri: str, meta: MutableMapping[str, Any] | None = None) -> None:
    """Record the page MkDocs is about to convert (called from the hook's ``on_page_markdown``).

    Args:
        config_file: ``mkdocs.yml``.
        src_uri: The page, as ``File.src_uri``.
        meta: The page's ``Page.meta``, which :func:`page_meta` hands to extensions.
    """
    global _mkdocs_page, _mkdocs_meta
    _mkdocs_page = (resolved(config_file), src_uri)
    _mkdocs_meta = meta


def clear_mkdocs_page() -> None:
    """Forget the page: its conversion is over, or the build ended."""
    global _mkdocs_page, _mkdocs_meta
    _mkdocs_page = None
    _mkdocs_meta = None


def _zensical_context(md: Markdown) -> Any:
    """Zensical's context preprocessor in ``md`` if it can be remembered, else None (MkDocs, plain Markdown)."""
    if _ZENSICAL_CONTEXT not in md.preprocessors:
        return None
    context = md.preprocessors[_ZENSICAL_CONTEXT]
    try:
        weakref.ref(context)
    except TypeError:
        return None
    return context


def _zensical_page(md: Markdown) -> tuple[Path, str] | None:
    if _ZENSICAL_CONTEXT not in md.preprocessors:
        return None
    context = _zensical_context(md)
    if context is None:  # a context that cannot be remembered: found on every call
        return _find_zensical_page(md.preprocessors[_ZENSICAL_CONTEXT])
    if context not in _ZENSICAL_PAGES:
        _ZENSICAL_PAGES[context] = _find_zensical_page(context)
    return _ZENSICAL_PAGES[context]


def _find_zensical_page(context: Any) -> tuple[Path, str] | None:
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(config, dict) or not config.get("root_dir"):
        return None
    # First sight of Zensical in this process: count warnings for --strict, report failures without tracebacks.
    zensical_support.install(config)
    config_file = _started_with(str(config["root_dir"]), tuple(sys.argv))
    if config_file is None:
        return None
    return config_file, str(page.path).replace(os.sep, "/")


@functools.lru_cache(maxsize=8)
def _started_with(root_dir: str, argv: tuple[str, ...]) -> Path | None:
    """:func:`zensical_config_file`, once per process: Zensical chooses the file once, when it starts."""
    return zensical_config_file(root_dir, list(argv))


def zensical_config_file(root_dir: str, argv: list[str] | None = None) -> Path | None:
    """The configuration file Zensical was started with.

    Zensical keeps only its folder (``config["root_dir"]``); the file is the
    ``-f``/``--config-file`` argument if given, else the first of
    :data:`ZENSICAL_CONFIG_NAMES` in that folder, as ``zensical build`` chooses it.
    """
    args = sys.argv if argv is None else argv
    for position, arg in enumerate(args):
        value = None
        if arg in ("-f", "--config-file") and position + 1 < len(args):
            value = args[position + 1]
        elif arg.startswith("--config-file="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-f") and len(arg) > 2:
            value = arg[2:]
        if value:
            candidate = Path(value).resolve()
            if candidate.parent == Path(root_dir).resolve():
                return candidate
    for name in ZENSICAL_CONFIG_NAMES:
        candidate = Path(root_dir, name)
        if candidate.is_file():
            return candidate.resolve()
    return None
