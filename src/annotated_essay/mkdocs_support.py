"""Glue between the Markdown extensions and MkDocs: configuration, page order, links.

Nothing here runs at import time; the hooks call these helpers from MkDocs events.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from markdown.extensions import Extension
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from .citation_settings import option_location

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

ExtensionT = TypeVar("ExtensionT", bound=Extension)


def install_extension(
    config: MkDocsConfig,
    name: str,
    factory: Callable[..., ExtensionT],
    hook: str,
    **overrides: object,
) -> ExtensionT:
    """Replace the ``name`` entry of ``markdown_extensions`` with one shared instance.

    MkDocs would otherwise build a new extension for every page; one instance
    lets the hook collect what each page cited and resolve it across pages.

    Raises:
        PluginError: ``name`` is not listed under ``markdown_extensions``.
    """
    extensions = config.markdown_extensions
    if name not in extensions:
        raise PluginError(
            f"{config.config_file_path}: the hook {hook} needs the Markdown extension '{name}'; "
            f"add '- {name}' under markdown_extensions in mkdocs.yml."
        )
    settings = dict(config.mdx_configs.pop(name, {}))
    settings.update(overrides)
    instance = factory(**settings)
    extensions[extensions.index(name)] = instance  # type: ignore[call-overload]
    return instance


def project_path(config: MkDocsConfig, path: str) -> str:
    """``path`` relative to the folder of ``mkdocs.yml`` (absolute paths unchanged)."""
    return os.path.normpath(os.path.join(os.path.dirname(config.config_file_path or "."), path))


def setting_location(config: MkDocsConfig, extension: str, option: str) -> str:
    """``mkdocs.yml:LINE`` of ``option`` under ``extension``, for messages (``option_location``)."""
    return option_location(config.config_file_path or "mkdocs.yml", extension, option)


def check_options(config: MkDocsConfig, extension: str, known: Iterable[str]) -> None:
    """Stop the build, located, on an option ``extension`` does not have (a typo would be ignored or crash).

    Raises:
        PluginError: An option under ``extension`` in ``mkdocs.yml`` is not one of ``known``.
    """
    known = sorted(known)
    for option in config.mdx_configs.get(extension) or {}:
        if option not in known:
            close = difflib.get_close_matches(str(option), known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise PluginError(
                f"{setting_location(config, extension, str(option))}: unknown option '{option}' under {extension}; "
                f"{hint}use one of {', '.join(known)} or remove it."
            )


def pages_in_reading_order(nav: Navigation | None, files: Files) -> list[Page]:
    """Pages in navigation order, then pages not in the navigation in file order."""
    ordered: list[Page] = list(nav.pages) if nav is not None else []
    seen = {page.file.src_uri for page in ordered}
    for file in files.documentation_pages():
        page = file.page
        if page is not None and file.src_uri not in seen:
            ordered.append(page)
    return ordered


def rendered_pages(files: Files) -> Iterator[Page]:
    """Pages whose Markdown has been converted to HTML in this build."""
    for file in files.documentation_pages():
        if file.page is not None and file.page.content is not None:
            yield file.page


def front_matter_lines(page: Page, config_file: str | None = None) -> int:
    """How many lines of the source file precede ``page.markdown`` (front matter).

    Given the configuration file, taken from the site index when it read the
    same Markdown (``SitePage.line_offset``), so MkDocs need not read the page
    file a second time; otherwise counted from the file.
    """
    markdown = page.markdown or ""
    if config_file is not None:
        from .site_index import SiteConfigError, load_site_index

        try:
            site_page = load_site_index(config_file).page(page.file.src_uri)
        except SiteConfigError:  # reported where the site is read; here the file still tells
            site_page = None
        if site_page is not None and site_page.markdown == markdown:
            return site_page.line_offset
    source = page.file.content_string
    if not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def link_from(page: Page, target: Page, anchor: str) -> str:
    """A relative link from ``page`` to ``anchor`` on ``target``."""
    if page is target:
        return f"#{anchor}"
    return f"{_relative_url(target.url, page.url)}#{anchor}"


@functools.lru_cache(maxsize=4096)
def _relative_url(url: str, other: str) -> str:
    # The back-links of a large site join the same few hundred pairs of pages thousands of times.
    return get_relative_url(url, other)
