"""Editors' footnotes (``text.[^ed1]`` with ``[^ed1]: …``) beside citation notes: a series of their own.

Python-Markdown's footnotes number 1, 2, 3 … per page, and so do the notes of
the sources cited: two notes labelled "1" on one page. Source numbers are the
reference list's, the same on every page, so the two cannot share one series;
editors' footnotes are lettered instead (a, b, c …, as the list's markers), and
their list is labelled "Editors' footnotes". Like citation notes, they keep
Material's tooltips (same ``footnote-ref`` links to ``#fn:…``), appear in the
print view with the page, and stay out of the search index.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

from .citation_notes import letter


def _is_footnote_list(element: etree.Element) -> bool:
    return element.tag == "div" and "footnote" in (element.get("class") or "").split()


class EditorsFootnotes(Treeprocessor):
    """Letter Python-Markdown's footnotes and keep them out of the search index."""

    def run(self, root: etree.Element) -> None:
        """Relabel the references, the list and its back-links of every footnote list."""
        labels: dict[str, str] = {}
        for div in [element for element in root.iter("div") if _is_footnote_list(element)]:
            div.set("class", f"{div.get('class')} editors-footnotes")
            # Out of the search index as citation notes are: they would be indexed under the page's last heading.
            div.set("data-search-exclude", "")
            div.set("role", "doc-endnotes")
            div.set("aria-label", "Editors' footnotes")
            for ordered in div.iter("ol"):
                ordered.set("type", "a")
                for index, item in enumerate(ordered):
                    labels[item.get("id", "")] = label = letter(index)
                    for backref in item.iter("a"):
                        if backref.get("class") == "footnote-backref":
                            backref.set("title", f"Jump back to editors' footnote {label} in the text")
                break  # the list of definitions is the first one; others are inside footnotes
        if not labels:
            return
        for sup in root.iter("sup"):
            for link in sup:
                target = link.get("href", "")[1:]
                if link.tag == "a" and link.get("class") == "footnote-ref" and target in labels:
                    link.text = labels[target]
                    sup.set("data-search-exclude", "")
