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
from annotated_essay.citations import CitationsExtension
from annotated_essay.essay_metadata import MetaError
from annotated_essay.essay_site import EssaySite, essay_site
from annotated_essay.mkdocs_support import pages_in_reading_order
from annotated_essay.site_index import SiteConfigError, load_site_index

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

log = get_plugin_logger("essay_meta")

#: The extensions the essay's metadata needs, by name under markdown_extensions.
EXTENSIONS = ("annotated_essay.landing_page", "annotated_essay.print_view")

_site: EssaySite | None = None
_citations: CitationsExtension | None = None
_nav: Navigation | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check ``extra.essay`` and the edition's date before any page is converted.

    Raises:
        PluginError: ``extra.essay`` is missing or incomplete, an extension is
            not configured, or the citations hook is not listed before this one.
    """
    global _site, _citations, _nav
    _site, _citations, _nav = None, None, None
    source = config.config_file_path or "mkdocs.yml"
    _citations = next((ext for ext in config.markdown_extensions if isinstance(ext, CitationsExtension)), None)
    if _citations is None:
        raise PluginError(
            f"{source}: hooks/essay_meta.py needs the citations hook; list hooks/citations.py "
            "before hooks/essay_meta.py under 'hooks' in mkdocs.yml."
        )
    for name in EXTENSIONS:
        if name not in config.markdown_extensions:
            raise PluginError(
                f"{source}: hooks/essay_meta.py needs the Markdown extension '{name}'; "
                f"add '- {name}' under markdown_extensions in mkdocs.yml."
            )
    try:
        _site = essay_site(load_site_index(source), warn=log.warning)
    except (MetaError, SiteConfigError) as error:
        raise PluginError(str(error)) from None
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Add the citation files: the essay as BibTeX, RIS and CSL-JSON; the works cited as .bib and CSL-JSON."""
    if _site is None or _citations is None:
        return files
    contents = essay_exports.cite_files(_site.meta, _citations.bibliography, _citations.cache_dir)
    for name, src_uri in essay_exports.CITE_FILES.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            log.warning(f"docs/{src_uri}: {essay_exports.GENERATED}")
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=contents[name]))
    return files


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Remember the navigation: it orders the sections of the print view."""
    global _nav
    _nav = nav
    return nav


# Priority -50: after hooks at the default 0 (the glossary's back-links), so the
# print view copies every page in its final form.
@event_priority(-50)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Assemble the print view: every page of the navigation but the landing page, in order."""
    if _site is None:
        return env
    pages = _nav.pages if _nav is not None else []
    print_pages = [
        page for page in pages_in_reading_order(_nav, files) if print_view.has_placeholder(page.content or "")
    ]
    extensions = config.markdown_extensions
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
        view = print_view.print_view_html(_site.meta, sections, print_page.url, _site.words)
        print_page.content = print_view.fill_placeholder(print_page.content or "", view)
    return env
