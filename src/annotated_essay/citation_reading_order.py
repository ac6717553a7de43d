"""Citations in the order a reader meets them, at any nesting; slips reported in source order.

Python-Markdown's inline pass visits top-level paragraphs before what is nested
in blockquotes, lists, admonitions, details or tables, so the inline processors
only mark each citation (``data-citation``); this treeprocessor then numbers
their anchors by walking the finished tree.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from .citation_notes import CitationRecord
from .citation_processors import DocumentState
from .page_context import current_site
from .source_lines import location

if TYPE_CHECKING:
    from .citations import CitationsExtension


class CitationCollector(Treeprocessor):
    """Report slips in source order; number the citations' anchors in reading order.

    Reading order is document order, except that a footnote definition is read
    where it is first referenced (its note opens there), not at the page's end.
    """

    def __init__(self, md: Markdown, extension: CitationsExtension, state: DocumentState) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, root: etree.Element) -> None:  # noqa: D102 (Python-Markdown's API)
        if not self.state.pending:
            return
        site = None if self.extension.scanning else current_site(self.md)
        if site is not None:  # under Zensical no hook names the page: the site index does
            self.extension.set_page(site[1].src_uri, site[1].line_offset)
        slips = any(pending.problems for pending in self.state.pending.values())
        for element in root.iter() if slips else ():  # a page without slips is not walked for them
            serial = element.get("data-citation")
            if serial is not None:
                pending = self.state.pending[serial]
                if pending.problems:
                    line = self.state.line_of(pending.snippet)  # once: the n-th lookup finds the n-th occurrence
                    where = location(self.extension.source_name, line, self.extension.line_offset)
                    for problem in pending.problems:
                        self.extension.logger.warning(f"{where}: {problem}")
        definitions, containers = _footnote_definitions(root)
        if not containers:  # no footnotes to read where they are referenced: reading order is document order
            # Without slips every citation is a superscript (a slip may be a marked <span>): only those are looked at.
            for element in root.iter() if slips else root.iter("sup"):
                if element.get("data-citation") is not None and element is not root:
                    self._record(element)
            return
        visited: set[str] = set()
        for element in self._reading_order(root, definitions, containers, visited):
            self._record(element)
        for identifier, definition in definitions.items():
            if identifier not in visited:
                for element in self._reading_order(definition, definitions, containers, visited):
                    self._record(element)

    def _reading_order(
        self,
        parent: etree.Element,
        definitions: dict[str, etree.Element],
        containers: set[etree.Element],
        visited: set[str],
    ) -> Iterator[etree.Element]:
        for child in parent:
            if child.get("data-citation") is not None:
                yield child
            if child in containers:
                continue  # the definitions are read where they are referenced
            yield from self._reading_order(child, definitions, containers, visited)
            target = child.get("href", "")[1:] if child.tag == "a" and child.get("class") == "footnote-ref" else ""
            if target in definitions and target not in visited:
                visited.add(target)
                yield from self._reading_order(definitions[target], definitions, containers, visited)

    def _record(self, element: etree.Element) -> None:
        items = self.state.pending[element.attrib.pop("data-citation")].items
        if items:
            records = self.state.page.records
            anchor = f"citation-{len(records) + 1}"
            element.set("id", anchor)
            records.append(CitationRecord(anchor, items))  # positional: 2,400 records on a large site
            self.state.anchored.append(element)


def _footnote_definitions(root: etree.Element) -> tuple[dict[str, etree.Element], set[etree.Element]]:
    """Python-Markdown's footnote definitions by id, and the lists holding them."""
    definitions: dict[str, etree.Element] = {}
    containers: set[etree.Element] = set()
    for div in root.iter("div"):
        if "footnote" in (div.get("class") or "").split():
            for ordered in div.iter("ol"):
                containers.add(ordered)
                for item in ordered:
                    if item.get("id"):
                        definitions[item.get("id", "")] = item
    return definitions, containers
