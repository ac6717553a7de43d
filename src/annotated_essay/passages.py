"""Quoted passages found in a Python-Markdown tree, and marked without changing their words.

Editors point at the author's text by quoting it (the W3C Web Annotation model's
"text quote selector"), so the Markdown of the essay stays exactly the author's.
A passage may run across inline elements (emphasis, a citation, a link): it is
found in the text a reader sees and wrapped piece by piece.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator

from markdown.util import AtomicString

from .records import Record

#: Elements whose text may hold a passage (the author's running text).
TEXT_TAGS = frozenset({"p", "li", "dd", "td", "blockquote"})
#: Classes of the elements holding editors' notes and markers: never part of a passage.
NOTE_CLASSES = frozenset({"editors-note", "editors-notes"})
MARKER_CLASS = "editors-note-ref"


class Found(Record):
    """Where a block's passage is: its block element and the offsets in that element's text."""

    _fields = ("block", "start", "end", "order")
    block: etree.Element
    start: int
    end: int
    order: tuple[int, int]

    def __init__(self, block: etree.Element, start: int, end: int, order: tuple[int, int]) -> None:
        self.block = block
        self.start = start
        self.end = end
        self.order = order


class _Segment(Record):
    """A piece of a block's text: the ``text`` or ``tail`` of ``node``, whose parent is ``parent``."""

    _fields = ("node", "parent", "is_tail", "start")
    node: etree.Element
    parent: etree.Element | None
    is_tail: bool
    start: int

    def __init__(self, node: etree.Element, parent: etree.Element | None, is_tail: bool, start: int) -> None:
        self.node = node
        self.parent = parent
        self.is_tail = is_tail
        self.start = start

    @property
    def value(self) -> str:
        return (self.node.tail if self.is_tail else self.node.text) or ""


def classes(element: etree.Element) -> set[str]:
    """The element's classes."""
    return set(element.get("class", "").split())


def _text_blocks(root: etree.Element) -> Iterator[etree.Element]:
    """The author's text blocks: paragraphs and the like, outside our own elements."""
    for element in root:
        if not isinstance(element.tag, str) or classes(element) & NOTE_CLASSES:
            continue
        if element.tag in TEXT_TAGS and not any(child.tag in TEXT_TAGS for child in element):
            yield element
        else:
            yield from _text_blocks(element)


def _segments(block: etree.Element) -> list[_Segment]:
    """The block's text in reading order, without our markers and without comments."""
    found: list[_Segment] = []
    position = 0

    def walk(element: etree.Element) -> None:
        nonlocal position
        if element.text:
            found.append(_Segment(element, None, False, position))
            position += len(element.text)
        for child in element:
            skip = not isinstance(child.tag, str) or MARKER_CLASS in classes(child)
            if not skip:
                walk(child)
            if child.tail:
                found.append(_Segment(child, element, True, position))
                position += len(child.tail)

    walk(block)
    return found


class PageText:
    """The author's text blocks of a tree with the text a reader sees in each, read once for many passages.

    Wrapping a passage (:func:`wrap`) and putting a note beside its block
    (``editors_note_markup.beside``) leave every block's text and order as they
    were (markers and notes are not the author's text), so what was found before
    stays where it is.
    """

    def __init__(self, root: etree.Element) -> None:
        self.blocks = [(block, "".join(segment.value for segment in _segments(block))) for block in _text_blocks(root)]

    def occurrences(self, passage: str) -> list[Found]:
        """Every occurrence of ``passage`` in the author's text blocks, in reading order."""
        found: list[Found] = []
        for number, (block, text) in enumerate(self.blocks):
            start = text.find(passage)
            while start >= 0:
                found.append(Found(block, start, start + len(passage), (number, start)))
                start = text.find(passage, start + 1)
        return found


# -- placing anchors, markers and notes ------------------------------------------------------


def _split(value: str, template: str) -> str:
    """``value`` with the type of ``template`` (an AtomicString stays one)."""
    return AtomicString(value) if isinstance(template, AtomicString) else value


def wrap(found: Found, anchor_id: str, marker: etree.Element | None) -> None:
    """Wrap the passage in spans (one per text piece), the first with ``anchor_id``; the marker after it."""
    segments = _segments(found.block)
    last: etree.Element | None = None
    for segment in segments:
        value = segment.value
        a = max(found.start, segment.start) - segment.start
        b = min(found.end, segment.start + len(value)) - segment.start
        if a >= b:
            continue
        span = etree.Element("span", {"class": "editors-passage"})
        if last is None and anchor_id:
            span.set("id", anchor_id)
        span.text = _split(value[a:b], value)
        span.tail = _split(value[b:], value)
        if segment.is_tail:
            segment.node.tail = _split(value[:a], value)
            assert segment.parent is not None
            segment.parent.insert(list(segment.parent).index(segment.node) + 1, span)
        else:
            segment.node.text = _split(value[:a], value)
            segment.node.insert(0, span)
        last = span
    if marker is not None and last is not None:
        parent = parent_of(found.block, last)
        marker.tail, last.tail = last.tail, None
        parent.insert(list(parent).index(last) + 1, marker)


def parent_of(root: etree.Element, target: etree.Element) -> etree.Element:
    """The parent of ``target`` below ``root`` (ElementTree keeps no parent links)."""
    for parent in root.iter():
        if target in list(parent):
            return parent
    raise ValueError("element not in tree")  # pragma: no cover (the span was just inserted)
