r"""pymdownx's blocks processor, installed when a page first holds a block: no pymdownx.blocks on a site without.

Importing ``pymdownx.blocks`` imports ``pymdownx.util``, which imports
``urllib.request`` and with it ``http.client`` and ``ssl``: some 9 ms of every
MkDocs build's start-up (Zensical imports ``pymdownx.util`` itself), spent for
nothing on a site whose pages hold no ``///`` block. So the editors' blocks
extension registers :class:`BlocksOnDemand` where pymdownx's processor goes
("blocks", priority 89.99). It answers "not mine" for every block without
``///`` (what pymdownx's processor answers when no block is open, see
``blocks_speed``); the first block with ``///``, or another pymdownx block
extension asking for the processor (``register``), installs the real one in
its place (``blocks_speed.block_manager``), hands it the blocks registered so
far and passes the question on. From then on the page is parsed by pymdownx
alone, as if it had been installed first.

What installing does at once stays at once: ``/`` joins the characters a
backslash escapes (pymdownx's ``util.escape_chars``), so ``\/`` reads the same
on every page whether or not the page holds a block.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor

if TYPE_CHECKING:
    from pymdownx.blocks import BlocksProcessor

#: Called with the installed processor, to register blocks on it (``BlocksProcessor.register``).
Registration = Callable[["BlocksProcessor"], None]


def block_manager(md: Markdown, register: Registration) -> None:
    """Have ``register`` called with the page's pymdownx blocks processor: now if installed, else when needed.

    Another extension's processor, registered before, serves at once (pymdownx
    is imported then anyway); otherwise a :class:`BlocksOnDemand` stands in.
    """
    if "blocks" in md.parser.blockprocessors:
        current = md.parser.blockprocessors["blocks"]
        if isinstance(current, BlocksOnDemand):
            current.registrations.append(register)
        else:
            register(current)
        return
    # pymdownx.util.escape_chars(md, ["/"]): a copy, so other Markdown instances keep theirs.
    if "/" not in md.ESCAPED_CHARS:
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "/"]
    # Priority 89.99: pymdownx's, right after list indentation is processed.
    md.parser.blockprocessors.register(BlocksOnDemand(md, [register]), "blocks", 89.99)


class BlocksOnDemand(BlockProcessor):
    """Stands for pymdownx's blocks processor until a block holds ``///``."""

    def __init__(self, md: Markdown, registrations: list[Registration]) -> None:
        super().__init__(md.parser)
        self.md = md
        self.registrations = registrations
        self.installed: BlocksProcessor | None = None

    def install(self) -> BlocksProcessor:
        """Pymdownx's processor (``blocks_speed``) in this one's place, with the blocks registered so far."""
        if self.installed is None:
            from . import blocks_speed  # imports pymdownx.blocks: only now, for a page that has a block

            self.md.parser.blockprocessors.deregister("blocks")
            self.installed = blocks_speed.block_manager(self.md)
            for register in self.registrations:
                register(self.installed)
        return self.installed

    def test(self, parent: etree.Element, block: str) -> bool:
        """No block without '///' (pymdownx's answer with no block open); else pymdownx's answer."""
        if "///" not in block:
            return False
        return bool(self.install().test(parent, block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        """Pymdownx's processor takes the block :meth:`test` passed on (installed by then)."""
        return self.install().run(parent, blocks)  # type: ignore[no-any-return]

    def register(self, block: type[Any], config: dict[str, Any]) -> None:
        """Another pymdownx block extension registers its block: install pymdownx's processor for it."""
        self.install().register(block, config)
