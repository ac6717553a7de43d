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
        #: Whether no inline pattern finds anything in a text, for :func:`plain_tail` (the patterns are the page's).
        self.verdicts: dict[str, bool] = {}

    def run(self, root: etree.Element) -> None:
        for element, is_text in self.marked:
            if is_text:
                if isinstance(element.text, AtomicString):
                    element.text = str(element.text)
            elif isinstance(element.tail, AtomicString):
                element.tail = str(element.tail)
        self.marked.clear()


def _restore(md: Markdown) -> _Restore:
    """The page's :class:`_Restore`, registered on first use."""
    if _RESTORE in md.treeprocessors:
        restore = md.treeprocessors[_RESTORE]
        assert isinstance(restore, _Restore)
        return restore
    restore = _Restore(md)
    # Priority 19.999: right after "inline" (20), before pymdownx.blocks' "blocks_on_inline_end"
    # (19.99) and every other treeprocessor, so only the inline processor sees the marks.
    md.treeprocessors.register(restore, _RESTORE, 19.999)
    return restore


def prepare_plain_tails(md: Markdown) -> None:
    """Make ready for :func:`plain_tail` in this ``Markdown``'s conversions; call it from ``extendMarkdown``.

    The turning back of marked texts is registered now: the treeprocessors a
    conversion runs are fixed before the inline pass, where tails are given.
    """
    _restore(md)


def plain_tail(md: Markdown, element: etree.Element, text: str) -> None:
    """Give ``element`` (built by an inline processor) the tail ``text``, kept out of the inline pass if it can be.

    The inline processor then goes on to every text and tail of the element it
    was given, trying every pattern on each (the ", " between a citation's
    numbers: 400 texts of the benchmark's large site, 17 patterns each). A
    text no pattern finds anything in is marked as :func:`skip_inline` marks
    it, and turned back into a plain string right after the inline pass.
    Needs :func:`prepare_plain_tails` first.
    """
    restore = md.treeprocessors[_RESTORE]
    assert isinstance(restore, _Restore)
    verdict = restore.verdicts.get(text)
    if verdict is None:
        verdict = STX not in text and ETX not in text
        verdict = verdict and not any(pattern.getCompiledRegExp().search(text) for pattern in md.inlinePatterns)
        restore.verdicts[text] = verdict
    if verdict:
        element.tail = AtomicString(text)
        restore.marked.append((element, False))
    else:
        element.tail = text


def inline_patterns_key(md: Markdown) -> str:
    """What ``skip_inline`` decides by: every inline pattern's expression, for keys of kept subtrees."""
    expressions = [
        f"{type(pattern).__module__}.{type(pattern).__qualname__}\0{pattern.getCompiledRegExp().pattern}"
        f"\0{pattern.getCompiledRegExp().flags}"
        for pattern in md.inlinePatterns
    ]
    return "\n".join([STX, ETX, *expressions])


def skip_inline(md: Markdown, root: etree.Element) -> None:
    """Mark the texts in ``root`` (built by an extension) that no inline pattern can change.

    Call it on a freshly built subtree from a block processor, before the treeprocessors run.
    """
    searches = [pattern.getCompiledRegExp().search for pattern in md.inlinePatterns]
    restore = _restore(md)
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


def skipped_texts(md: Markdown, root: etree.Element) -> list[tuple[int, bool]]:
    """Which texts in ``root`` ``skip_inline`` marked: ``(position in root.iter(), True for text / False for tail)``.

    With :func:`skip_again`, a subtree kept between builds (as text) comes back
    with the same texts kept out of the inline pass, without testing them again.
    """
    if _RESTORE not in md.treeprocessors:
        return []
    restore = md.treeprocessors[_RESTORE]
    assert isinstance(restore, _Restore)
    positions = {id(element): position for position, element in enumerate(root.iter())}
    return [(positions[id(element)], is_text) for element, is_text in restore.marked if id(element) in positions]


def skip_again(md: Markdown, root: etree.Element, marks: list[tuple[int, bool]]) -> None:
    """Mark the texts ``marks`` names (from :func:`skipped_texts` on the same tree), as ``skip_inline`` would."""
    restore = _restore(md)
    elements = list(root.iter())
    for position, is_text in marks:
        element = elements[position]
        if is_text:
            element.text = AtomicString(element.text or "")
        else:
            element.tail = AtomicString(element.tail or "")
        restore.marked.append((element, is_text))
