"""MkDocs hook: tells the Markdown extensions which page MkDocs is converting.

Zensical tells extensions itself (``zensical.extensions.context``); under MkDocs
this hook records the page in ``annotated_essay.page_context`` just before
MkDocs converts it and forgets it just after, so the extensions find the site
index the same way under both engines. It also marks each build's start and
end, so the site index checks the files once per build
(``annotated_essay.site_index.start_build``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotated_essay import page_context, site_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_pre_build(*, config: MkDocsConfig) -> None:
    """Start every build (also each rebuild of ``mkdocs serve``): no page recorded, site files checked once."""
    page_context.clear_mkdocs_page()
    site_index.start_build()


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
