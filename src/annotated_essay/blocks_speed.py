"""pymdownx.blocks' block processor, the same blocks at less cost on the many paragraphs that hold none.

The editors' blocks (``/// editors-note | words``, ``/// passage | words``,
``annotated_essay.editors_notes``) use pymdownx.blocks, whose block processor
is asked about every block of every page. Two of its steps cost more than they
need to on a warm build, where every other step is cheap:

- ``test`` searches each block with a pattern that starts with "at a line's
  start", which the regex engine tries at every position. A new block needs ``///``
  somewhere in the text, and with no block open nothing else is taken: a
  substring test answers for most paragraphs.
- ``split_header`` reads a block's options (``    id: zhenbao-1969``) with
  PyYAML's pure-Python loader, 50 µs a block. libyaml's loader, when PyYAML has
  it, reads the same YAML into the same values in a tenth of that; a text it
  rejects is read again as pymdownx reads it, so what is refused stays refused.

Everything else is pymdownx's own code: the processor is a subclass that is
installed only when no other extension has installed pymdownx's first (then
that one serves, as before), and it serves every block extension of the page.
"""

from __future__ import annotations

import textwrap
from typing import Any

import yaml
from markdown import Markdown
from pymdownx import util as pymdownx_util
from pymdownx.blocks import BlocksMgrExtension, BlocksProcessor, BlocksTreeprocessor, get_frontmatter

#: libyaml's safe loader, or PyYAML's own where it was built without libyaml.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def block_manager(md: Markdown) -> BlocksProcessor:
    """The page's pymdownx blocks processor: :class:`QuickBlocksProcessor` unless one is registered already.

    What ``pymdownx.blocks.BlocksExtension.register_block_mgr`` does, with the subclass.
    """
    if "blocks" in md.parser.blockprocessors:
        return md.parser.blockprocessors["blocks"]
    manager = _QuickBlocksManager()
    manager.extendMarkdown(md)
    return manager.extension


def options(text: str) -> dict[str, Any] | None:
    """A block's options as ``pymdownx.blocks.get_frontmatter`` reads them (None: not a mapping, or not YAML)."""
    try:
        found = yaml.load(text, Loader=_LOADER)  # a safe loader: libyaml's SafeLoader
    except Exception:  # as pymdownx: any failure to read is "not valid options"
        return get_frontmatter(text)  # type: ignore[no-any-return]
    if found is None:
        return {}
    return found if isinstance(found, dict) else None


class QuickBlocksProcessor(BlocksProcessor):  # type: ignore[misc]  # pymdownx has no type information
    """pymdownx's processor with a quick ``test`` for blocks without ``///`` and libyaml for options."""

    def test(self, parent: Any, block: str) -> bool:
        """``pymdownx.blocks.BlocksProcessor.test`` (13.1) after a quick answer for most blocks.

        pymdownx takes a block when one of its blocks is open (the stack, or the
        parent found by the last test) or when the block starts one, which needs
        '///'. Its body is repeated here, not called: pymdownx gives up nesting
        near Python's recursion limit, counted in frames, and one more frame
        would move that limit.
        """
        if "///" not in block and not self.stack and self.cached_parent is None:
            return False
        if self.get_parent(parent) is not None:
            return True
        m = self.start.search(block)
        if m and pymdownx_util.nearing_depth_limit(self.parser, parent):
            return False
        if m:
            pre_text = block[: m.start()] if m.start() > 0 else None
            name = m.group(2).lower()
            if name in self.blocks:
                generic_block = self.blocks[name](len(m.group(1)), self.trackers[name], self, self.config[name])
                block = block[m.end() :]
                options, the_rest = self.split_header(block, generic_block.length)
                arguments = m.group(3)
                status = options is not None and generic_block._validate(parent, arguments, **options)
                if status:
                    self.cached_block = (generic_block, the_rest)
                    if pre_text is not None:
                        self.parser.parseBlocks(parent, [pre_text])
                return bool(status)
        return False

    def split_header(self, block: str, length: int) -> tuple[dict[str, Any] | None, str]:
        """``pymdownx.blocks.BlocksProcessor.split_header`` (13.1), reading the options with :func:`options`."""
        m = None
        blocks: list[str] = []
        for match in self.end.finditer(block):
            if len(match.group(1)) == length:
                m = match
                break
        if m:
            end = block[m.start(0) :]
            blocks.insert(0, end)
            block = block[: m.start(0)]
        m = self.yaml_line.match(block)
        if m is not None:
            config = textwrap.dedent(m.group(0))
            blocks.insert(0, block[m.end() :])
            if config.strip():
                return options(config), "\n".join(blocks)
        blocks.insert(0, block)
        return {}, "\n".join(blocks)


class _QuickBlocksManager(BlocksMgrExtension):  # type: ignore[misc]  # pymdownx has no type information
    """``pymdownx.blocks.BlocksMgrExtension`` (13.1) registering :class:`QuickBlocksProcessor`."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the processor and its treeprocessor where pymdownx does."""
        md.registerExtension(self)
        pymdownx_util.escape_chars(md, ["/"])
        self.extension = QuickBlocksProcessor(md.parser, md)
        # Priority 89.99: pymdownx's, right after list indentation is processed.
        md.parser.blockprocessors.register(self.extension, "blocks", 89.99)
        tree = BlocksTreeprocessor(md, self.extension)
        # Priority 19.99: pymdownx's, right after the inline patterns (20).
        md.treeprocessors.register(tree, "blocks_on_inline_end", 19.99)
