"""Editors' footnotes (``text.[^ed1]`` with ``[^ed1]: …``) beside citation notes: a series of their own.

Python-Markdown's footnotes number 1, 2, 3 … per page, and so do the notes of
the sources cited: two notes labelled "1" on one page. Source numbers are the
reference list's, the same on every page, so the two cannot share one series;
editors' footnotes get lowercase roman numerals instead (i, ii, iii …, as the
list's markers: letters are the editors' margin notes', ``editors_notes``), and
their list is labelled "Editors' footnotes". Like citation notes, they keep
Material's tooltips (same ``footnote-ref`` links to ``#fn:…``), appear in the
print view with the page, and stay out of the search index.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor


def _is_footnote_list(element: etree.Element) -> bool:
    return element.tag == "div" and "footnote" in (element.get("class") or "").split()


def roman(number: int) -> str:
    """``number`` (from 1) in lowercase roman numerals: i, ii, iii, iv and so on."""
    numerals: list[tuple[int, str]] = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    numerals += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    written = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        written += numeral * count
    return written


class EditorsFootnotes(Treeprocessor):
    """Label Python-Markdown's footnotes i, ii, iii … and keep them out of the search index."""

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
                ordered.set("type", "i")
                for index, item in enumerate(ordered):
                    labels[item.get("id", "")] = label = roman(index + 1)
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
