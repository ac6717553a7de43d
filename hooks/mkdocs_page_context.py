"""MkDocs hook: tells the Markdown extensions which page MkDocs is converting.

Zensical tells extensions itself (``zensical.extensions.context``); under MkDocs
this hook records the page in ``annotated_essay.page_context`` just before
MkDocs converts it and forgets it just after, so the extensions find the site
index the same way under both engines. It also marks each build's start and
end, so the site index checks the files once per build
(``annotated_essay.site_index.start_build``), and hands each page to Material's
search plugin without the placeholders of every extension's held-back markup
that change nothing in its index, and takes it back with all that markup in
place (``annotated_essay.search_hand_over.SearchHandOver``); each feature's hook
still fills a page the search plugin did not get (it then finds nothing else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from annotated_essay import page_context, site_index
from annotated_essay.search_hand_over import SearchHandOver

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

#: Pages handed to the search plugin without placeholders (see annotated_essay.after_index).
_hand_over = SearchHandOver()


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Start every build (also each rebuild of ``mkdocs serve``): no page recorded, site files checked once."""
    page_context.clear_mkdocs_page()
    site_index.start_build()
    _hand_over.reset()


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Record the page: MkDocs converts it right after this event (``Page.render``)."""
    page_context.set_mkdocs_page(config.config_file_path or "mkdocs.yml", page.file.src_uri, page.meta)
    return markdown


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Forget the page once it is converted."""
    page_context.clear_mkdocs_page()
    return html


def on_post_build(*, config: MkDocsConfig) -> None:
    """The build is over: later reads of the site check its files again."""
    site_index.end_build()


def on_build_error(*, error: Exception) -> None:
    """Forget the page when a build fails half-way through one."""
    page_context.clear_mkdocs_page()
    site_index.end_build()


# Priority 0.1: right before Material's search plugin (default 0) reads the page.
@event_priority(0.1)
def _hand_over_to_search(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    """Give the search plugin the page without the placeholders of held-back markup (any extension's)."""
    if page.content:
        page.content = _hand_over.before(page.file.src_uri, page.content, config.markdown_extensions)
    return context


# Priority -0.1: right after the search plugin, before the features' hooks fill placeholders (-50).
@event_priority(-0.1)
def _take_back_from_search(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext:
    """Take the page back with every extension's held-back markup in place.

    Raises:
        PluginError: Another plugin changed the page while the search plugin had it.
    """
    try:
        page.content = _hand_over.after(page.file.src_uri, page.content or "")
    except ValueError as error:
        raise PluginError(str(error)) from None
    return context


on_page_context = CombinedEvent(_hand_over_to_search, _take_back_from_search)
