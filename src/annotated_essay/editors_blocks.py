"""The editors' two pymdownx blocks, ``/// editors-note | passage`` and ``/// passage | passage``.

Kept apart from ``editors_notes`` because they subclass ``pymdownx.blocks``'
``Block``: this module is imported, and pymdownx.blocks with it, only when a
page holds a block (``blocks_on_demand``).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from pymdownx.blocks.block import Block, type_string

from .editors_notes import BLOCK_KIND, NOTE_BLOCK, PASSAGE_BLOCK

if TYPE_CHECKING:
    from pymdownx.blocks import BlocksProcessor


def register(block_mgr: BlocksProcessor) -> None:
    """Register both blocks with the page's pymdownx blocks processor."""
    block_mgr.register(_NoteBlock, {})
    block_mgr.register(_PassageBlock, {})


class _EditorsBlock(Block):  # type: ignore[misc]  # pymdownx has no type information
    """Shared parsing of both blocks: the quoted passage and an optional ``id``."""

    # None: the passage is optional to the blocks parser, so that a missing one
    # reaches the tree processor and gets a located message instead of a silent paragraph.
    ARGUMENT = None
    # Plain strings: the tree processor checks them and says what is wrong.
    OPTIONS: ClassVar[dict[str, tuple[str, Callable[[object], str]]]] = {"id": ("", type_string)}

    def on_create(self, parent: etree.Element) -> etree.Element:
        """An element standing for the block, taken out of the tree later."""
        element = etree.SubElement(parent, "div", {BLOCK_KIND: self.NAME})
        element.set("data-passage", self.argument or "")
        element.set("data-id", self.options["id"])
        return element


class _NoteBlock(_EditorsBlock):
    NAME = NOTE_BLOCK


class _PassageBlock(_EditorsBlock):
    NAME = PASSAGE_BLOCK

    def on_markdown(self) -> str:
        """A passage block has no body; whatever is in it is kept as text and reported."""
        return "raw"
