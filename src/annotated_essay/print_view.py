"""The print view: the whole edition on one page, to print or save as PDF.

A line ``::: print-view`` on a page (``docs/print.md``) marks where the view
goes. It is assembled from the other pages' rendered HTML, in reading order:
each page becomes a section whose ids are prefixed with the section's slug,
whose links to pages in the view become links inside it, and whose headings
move one level down under the view's title. All of that is done on parsed
trees (html5lib, the WHATWG parser: SVG keeps its ``viewBox``), so an ``id="…"``
written in prose or in ``<code>`` is text and stays as written.

Parsing and writing every page again costs more than the rest of a warm build
of the essay, so the assembled view is kept in the one cache layer
(:mod:`.content_cache`), found by a digest of everything it is made from: the
pages' HTML, titles and URLs, the metadata, the package's code and html5lib's
version. A build whose pages did not change reuses it byte for byte.
"""

from __future__ import annotations

import functools
import logging
import platform
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.util import AtomicString

from . import content_cache
from .essay_metadata import EssayMeta
from .essay_site import LOGGER, citations_of, essay_site_of
from .landing_page import header_element
from .page_context import current_site, under_zensical
from .site_index import SitePage, relative_url
from .zensical_kept_pages import keep_pages
from .zensical_pages import PageRecorder, converted, later_pages

PRINT_MARKER = "::: print-view"
#: What the marker becomes until the view is assembled (:func:`fill_placeholder`).
_PLACEHOLDER_ATTRIBUTE = "data-print-view"

_ID_ATTRIBUTES = frozenset({"id", "for"})
_ID_LIST_ATTRIBUTES = frozenset({"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_HEADINGS = {f"h{level}": f"h{level + 1}" for level in range(1, 6)}


@functools.cache
def _serializer() -> Any:
    """html5lib's serializer as the view writes HTML; html5lib is imported on a cache miss only."""
    from html5lib.serializer import HTMLSerializer

    return HTMLSerializer(
        omit_optional_tags=False,
        quote_attr_values="always",
        use_trailing_solidus=False,
        minimize_boolean_attributes=False,
        escape_lt_in_attrs=False,
        resolve_entities=True,
    )


class PrintSection(NamedTuple):
    """One rendered page to include in the print view."""

    src_uri: str
    url: str
    title: str
    content: str

    @property
    def slug(self) -> str:
        """The section's id in the print view, from its source path: ``essay-opening``."""
        stem = self.src_uri[: -len(".md")] if self.src_uri.endswith(".md") else self.src_uri
        return re.sub(r"[^\w-]+", "-", stem).strip("-").lower() or "section"


class PrintViewExtension(Extension):
    """Python-Markdown extension: ``::: print-view`` becomes the placeholder the view replaces.

    Under MkDocs the hook fills it from the pages MkDocs rendered (``on_env``).
    Zensical has no such event: the page's own conversion fills it, from the
    other pages as Zensical converted them earlier in the process
    (:mod:`.zensical_pages`), converting those not seen yet itself, each with
    Zensical's page context for that page.
    """

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the block processor and, for Zensical, the assembly."""
        md.registerExtension(self)
        # Priority 72: after the landing page's markers (74, 73), before "paragraph" (10),
        # after "code" (80), so an indented marker stays code.
        md.parser.blockprocessors.register(_PrintMarker(md.parser), "print_view", 72)
        # Priority 1: after every other postprocessor (raw HTML restored at 30, citations at 5).
        md.postprocessors.register(_ZensicalAssembly(md), "print_view_zensical", 1)
        if under_zensical(md):  # each page's HTML kept for the print page's conversion
            PageRecorder().extendMarkdown(md)
            keep_pages(md)  # and whole pages kept between builds, by all their inputs


class _ZensicalAssembly(Postprocessor):
    def run(self, text: str) -> str:
        context = _zensical_context(self.md)
        if context is None or not has_placeholder(text):
            return text
        found = essay_site_of(self.md)
        if found is None:
            return text
        site, page = found
        index = site.index
        others = [other for other in index.pages if other.in_nav and other.src_uri not in ("index.md", page.src_uri)]
        # As Zensical converted them before this page; those it converts after, converted here or kept.
        html = {other.src_uri: converted(str(index.config_file), index.digest, other.src_uri) for other in others}
        before = [f"{uri}\0{content}" for uri, content in html.items() if content is not None]
        later = [other for other in others if html[other.src_uri] is None]
        citations = citations_of(self.md)  # its folder kept between builds: a warm build skips html5lib
        cache_dir = citations.cache_dir if citations is not None else None
        seen = [repr(site.meta), str(site.words), *before]
        converted_later = later_pages(
            context.config, index, later, seen, lambda other: _render(context, other), cache_dir
        )
        html |= dict(zip((other.src_uri for other in later), converted_later, strict=True))
        sections = [
            PrintSection(other.src_uri, other.url, other.display_title, html[other.src_uri] or "") for other in others
        ]
        view = print_view_html(site.meta, sections, page.src_uri, site.words, sources=True, cache_dir=cache_dir)
        return fill_placeholder(text, view)


def _zensical_context(md: Markdown) -> Any:
    """Zensical's page context in ``md`` (its ``rendering_context`` preprocessor), or None under MkDocs."""
    # Python-Markdown's Registry has no .get().
    return md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors else None  # noqa: SIM401


def _render(context: Any, page: SitePage) -> str:
    """``page`` converted as Zensical converts it (``zensical.markdown.render``), for the print view.

    Its own conversion reports its slips; this one is quiet, so nothing is reported twice.
    """
    from zensical.extensions.context import ContextExtension, Page  # only under Zensical

    config = context.config
    extensions = [ext for ext in config["markdown_extensions"] if not isinstance(ext, ContextExtension)]
    own = Page(url=page.url, path=page.src_uri, title=page.title, meta=dict(page.meta))
    converter = Markdown(
        extensions=[ContextExtension(page=own, config=config), *extensions],
        extension_configs=config["mdx_configs"],
    )
    logging.disable(logging.WARNING)
    try:
        return converter.convert(page.markdown)
    finally:
        logging.disable(logging.NOTSET)


class _PrintMarker(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == PRINT_MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        if current_site(self.parser.md) is None:
            LOGGER.warning(
                f"'{PRINT_MARKER}' needs a site to assemble (a build by MkDocs or Zensical, with "
                "extra.essay in mkdocs.yml); remove the line, which is shown as written."
            )
            etree.SubElement(parent, "p").text = AtomicString(PRINT_MARKER)
            return
        etree.SubElement(parent, "div", {"class": "print-view", _PLACEHOLDER_ATTRIBUTE: ""})


def has_placeholder(content: str) -> bool:
    """Whether a rendered page holds the print view's placeholder."""
    return f'<div class="print-view" {_PLACEHOLDER_ATTRIBUTE}=""></div>' in content


def fill_placeholder(content: str, view: str) -> str:
    """``content`` with the placeholder replaced by ``view`` (the assembled print view)."""
    return content.replace(f'<div class="print-view" {_PLACEHOLDER_ATTRIBUTE}=""></div>', view)


def parse_fragment(content: str) -> etree.Element:
    """``content`` (an HTML fragment) as a tree under a ``DOCUMENT_FRAGMENT`` element."""
    import html5lib  # here, not at import: a build that finds the view cached never needs it

    return html5lib.parseFragment(content, treebuilder="etree", namespaceHTMLElements=False)  # type: ignore[no-any-return]


def serialize(fragment: etree.Element) -> str:
    """The children of ``fragment`` (and its text) as HTML."""
    import html5lib

    walker = html5lib.getTreeWalker("etree")
    return str(_serializer().render(walker(fragment)))


def rebase_section(section: PrintSection, print_url: str, targets: Mapping[str, str]) -> etree.Element:
    """``section.content`` parsed, ids prefixed by the section's slug, links made to work on the print page.

    ``targets`` maps the URL of every page in the print view to its slug: a link
    to such a page becomes an in-page link; other relative links are rewritten
    relative to ``print_url``; absolute links stay as they are, and print CSS
    shows their address after the link text (``data-print-url``).
    """
    fragment = parse_fragment(section.content)
    prefix = section.slug + "-"
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        for name, value in list(element.attrib.items()):
            if name in _ID_ATTRIBUTES:
                element.set(name, prefix + value)
            elif name in _ID_LIST_ATTRIBUTES:
                element.set(name, " ".join(prefix + part for part in value.split()))
            elif name in _URL_ATTRIBUTES:
                rebased = _rebase_url(value, section, print_url, targets)
                element.set(name, rebased)
                if name == "href" and urlsplit(rebased).scheme in {"http", "https"}:
                    element.set("data-print-url", rebased)
    return fragment


def demote_headings(fragment: etree.Element) -> None:
    """``h1``–``h5`` become ``h2``–``h6``, so sections nest under the print view's title."""
    for element in list(fragment.iter()):
        if isinstance(element.tag, str) and element.tag in _HEADINGS:
            element.tag = _HEADINGS[element.tag]


def _rebase_url(url: str, section: PrintSection, print_url: str, targets: Mapping[str, str]) -> str:
    if url.startswith("#"):
        return f"#{section.slug}-{url[1:]}" if len(url) > 1 else f"#{section.slug}"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/") or not url:
        return url
    # Between source files (Zensical rewrites them in the finished page), or a URL.
    base = section.src_uri if targets.get(_SOURCES) and parts.path.endswith(".md") else section.url
    resolved = urlsplit(urljoin("/" + base, url))
    path = resolved.path.lstrip("/")
    for candidate in (path, path.removesuffix("index.html")):
        if candidate in targets:
            slug = targets[candidate]
            return f"#{slug}-{resolved.fragment}" if resolved.fragment else f"#{slug}"
    rebased = relative_url(path or "./", print_url)
    query = f"?{resolved.query}" if resolved.query else ""
    fragment = f"#{resolved.fragment}" if resolved.fragment else ""
    return f"{rebased}{query}{fragment}"


#: Marks ``targets`` keyed by source files (see :func:`print_view_html`'s ``sources``).
_SOURCES = "\0sources"


def print_view_html(
    meta: EssayMeta,
    sections: Sequence[PrintSection],
    print_url: str,
    words: int,
    *,
    sources: bool = False,
    cache_dir: content_cache.Folder = None,
) -> str:
    """The whole essay on one page: header, contents, then every section in order.

    With ``sources``, the sections' links are still written between source
    files (``../index.md#cite-this-essay``), as in a Zensical conversion, which
    rewrites them in the finished page: they are resolved against each
    section's source file and written relative to ``print_url``, then the print
    page's own source file. Without it (MkDocs' rendered pages) they are URLs.

    The result is kept in this process and in ``cache_dir`` (if given), found
    by a digest of every input and of the code, so a later build whose pages
    are unchanged skips the parsing (see the module's docstring).
    """
    key = content_cache.digest(
        _code_digest(),
        content_cache.versions_digest("html5lib"),
        platform.python_version(),
        repr(meta),
        print_url,
        str(words),
        str(sources),
        *(part for section in sections for part in section),
    )
    return content_cache.cached(
        "print-view",
        key,
        lambda: _assemble(meta, sections, print_url, words, sources=sources),
        cache_dir,
        file_format="text",
    )


def _code_digest() -> str:
    """A digest of the package's code: the view depends on this module, the header's and their helpers."""
    return content_cache.source_digest(*sorted(str(path) for path in Path(__file__).parent.glob("*.py")))


def _assemble(meta: EssayMeta, sections: Sequence[PrintSection], print_url: str, words: int, *, sources: bool) -> str:
    """:func:`print_view_html` without the cache."""
    targets = {section.url: section.slug for section in sections}
    for section in sections:
        targets.setdefault(section.url + "index.html", section.slug)
    if sources:
        targets |= {section.src_uri: section.slug for section in sections} | {_SOURCES: "yes"}
    view = etree.Element("div", {"class": "print-view"})
    _text(view, "h1", meta.title, id="print-title")
    view.append(header_element(meta, words))
    _text(view, "p", _print_hint(meta, sections), **{"class": "print-view__hint"})
    contents = etree.SubElement(view, "nav", {"class": "print-view__contents", "aria-label": "Contents"})
    listing = etree.SubElement(contents, "ol")
    for section in sections:
        _text(etree.SubElement(listing, "li"), "a", section.title, href=f"#{section.slug}")
    for section in sections:
        element = etree.SubElement(
            view, "section", {"class": "print-section", "id": section.slug, "data-source": section.src_uri}
        )
        body = rebase_section(section, print_url, targets)
        if not any(isinstance(node.tag, str) and node.tag == "h1" for node in body.iter()):
            _text(element, "h2", section.title, id=f"{section.slug}-title")
        demote_headings(body)
        _adopt(element, body)
    holder = etree.Element("DOCUMENT_FRAGMENT")
    holder.append(view)
    return serialize(holder)


def _text(parent: etree.Element, tag: str, text: str, **attributes: str) -> etree.Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _adopt(parent: etree.Element, fragment: etree.Element) -> None:
    """Move the fragment's text and children to the end of ``parent``."""
    if fragment.text:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + fragment.text
        else:
            parent.text = (parent.text or "") + fragment.text
    for child in list(fragment):
        parent.append(child)


def _print_hint(meta: EssayMeta, sections: Sequence[PrintSection]) -> str:
    extra = [section.title for section in sections if not section.src_uri.startswith(meta.folder)]
    after = f", then {' and '.join([', '.join(extra[:-1]), extra[-1]] if len(extra) > 1 else extra)}" if extra else ""
    return (
        f"This page holds the whole essay, every section with its notes{after}. "
        "Use your browser’s print command to print it or save it as PDF."
    )


def sections_of(pages: Iterable[tuple[str, str, str, str]], skip: Iterable[str]) -> list[PrintSection]:
    """Print sections from ``(src_uri, url, title, content)`` in reading order, but those in ``skip``."""
    skipped = set(skip)
    return [PrintSection(*page) for page in pages if page[0] not in skipped and page[3]]


def makeExtension(**kwargs: Any) -> PrintViewExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.print_view"])``."""
    return PrintViewExtension(**kwargs)


__all__ = [
    "PRINT_MARKER",
    "PrintSection",
    "PrintViewExtension",
    "demote_headings",
    "fill_placeholder",
    "has_placeholder",
    "makeExtension",
    "parse_fragment",
    "print_view_html",
    "rebase_section",
    "sections_of",
    "serialize",
]
