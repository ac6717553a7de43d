"""The markup of editors' notes: the letter after the passage, the note beside the paragraph, the list at the end.

Built as ElementTree elements for ``editors_notes``' treeprocessor; the classes and
ids are what ``docs/assets/editors-notes.*`` and the print view rely on.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree

from .passages import classes, parent_of

__all__ = ["HEADING", "LIST_ID", "beside", "margin_note", "marker", "note_list"]

#: The heading of the list at the page's end, and its id.
HEADING = "Editors’ notes"
LIST_ID = "editors-notes"


def marker(label: str) -> etree.Element:
    """The letter after the passage: a link to the note in the list (the script opens it in place)."""
    sup = etree.Element("sup", {"class": "editors-note-ref", "data-search-exclude": ""})
    link = etree.SubElement(
        sup,
        "a",
        {"id": f"editors-note-ref-{label}", "href": f"#editors-note-item-{label}", "data-letter": label},
    )
    hidden = etree.SubElement(link, "span", {"class": "editors-note-sr"})
    hidden.text = "Editors’ note "
    hidden.tail = label
    return sup


def _label(label: str) -> etree.Element:
    heading = etree.Element("p", {"class": "editors-note-label"})
    letter_span = etree.SubElement(heading, "span", {"class": "editors-note-letter"})
    letter_span.text = label
    letter_span.tail = " Editors’ note"
    return heading


def _body(block: etree.Element) -> list[etree.Element]:
    """The note's content as paragraphs (a one-line note's text has no paragraph of its own)."""
    children = [copy.deepcopy(child) for child in block]
    text = (block.text or "").strip()
    if text:
        paragraph = etree.Element("p")
        paragraph.text = text
        children.insert(0, paragraph)
    return children


def margin_note(block: etree.Element, label: str) -> etree.Element:
    """The note shown beside the paragraph: left out of the search index (the list has it)."""
    note = etree.Element(
        "div",
        {
            "class": "editors-note no-gloss",
            "id": f"editors-note-{label}",
            "role": "note",
            "aria-label": f"Editors’ note {label}",
            "data-letter": label,
            "data-search-exclude": "",
            "tabindex": "-1",
        },
    )
    note.append(_label(label))
    for child in _body(block):
        for element in child.iter():
            element.attrib.pop("id", None)  # ids stay unique: the list's copy keeps them
        note.append(child)
    return note


def beside(root: etree.Element, block: etree.Element, note: etree.Element) -> None:
    """Put ``note`` beside ``block``: both in a wrapper, the note in its margin column."""
    parent = parent_of(root, block)
    if "editors-noted" in classes(parent):
        margin = parent[-1]
    else:
        wrapper = etree.Element("div", {"class": "editors-noted"})
        index = list(parent).index(block)
        parent.remove(block)
        parent.insert(index, wrapper)
        wrapper.tail, block.tail = block.tail, "\n"
        wrapper.append(block)
        margin = etree.SubElement(wrapper, "div", {"class": "editors-margin"})
    margin.append(note)


def note_list(notes: list[tuple[etree.Element, str]]) -> etree.Element:
    """All of the page's notes under their own heading: what search indexes and print shows."""
    section = etree.Element("div", {"class": "editors-notes no-gloss"})
    heading = etree.SubElement(section, "h2", {"id": LIST_ID})
    heading.text = HEADING
    listing = etree.SubElement(section, "ol", {"class": "editors-notes-list"})
    for block, label in notes:
        item = etree.SubElement(listing, "li", {"id": f"editors-note-item-{label}"})
        item.append(_label(label))
        body = _body(block)
        item.extend(body)
        back = etree.SubElement(
            body[-1] if body and body[-1].tag == "p" else item,
            "a",
            {"class": "editors-note-back", "href": f"#editors-note-ref-{label}", "data-search-exclude": ""},
        )
        back.text = "↩"
        hidden = etree.SubElement(back, "span", {"class": "editors-note-sr"})
        hidden.text = f" Back to the text of note {label}"
    return section
