"""MkDocs hook: Pandoc-style citations resolved from BibTeX.

The logic lives in ``annotated_essay.citations`` (a Python-Markdown extension,
configured under ``markdown_extensions``); this hook shares one instance of it
across pages, resolves numbers, notes and the reference list in ``on_env`` and
adds the notes and back-links after the search index has read each page.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from annotated_essay.citations import (
    OPTIONS,
    BibliographyError,
    CitationsExtension,
    StyleError,
    collect_back_links,
    settings_problems,
)
from annotated_essay.mkdocs_support import (
    check_options,
    front_matter_lines,
    install_extension,
    link_from,
    pages_in_reading_order,
    project_path,
    setting_location,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

EXTENSION = "annotated_essay.citations"
#: Where formatted references are kept between builds, beside mkdocs.yml (git-ignored).
CACHE_DIR = ".cache/annotated_essay"
log = get_plugin_logger("citations")

_extension: CitationsExtension | None = None
_nav: Navigation | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one citations extension across pages and load the bibliography.

    Raises:
        PluginError: The extension is not configured, or the bibliography or
            the CSL style cannot be used.
    """
    global _extension, _nav
    _nav = None
    settings = config.mdx_configs.get(EXTENSION) or {}
    check_options(config, EXTENSION, OPTIONS)
    for option, problem in settings_problems(settings):
        raise PluginError(f"{setting_location(config, EXTENSION, option)}: {problem}")
    # Formatted references are kept between builds here ('' in mkdocs.yml: not at all).
    cache_dir = settings.get("cache_dir", CACHE_DIR)
    # An empty setting stays empty (a located message below), never the project folder's path.
    bibliography = settings.get("bibliography", "bib/references.bib") or ""
    _extension = install_extension(
        config,
        EXTENSION,
        CitationsExtension,
        hook="hooks/citations.py",
        bibliography=project_path(config, bibliography) if bibliography else "",
        nocite=settings.get("nocite") or [],
        cache_dir=project_path(config, cache_dir) if cache_dir else "",
        logger=log,
    )
    style = str(settings.get("style") or "")
    if "style" in settings:
        _extension.setConfig("style", style)  # `style:` left empty is reported, not replaced by the default
    if style.endswith(".csl"):  # a path, like the bibliography's, relative to mkdocs.yml
        _extension.setConfig("style", project_path(config, style))
    _extension.deferred = True
    try:
        _extension.start_build()
    except StyleError as error:
        raise PluginError(f"{setting_location(config, EXTENSION, 'style')}: {error}") from None
    except BibliographyError as error:
        if not os.path.isfile(_extension.getConfig("bibliography") or ""):
            raise PluginError(f"{setting_location(config, EXTENSION, 'bibliography')}: {error}") from None
        raise PluginError(str(error)) from None
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Remember the navigation: it defines the reading order for numbering."""
    global _nav
    _nav = nav
    return nav


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Tell the extension which page it is about to convert, for messages and results."""
    if _extension is not None:
        _extension.set_page(page.file.src_uri, front_matter_lines(page))
    return markdown


# Priority 50: before other on_env handlers (default 0), so that whatever reads
# page content later (the print view, search) sees final numbers and the reference list.
@event_priority(50)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Number sources in reading order; add notes and the reference list to pages."""
    if _extension is None:
        return env
    pages = [page for page in pages_in_reading_order(_nav, files) if page.file.src_uri in _extension.pages]
    cited = [_extension.pages[page.file.src_uri] for page in pages]
    numbers = _extension.number_sources(cited)
    _extension.warn_uncited(numbers)
    list_pages = [page for page, found in zip(pages, cited, strict=True) if found.has_bibliography]
    try:
        _extension.format_sources(numbers)  # all at once: a large first build formats in parallel
        for page, found in zip(pages, cited, strict=True):
            back_links = (
                collect_back_links(
                    (functools.partial(link_from, page, citing_page), citing_page.title or "", citing)
                    for citing_page, citing in zip(pages, cited, strict=True)
                )
                if found.has_bibliography
                else {}
            )
            page.content = _extension.resolve_page(
                page.content or "",
                found,
                numbers,
                back_links,
                defer=_extension.after_index.defer,
                swap=_extension.after_index.swap,
            )
    except (BibliographyError, StyleError) as error:
        raise PluginError(str(error)) from None
    if numbers and not list_pages:
        log.warning("no page has the reference list; add a line '::: bibliography' to a page such as references.md.")
    _extension.finish_build()
    return env


# Priority -50: after Material's search plugin (default 0) has indexed the page,
# so that it never parses the notes and back-links (see annotated_essay.after_index).
@event_priority(-50)
def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Put the notes and the reference list's back-links into the page."""
    if _extension is not None and page.content:
        page.content = _extension.after_index.fill(page.content)
    return context


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when the bibliography changes."""
    settings_path = _extension.getConfig("bibliography") if _extension else None
    if settings_path:
        server.watch(settings_path)
    return server
