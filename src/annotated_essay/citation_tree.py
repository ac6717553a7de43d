"""The citations' steps over the finished tree: citations moved out of links, and the tree's end.

Python-Markdown's inline pass leaves a citation where it was written, also
inside a link's text, where its own link to the note would nest in the outer
one (:class:`CitationsOutOfLinks`). And phase two must run once, on the whole
page, not on each heading's text that ``toc`` runs the postprocessors over
(:class:`TreeDone`, which also takes an id the editor gave a citation as its
anchor and lets go of the page's pending citations). Both work on the tree
the processors in :mod:`.citation_processors` made.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from .citation_processors import DocumentState


def _is_citation(element: etree.Element) -> bool:
    return element.get("class") in {"citation", "citation-narrative"}


class TreeDone(Treeprocessor):
    """Marks the end of the tree's processing, so phase two runs once, on the whole page.

    Python-Markdown's ``toc`` runs every postprocessor on each heading's text before that.
    It also takes the anchor of a citation the editor gave an id (``[@key]{: #here}``:
    attr_list runs after the citations are numbered and replaces their ``citation-N``
    id), so the notes' and the reference list's back-links lead to the id the page has.
    """

    def __init__(self, md: Markdown, state: DocumentState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:  # noqa: D102 (Python-Markdown's API)
        self.state.tree_done = True
        records = self.state.page.records
        for position, element in enumerate(self.state.anchored):
            given = element.get("id")
            if given is not None and given != records[position].anchor:
                records[position] = records[position]._replace(anchor=given)
        # Read by no later step: let go of them now. The Markdown instance is garbage in a cycle once
        # MkDocs has the page and is freed only by a collection, mostly one of the older generation
        # (it lived through a younger one): page after page, every citation's records and superscript
        # waited there for it and were walked at each collection meanwhile.
        self.state.pending = {}
        self.state.anchored = []


class CitationsOutOfLinks(Treeprocessor):
    """Move a citation written inside link text to just after the link.

    Its superscript holds a link to the note, and a link inside a link is not
    HTML (browsers split the outer one).
    """

    def run(self, root: etree.Element) -> None:  # noqa: D102 (Python-Markdown's API)
        links = [(parent, child) for parent in root.iter() for child in parent if child.tag == "a"]
        for parent, link in links:
            found = [
                (holder, element)
                for holder in link.iter()
                if holder.get("class") != "citation-narrative"
                for element in holder
                if _is_citation(element)
            ]
            if not found:
                continue
            for holder, element in found:
                index = list(holder).index(element)
                if element.tail:  # the text after the citation stays in the link
                    if index:
                        holder[index - 1].tail = (holder[index - 1].tail or "") + element.tail
                    else:
                        holder.text = (holder.text or "") + element.tail
                holder.remove(element)
            position = list(parent).index(link)
            tail, link.tail = link.tail, None
            for offset, (_, element) in enumerate(found, start=1):
                element.tail = None
                parent.insert(position + offset, element)
            found[-1][1].tail = tail
