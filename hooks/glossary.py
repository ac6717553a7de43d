"""MkDocs hook: a cross-linked glossary.

The logic lives in ``annotated_essay.glossary`` (a Python-Markdown extension,
configured under ``markdown_extensions``); this hook reads the term table once
per build before any page is converted, shares one instance of the extension
across pages and fills the glossary page's "Appears in" back-links in ``on_env``,
adding them to the page after the search index has read it.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.utils import get_relative_url

from annotated_essay.glossary import (
    BackLink,
    GlossaryError,
    GlossaryExtension,
    Mention,
    back_link_labels,
    parse_glossary,
)
from annotated_essay.mkdocs_support import front_matter_lines, install_extension, link_from, pages_in_reading_order

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

EXTENSION = "annotated_essay.glossary"
log = get_plugin_logger("glossary")

_extension: GlossaryExtension | None = None
_nav: Navigation | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one glossary extension across pages.

    Raises:
        PluginError: The extension is not configured.
    """
    global _extension, _nav
    _nav = None
    _extension = install_extension(config, EXTENSION, GlossaryExtension, hook="hooks/glossary.py", logger=log)
    _extension.deferred = True
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Read the term table from the glossary page, before any page is converted.

    Runs on every build, so ``mkdocs serve`` picks up edits of the glossary.

    Raises:
        PluginError: The glossary page is missing, or two entries or aliases collide.
    """
    if _extension is None:
        return files
    src_uri = _extension.getConfig("glossary")
    file = files.get_file_from_path(src_uri)
    if file is None or not file.is_documentation_page():
        raise PluginError(
            f"{config.config_file_path}: the glossary page '{src_uri}' is not among the documentation "
            f"files in {config.docs_dir}; create it or change 'glossary' under {EXTENSION} in mkdocs.yml."
        )
    try:
        _extension.use_glossary(parse_glossary(file.content_string, src_uri))
    except GlossaryError as error:
        raise PluginError(str(error)) from None
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Remember the navigation: back-links are listed in reading order."""
    global _nav
    _nav = nav
    return nav


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Tell the extension which page it is about to convert and the glossary's URL from there.

    The extension writes that URL into its links as it is: they join the page
    after MkDocs has resolved links (see ``annotated_essay.after_index``).
    """
    if _extension is not None:
        glossary_uri = _extension.getConfig("glossary")
        glossary_file = files.get_file_from_path(glossary_uri)
        src_uri = page.file.src_uri
        patterns = _extension.getConfig("link_pages") or []
        if isinstance(patterns, str):  # a single pattern written without brackets
            patterns = [patterns]
        _extension.set_page(
            src_uri,
            front_matter_lines(page),
            href=get_relative_url(glossary_file.url, page.url) if glossary_file is not None else glossary_uri,
            link=any(fnmatch.fnmatchcase(src_uri, pattern) for pattern in patterns),
            is_glossary_page=src_uri == glossary_uri,
        )
    return markdown


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Warn about entries nobody mentions; add "Appears in" back-links to the glossary page.

    The links' tags and the back-links join the pages after indexing, in ``on_page_context``.

    Runs at the default priority, after the citations hook (50) has added its notes.
    """
    if _extension is None:
        return env
    glossary_uri = _extension.getConfig("glossary")
    pages = [page for page in pages_in_reading_order(_nav, files) if page.file.src_uri in _extension.pages]
    _extension.warn_unmentioned(mention for page in pages for mention in _extension.pages[page.file.src_uri])
    glossary_page = next((page for page in pages if page.file.src_uri == glossary_uri), None)
    if glossary_page is None:
        return env
    back_links: dict[str, list[BackLink]] = {}
    for page in pages:
        by_entry: dict[str, list[Mention]] = {}
        for mention in _extension.pages[page.file.src_uri]:
            by_entry.setdefault(mention.entry_id, []).append(mention)
        in_glossary = page is glossary_page
        for entry_id, mentions in by_entry.items():
            if in_glossary:  # in another entry's definition: named by that entry
                labels = [mention.section_title for mention in mentions]
            else:
                labels = back_link_labels(page.title or page.file.src_uri, mentions)
            back_links.setdefault(entry_id, []).extend(
                BackLink(link_from(glossary_page, page, mention.anchor), label, in_glossary)
                for mention, label in zip(mentions, labels, strict=True)
            )
    glossary_page.content = _extension.resolve_glossary_page(
        glossary_page.content or "", back_links, defer=_extension.after_index.defer
    )
    return env


# Priority -50: after Material's search plugin (default 0) has indexed the page,
# so that it never parses the link tags and "Appears in" lines (see annotated_essay.after_index).
@event_priority(-50)
def on_page_context(context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Put the glossary links' tags and the "Appears in" back-links into the page."""
    if _extension is not None and page.content:
        page.content = _extension.after_index.fill(page.content)
    return context
