"""Text an extension generates, kept out of the inline patterns where none of them applies.

Python-Markdown's inline processor tries every registered inline pattern on every text
and tail of the tree, also on the elements an extension built from data (the timeline's
titles, dates, links and SVG labels: some 400 texts, each tried against ~17 patterns,
most of that page's conversion). Where no pattern's expression finds anything in a text,
that pass leaves it exactly as it was, so ``skip_inline`` marks such texts
``AtomicString``, which the inline processor passes by, and a treeprocessor right after
the inline one turns them back into plain strings: every later processor (the glossary
linker, which leaves AtomicString alone; ``toc``) sees the same tree as before, and the
page's HTML is the same. A text any pattern could act on (``*``, ``[``, ``&``, ``@`` …)
is left to the inline processor as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

_RESTORE = "generated_text_restore"


class _Restore(Treeprocessor):
    """Turns the texts ``skip_inline`` marked back into plain strings once the inline processor is done."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        #: (element, True for its text / False for its tail) for each marked text.
        self.marked: list[tuple[etree.Element, bool]] = []

    def run(self, root: etree.Element) -> None:
        for element, is_text in self.marked:
            if is_text:
                if isinstance(element.text, AtomicString):
                    element.text = str(element.text)
            elif isinstance(element.tail, AtomicString):
                element.tail = str(element.tail)
        self.marked.clear()


def skip_inline(md: Markdown, root: etree.Element) -> None:
    """Mark the texts in ``root`` (built by an extension) that no inline pattern can change.

    Call it on a freshly built subtree from a block processor, before the treeprocessors run.
    """
    searches = [pattern.getCompiledRegExp().search for pattern in md.inlinePatterns]
    if _RESTORE in md.treeprocessors:
        restore = md.treeprocessors[_RESTORE]
        assert isinstance(restore, _Restore)
    else:
        restore = _Restore(md)
        # Priority 19.999: right after "inline" (20), before pymdownx.blocks' "blocks_on_inline_end"
        # (19.99) and every other treeprocessor, so only the inline processor sees the marks.
        md.treeprocessors.register(restore, _RESTORE, 19.999)

    verdicts: dict[str, bool] = {}  # many texts repeat (", ", " · ", "Uncertain:")

    def plain(text: str) -> bool:
        if type(text) is not str:  # an AtomicString already (or a str subclass of another extension's)
            return False
        verdict = verdicts.get(text)
        if verdict is None:
            # STX/ETX: the inline processor's placeholders; a text holding them is left to it.
            verdict = STX not in text and ETX not in text and not any(search(text) for search in searches)
            verdicts[text] = verdict
        return verdict

    for element in root.iter():
        if element.text and plain(element.text):
            element.text = AtomicString(element.text)
            restore.marked.append((element, True))
        if element.tail and plain(element.tail):
            element.tail = AtomicString(element.tail)
            restore.marked.append((element, False))
