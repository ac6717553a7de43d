"""Where in the Markdown source a processor's match came from, for messages.

Python-Markdown does not carry line numbers through its processors, so each
extension records the lines as written (a preprocessor that runs first) and
looks matched text up again: the n-th lookup of a snippet is its n-th
occurrence in the source.
"""

from __future__ import annotations

from typing import ClassVar

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from .records import Record


class SourceLines(Record):
    """The source of one conversion and how often each snippet was looked up."""

    _fields: ClassVar[tuple[str, ...]] = ("source", "seen")  # DocumentState adds its own
    source: str
    seen: dict[str, int]

    def __init__(self, source: str = "", seen: dict[str, int] | None = None) -> None:
        self.source = source
        self.seen = {} if seen is None else seen

    def reset(self, lines: list[str]) -> None:
        """Start a new conversion of ``lines``."""
        self.source = "\n".join(lines)
        self.seen = {}

    def line_of(self, snippet: str) -> int | None:
        """Line of the n-th occurrence of ``snippet``, n counting earlier lookups."""
        occurrence = self.seen.get(snippet, 0)
        self.seen[snippet] = occurrence + 1
        position = -1
        for _ in range(occurrence + 1):
            position = self.source.find(snippet, position + 1)
            if position < 0:
                return None
        return self.source.count("\n", 0, position) + 1


def location(source_name: str, line: int | None, line_offset: int) -> str:
    """``page.md:line`` (the offset counts front matter lines), or the name alone."""
    return source_name if line is None else f"{source_name}:{line + line_offset}"


class SourceRecorder(Preprocessor):
    """Hands the lines as written to ``state.reset`` at the start of every conversion."""

    def __init__(self, md: Markdown, state: SourceLines) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        """Record ``lines`` and pass them on unchanged."""
        self.state.reset(lines)
        return lines
