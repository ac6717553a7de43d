"""Editors' notes anchored to a passage of the essay, and named anchors on passages.

An annotated edition comments on the author's text without changing it, so a
note does not sit inside the author's paragraph in the Markdown: it quotes the
passage it is about, in a block of its own (``pymdownx.blocks`` syntax)::

    /// editors-note | the People’s Daily
    The source cited here is the *Global Times* (环球时报) …
    ///

    /// passage | on Zhenbao Island
        id: zhenbao-1969
    ///

The first puts a lettered marker (a, b, c … per page, never the numbers of the
source notes) after the passage, the note itself beside the author's paragraph
(in the margin on wide screens, a popover on phones; ``assets/editors-notes.*``)
and again in an "Editors’ notes" list at the end of the page. The second only
gives the passage an id that other pages (the timeline) can link to.

The note beside the paragraph and the marker carry ``data-search-exclude``:
Material's search index reads a page's text by section, so a note inside the
author's section would read as the author's. The index reads each note once,
in the end list, under its own heading.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import page_context
from .blocks_on_demand import block_manager
from .build_log import feature_logger
from .editors_note_markup import beside, margin_note, marker, note_list
from .lazy_regex import on_first_use
from .passages import Found, PageText, wrap
from .source_lines import SourceLines, SourceRecorder, location
from .wording import letter

if TYPE_CHECKING:
    from pymdownx.blocks import BlocksProcessor

#: Block names editors write after ``///``.
NOTE_BLOCK = "editors-note"
PASSAGE_BLOCK = "passage"
#: Attribute marking the element a block produced, until the tree processor takes it out.
BLOCK_KIND = "data-editors-block"
_ID = on_first_use(r"^[A-Za-z][A-Za-z0-9_:.-]*$")
#: A block the blocks parser did not accept stays a paragraph starting like this.
_UNPARSED = re.compile(rf"^/{{3,}}\s*({NOTE_BLOCK}|{PASSAGE_BLOCK})\b")
#: The first line of an editors' block (group 1: its slashes, which close it again).
_OPENING = on_first_use(rf"^(/{{3,}})[ \t]*(?:{NOTE_BLOCK}|{PASSAGE_BLOCK})\b")
_ID_OPTION = on_first_use(r"^\s+id:\s*['\"]?([^'\"\s]+)['\"]?\s*$")


def without_blocks(markdown: str) -> str:
    """``markdown`` without the editors' blocks: the author's words, e.g. for the reading time."""
    kept: list[str] = []
    closing: str | None = None
    for line in markdown.splitlines(keepends=True):
        if closing is not None:
            if line.strip() == closing:
                closing = None
            continue
        opening = _OPENING.match(line)
        if opening:
            closing = opening.group(1)
            continue
        kept.append(line)
    return "".join(kept)


def passage_ids(markdown: str) -> set[str]:
    """The ids editors' blocks give passages in ``markdown``, for pages that link to them (the timeline).

    Read from the Markdown (the options indented below a block's first line), so
    that another page's conversion can check a link without converting this page.
    """
    ids: set[str] = set()
    in_options = False
    for line in markdown.splitlines():
        if _OPENING.match(line):
            in_options = True
        elif in_options and line.startswith((" ", "\t")) and line.strip():
            option = _ID_OPTION.match(line)
            if option:
                ids.add(option.group(1))
        else:
            in_options = False
    return ids


class EditorsNotesExtension(Extension):
    """Python-Markdown extension for editors' notes and passage anchors."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": ["", "Logger for warnings (default: one both engines count, see build_log)."],
        }
        super().__init__(**kwargs)
        self.source_name = "<markdown>"
        self.line_offset = 0

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go: a logger ``--strict`` counts under MkDocs and Zensical (``build_log``)."""
        configured = self.getConfig("logger")
        return configured if configured else feature_logger("editors_notes")

    def set_page(self, source_name: str, line_offset: int = 0) -> None:
        """Name the page about to be converted, for messages (MkDocs and Zensical name it themselves)."""
        self.source_name = source_name
        self.line_offset = line_offset

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the blocks and the processors that place the notes.

        The blocks go to pymdownx's blocks processor when a page first holds one
        (``blocks_on_demand``: pymdownx.blocks costs some 9 ms of start-up).
        """
        block_manager(md, _register_blocks)
        md.registerExtension(self)
        lines = SourceLines()
        # Priority 38: before every built-in preprocessor, to see lines as written
        # (citations use 40, the glossary 39).
        md.preprocessors.register(SourceRecorder(md, lines), "editors_notes_source", 38)
        page_context.align_source_lines(md)
        # Priority 12: after inline (20) and the blocks' inline hook (19.99), so passages
        # are matched against the text a reader sees, and after citations move out of
        # links (15); before toc (5), which then lists and ids the "Editors’ notes"
        # heading, and before the glossary linker (4), which would split passages.
        md.treeprocessors.register(_NotesProcessor(md, self, lines), "editors_notes", 12)


class _NotesProcessor(Treeprocessor):
    """Takes the blocks out of the tree and puts markers, anchors, notes and the list in place."""

    def __init__(self, md: Markdown, extension: EditorsNotesExtension, lines: SourceLines) -> None:
        super().__init__(md)
        self.extension = extension
        self.lines = lines
        self._page: tuple[str, int] | None = None

    def warn(self, block: etree.Element | str | None, message: str) -> None:
        """Log ``message`` at the line of ``block`` (a block's element, or a line's text)."""
        line = self._line_of(block)
        name, offset = self.page()
        where = location(name, line, offset)
        self.extension.logger.warning(f"{where}: {message}")

    def page(self) -> tuple[str, int]:
        """The page's name and front matter lines, for messages: from the engine, else as set.

        Looked up only for a message: most pages have no editors' blocks and need no site index.
        """
        if self._page is None:
            site = page_context.current_site(self.md)
            self._page = (
                (site[1].src_uri, site[1].line_offset)
                if site is not None
                else (self.extension.source_name, self.extension.line_offset)
            )
        return self._page

    def _line_of(self, block: etree.Element | str | None) -> int | None:
        if block is None:
            return None
        if isinstance(block, str):
            return self.lines.line_of(block)
        # The n-th block with this name and passage is on the n-th line that opens one.
        kind, passage = block.get(BLOCK_KIND, ""), block.get("data-passage", "").strip()
        header = re.compile(rf"^/{{3,}}[ \t]*{re.escape(kind)}[ \t]*(?:\|[ \t]*{re.escape(passage)}[ \t]*)?$")
        key = f"\0{kind}\0{passage}"
        occurrence = self.lines.seen.get(key, 0)
        self.lines.seen[key] = occurrence + 1
        matching = [n for n, text in enumerate(self.lines.source.split("\n"), start=1) if header.match(text)]
        return matching[occurrence] if occurrence < len(matching) else None

    def run(self, root: etree.Element) -> None:
        self._page = None
        blocks = _take_blocks(root)
        self._report_unparsed(root)
        if not blocks:
            return
        placed: list[tuple[etree.Element, Found]] = []
        # Read once: placing a note keeps every block's text where it was (see PageText).
        text = PageText(root)
        ids: set[str] = {element.get("id", "") for element in root.iter() if element.get("id")}
        for block in blocks:
            found = self._locate(text, block)
            if found is None:
                continue
            anchor_id = block.get("data-id", "")
            if anchor_id and (not _ID.match(anchor_id) or anchor_id in ids):
                problem = "is not a valid id" if not _ID.match(anchor_id) else "is already used on this page"
                self.warn(
                    block,
                    f"the id '{anchor_id}' {problem}; use letters, digits and hyphens, starting with a letter, "
                    "and give each passage its own id.",
                )
                block.set("data-id", "")
            elif anchor_id:
                ids.add(anchor_id)
            placed.append((block, found))
        notes = sorted(
            ((block, found) for block, found in placed if block.get(BLOCK_KIND) == NOTE_BLOCK),
            key=lambda item: item[1].order,
        )
        labels = {id(block): letter(index) for index, (block, _found) in enumerate(notes)}
        for block, found in sorted(placed, key=lambda item: item[1].order):
            label = labels.get(id(block))
            anchor_id = block.get("data-id") or (f"editors-passage-{label}" if label else "")
            wrap(found, anchor_id, marker(label) if label else None)
            if label:
                beside(root, found.block, margin_note(block, label))
        if notes:
            root.append(note_list([(block, labels[id(block)]) for block, _found in notes]))

    def _locate(self, text: PageText, block: etree.Element) -> Found | None:
        passage = block.get("data-passage", "").strip()
        kind = block.get(BLOCK_KIND, "")
        if kind == PASSAGE_BLOCK and (block.text or "").strip():
            self.warn(block, "a passage block has no text of its own; remove it, or write an editors-note.")
        if kind == PASSAGE_BLOCK and not block.get("data-id"):
            self.warn(block, "a passage block needs an id; add a line '    id: some-name' below its first line.")
            return None
        if not passage:
            self.warn(
                block,
                f"the {kind} block names no passage; write the words it is about after a bar: '/// {kind} | words'.",
            )
            return None
        if kind == NOTE_BLOCK and not len(block) and not (block.text or "").strip():
            self.warn(block, "the editors' note is empty; write its text before the closing '///'.")
            return None
        matches = text.occurrences(passage)
        count = len(matches)
        if count != 1:
            problem = "is not in the text of this page" if count == 0 else f"occurs {count} times on this page"
            self.warn(
                block,
                f"the passage '{passage}' {problem}; check it: quote the author's words exactly "
                "(curly quotes and all), and enough of them to occur once.",
            )
            return None
        return matches[0]

    def _report_unparsed(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            match = _UNPARSED.match(paragraph.text or "")
            if match:
                self.warn(
                    paragraph.text.split("\n")[0] if paragraph.text else None,
                    f"this {match.group(1)} block was not understood; write it as '/// {match.group(1)} | passage', "
                    "options such as 'id: name' indented by four spaces on the next lines, and close it with '///'.",
                )


def _take_blocks(root: etree.Element) -> list[etree.Element]:
    """Remove the blocks' elements from the tree, in source order."""
    # Found before any is removed (blocks nested in a block's body too), then removed in that order.
    found = [(parent, child) for parent in root.iter() for child in parent if child.get(BLOCK_KIND)]
    taken: list[etree.Element] = []
    for parent, child in found:
        if isinstance(child.tag, str):
            taken.append(child)
            if child.tail and child.tail.strip():
                _append_text(parent, child, child.tail)
            parent.remove(child)
    return taken


def _append_text(parent: etree.Element, child: etree.Element, text: str) -> None:
    index = list(parent).index(child)
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _register_blocks(block_mgr: BlocksProcessor) -> None:
    from . import editors_blocks  # subclasses pymdownx's Block: imported with pymdownx.blocks, when needed

    editors_blocks.register(block_mgr)


def makeExtension(**kwargs: Any) -> EditorsNotesExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown_extensions: [annotated_essay.editors_notes]``."""
    return EditorsNotesExtension(**kwargs)
