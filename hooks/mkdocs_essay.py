"""MkDocs hook: what only MkDocs needs of the essay's metadata: the citation files and the print view.

Wiring only. The landing page's blocks and every page's ``<meta>`` tags come
from the Markdown extension ``annotated_essay.landing_page``, which reads the
site itself (``annotated_essay.essay_site``) under either engine. Here: the
metadata is checked before any page (a mistake stops the build with its line),
the citation files join MkDocs' files (``mkdocs serve`` serves them too), and
the print view is assembled from the pages MkDocs rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

from annotated_essay import essay_exports, print_view
from annotated_essay.after_index import fill_all
from annotated_essay.citation_settings import CACHE_DIR
from annotated_essay.citations import CitationsExtension
from annotated_essay.essay_metadata import MetaError
from annotated_essay.essay_site import EssaySite, essay_site
from annotated_essay.mkdocs_support import project_path
from annotated_essay.site_index import SiteConfigError, load_site_index

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = get_plugin_logger("essay_meta")

#: The extensions the essay's metadata needs, by name under markdown_extensions.
EXTENSIONS = ("annotated_essay.landing_page", "annotated_essay.print_view")
EXTENSION_CITATIONS = "annotated_essay.citations"

_site: EssaySite | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check ``extra.essay`` and the edition's date before any page is converted.

    Raises:
        PluginError: ``extra.essay`` is missing or incomplete, or an extension is
            not configured.
    """
    global _site
    _site = None
    source = config.config_file_path or "mkdocs.yml"
    for name in EXTENSIONS:
        if name not in config.markdown_extensions:
            raise PluginError(
                f"{source}: hooks/mkdocs_essay.py needs the Markdown extension '{name}'; "
                f"add '- {name}' under markdown_extensions in mkdocs.yml."
            )
    try:
        _site = essay_site(load_site_index(source), warn=log.warning, cache_dir=_cache_dir(config))
    except (MetaError, SiteConfigError) as error:
        raise PluginError(str(error)) from None
    return config


def _cache_dir(config: MkDocsConfig) -> str | None:
    """The project's folder for what is kept between builds, as the citations extension has it (None: none).

    In whichever order the hooks run: the citations hook's shared instance once its
    ``on_config`` has installed it, else the same setting read from ``mkdocs.yml``.
    """
    citations = next((ext for ext in config.markdown_extensions if isinstance(ext, CitationsExtension)), None)
    if citations is not None:
        return citations.cache_dir
    folder = (config.mdx_configs.get(EXTENSION_CITATIONS) or {}).get("cache_dir", CACHE_DIR)
    return project_path(config, folder) if folder else None


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the citation files: the essay as BibTeX, RIS and CSL-JSON; the works cited as .bib and CSL-JSON.

    The works cited come from the citations extension, which ``hooks/mkdocs_citations.py``
    has made by now whatever the order of the hooks (every ``on_config`` runs first).

    Raises:
        PluginError: The citations hook is not listed.
    """
    if _site is None:
        return files
    citations = next((ext for ext in config.markdown_extensions if isinstance(ext, CitationsExtension)), None)
    if citations is None:
        raise PluginError(
            f"{config.config_file_path or 'mkdocs.yml'}: hooks/mkdocs_essay.py needs the citations hook "
            "for the works cited; add hooks/mkdocs_citations.py under 'hooks' in mkdocs.yml."
        )
    contents = essay_exports.cite_files(_site.meta, citations.bibliography, citations.cache_dir)
    for name, src_uri in essay_exports.CITE_FILES.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            log.warning(f"docs/{src_uri}: {essay_exports.GENERATED}")
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=contents[name]))
    return files


# Priority -50: after hooks at the default 0 (the glossary's back-links), so the
# print view copies every page in its final form.
@event_priority(-50)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Assemble the print view: every page of the navigation but the landing page, in order."""
    if _site is None:
        return env
    # The reading order is the site index's (the navigation, then pages outside it), as under Zensical.
    index = load_site_index(config.config_file_path or "mkdocs.yml")
    reading_order = [
        file.page
        for site_page in index.pages
        if (file := files.get_file_from_path(site_page.src_uri)) is not None and file.page is not None
    ]
    in_nav = {site_page.src_uri for site_page in index.pages if site_page.in_nav}
    pages = [page for page in reading_order if page.file.src_uri in in_nav]
    print_pages = [page for page in reading_order if print_view.has_placeholder(page.content or "")]
    extensions = config.markdown_extensions
    cache_dir = _cache_dir(config)
    for print_page in print_pages:
        # The notes, back-links and "Appears in" lines are still held back for search.
        sections = print_view.sections_of(
            (
                (page.file.src_uri, page.url, page.title or "", fill_all(page.content or "", extensions))
                for page in pages
                if not page.is_homepage
            ),
            skip=[page.file.src_uri for page in print_pages],
        )
        view = print_view.print_view_html(_site.meta, sections, print_page.url, _site.words, cache_dir=cache_dir)
        print_page.content = print_view.fill_placeholder(print_page.content or "", view)
    return env
