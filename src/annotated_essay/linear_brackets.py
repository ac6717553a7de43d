"""Python-Markdown's link processors in linear time on paragraphs full of unclosed '['.

``LinkInlineProcessor.getText`` (used by the "link", "image_link", "reference",
"image_reference", "short_reference" and "short_image_ref" processors) scans
from every '[' to its closing ']', and to the end of the paragraph when there
is none: a paragraph of 20,000 characters of ``@``, ``[`` and ``;`` takes 12 s
with plain Python-Markdown 3.11, 100,000 characters some five minutes
(Python-Markdown issue #798, "Parsing [[[[[[… takes quadratic time", open).
Citations make such paragraphs likelier: a stray '[' before a list of handles.

:func:`make_link_processors_linear` gives those processors a ``getText`` that
answers from a table of closing brackets, computed once per text in one pass:
the same results (the text between the brackets, the index after the closing
one, whether it closed), in constant time for a bracket that never closes.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.inlinepatterns import LinkInlineProcessor


class _ClosingBrackets:
    """For the last text looked at: where the ']' closing each '[' is (-1: never closed)."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._closing: dict[int, int] = {}

    def closing(self, text: str, opening: int) -> int:
        """Index of the ']' closing the '[' at ``opening`` in ``text``, or -1."""
        if text is not self._text:  # the same object while Python-Markdown tries its patterns on it
            self._text = text
            self._closing = _match_brackets(text)
        return self._closing.get(opening, -1)

    def get_text(self, data: str, index: int) -> tuple[str, int, bool]:
        """``LinkInlineProcessor.getText(data, index)``, where ``data[index - 1]`` is the '['."""
        end = self.closing(data, index - 1)
        if end < 0:
            # The original returns the rest of the text too, which its callers ignore when the flag is False.
            return "", len(data), False
        return data[index:end], end + 1, True


def _match_brackets(text: str) -> dict[int, int]:
    """Every '[' that closes, with its ']', counting nesting as ``getText`` does (one pass)."""
    closing: dict[int, int] = {}
    open_positions: list[int] = []
    position = text.find("[") if "]" in text else -1  # no ']': nothing closes
    while position >= 0:
        if text[position] == "[":
            open_positions.append(position)
        elif open_positions:
            closing[open_positions.pop()] = position
        position = _next_bracket(text, position + 1)
    return closing


def _next_bracket(text: str, start: int) -> int:
    opening, closing = text.find("[", start), text.find("]", start)
    if opening < 0 or closing < 0:
        return max(opening, closing)
    return min(opening, closing)


def make_link_processors_linear(md: Markdown) -> None:
    """Give every link-like inline processor of ``md`` the linear ``getText``.

    Idempotent; processors registered by other extensions that derive from
    ``LinkInlineProcessor`` get it too.
    """
    # One table for the page's processors, and one method of it for all: getText never needs its processor.
    get_text = _ClosingBrackets().get_text
    for processor in md.inlinePatterns:
        if isinstance(processor, LinkInlineProcessor) and not getattr(processor, "_linear_brackets", False):
            processor.getText = get_text  # type: ignore[method-assign]
            processor._linear_brackets = True  # type: ignore[attr-defined]
