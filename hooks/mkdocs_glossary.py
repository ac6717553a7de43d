"""MkDocs hook: wiring for the glossary extension (``annotated_essay.glossary``).

The extension finds its page and the whole site itself, under MkDocs as under
Zensical; this hook adds what only MkDocs needs: the term pages are checked
before any page is converted, so a missing page or colliding entries stop the
build with a located message rather than a traceback, and the glossary links'
tags and "Appears in" lines join each page after Material's search plugin has
indexed it (see ``annotated_essay.after_index``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from annotated_essay.citation_settings import CACHE_DIR  # the project's one cache folder, as the citations'
from annotated_essay.glossary import EXTENSION, GlossaryError, GlossaryExtension, site_glossary
from annotated_essay.mkdocs_support import install_extension, project_path
from annotated_essay.site_index import SiteConfigError, load_site_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = get_plugin_logger("glossary")

_extension: GlossaryExtension | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one extension across pages, holding its links back from the search index.

    Raises:
        PluginError: The extension is not configured.
    """
    global _extension
    # A folder in mkdocs.yml wins ('' there: mentions kept in this process only).
    cache_dir = (config.mdx_configs.get(EXTENSION) or {}).get("cache_dir", CACHE_DIR)
    _extension = install_extension(
        config,
        EXTENSION,
        GlossaryExtension,
        hook="hooks/mkdocs_glossary.py",
        logger=log,
        cache_dir=project_path(config, cache_dir) if cache_dir else "",
    )
    _extension.deferred = True
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Check the term pages before any page is converted (every build, so ``mkdocs serve`` sees edits).

    Raises:
        PluginError: A term page is missing, or two entries or aliases collide.
    """
    if _extension is None:
        return files
    _extension.after_index.reset()
    try:
        site_glossary(
            load_site_index(config.config_file_path or "mkdocs.yml"),
            _extension.term_pages,
            _extension.getConfig("cache_dir") or None,
        )
    except (GlossaryError, SiteConfigError) as error:
        raise PluginError(str(error)) from None
    return files


# Priority -50: after Material's search plugin (default 0) has indexed the page,
# so that it never parses the link tags and "Appears in" lines (see annotated_essay.after_index).
@event_priority(-50)
def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Put the glossary links' tags and the "Appears in" back-links into the page."""
    if _extension is not None and page.content:
        page.content = _extension.after_index.fill(page.content)
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    """Keep the names' finds in this build's texts for the next build (Zensical: ``content_cache.save_tables``)."""
    if _extension is not None:
        _extension.save_matches()
