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
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .page_context import current_site, under_zensical

if TYPE_CHECKING:
    from markdown import Markdown

#: By configuration file: the site's digest and, by source path, each page's HTML as converted.
_CONVERTED: dict[str, tuple[str, dict[str, str]]] = {}


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
            # Markdown.convert strips what the postprocessors return.
            record(str(index.config_file), index.digest, page.src_uri, text.strip())
        return text


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, recorder: _Recorder) -> None:
        super().__init__(md)
        self.recorder = recorder

    def run(self, root: etree.Element) -> None:
        self.recorder.tree_done = True


__all__ = ["PageRecorder", "converted", "record"]
