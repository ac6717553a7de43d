"""Element subtrees kept between builds as XML text, for extensions that draw much the same tree each build.

A tree an extension builds from data (the timeline's 500 elements) costs about as
much to build again as to unpickle, but ElementTree's C parser reads it back from
XML text in a fifth of that. Only a tree that comes back exactly (every tag,
attribute in order, text and tail, ``None`` and ``""`` told apart) is kept: a
text XML cannot hold (a control character) or an empty text makes
:func:`tree_text` answer None, and the caller builds the tree on every build.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import Any


def tree_text(root: etree.Element) -> str | None:
    """``root`` (and its subtree) as XML text that :func:`tree_from_text` turns back into the same tree, or None."""
    if root.tail is not None:
        return None  # the tail is the parent's text: not part of what is kept
    try:
        text = etree.tostring(root, encoding="unicode")
        back = etree.fromstring(text)
    except (etree.ParseError, TypeError, ValueError):
        return None
    same = all(kept == built for kept, built in zip(_shape(back), _shape(root), strict=False))
    return text if same and sum(1 for _ in back.iter()) == sum(1 for _ in root.iter()) else None


def tree_from_text(text: str) -> etree.Element:
    """The tree :func:`tree_text` wrote as ``text``."""
    return etree.fromstring(text)


def _shape(root: etree.Element) -> Iterator[tuple[Any, ...]]:
    # Texts compared with their types' difference ignored (AtomicString is a str), None apart from "".
    for element in root.iter():
        yield element.tag, list(element.attrib.items()), element.text, element.tail


__all__ = ["tree_from_text", "tree_text"]
