"""Regular expressions compiled when first used: patterns most builds never need cost nothing.

Python's ``re`` parses and compiles a pattern in Python code, 0.03-0.4 ms a
pattern (the locator labels' alternation of 70 terms is the dearest), and a
module-level ``re.compile`` pays that at import, in every build and every
``mkdocs serve`` start. Many of the package's patterns serve only a slip (two
keys in one citation part), a cold build (the timeline file's dates) or one
kind of text (a locator, a bare ``&`` in a term's definition): a warm build of
the essay uses a handful. Such a pattern is written
``NAME = on_first_use(r"...")``; its callers keep ``NAME.match(...)``.
"""

from __future__ import annotations

import re
from typing import Any, cast

#: What the package asks of its patterns: set on the stand-in once compiled, so a later call goes straight to ``re``.
_KEPT = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags", "groups")


class _OnFirstUse:
    """Stands for ``re.compile(pattern, flags)`` until one of its attributes is first read."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._arguments = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for what is not set yet: the first use (or an attribute not in _KEPT).
        compiled = re.compile(*self._arguments)
        for kept in _KEPT:
            setattr(self, kept, getattr(compiled, kept))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"on_first_use({self._arguments[0]!r}, {self._arguments[1]!r})"


def on_first_use(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when the pattern is first used.

    Typed as the compiled pattern it stands for: use its methods (``match``,
    ``search``, ``sub`` …), not ``re`` functions taking a pattern object.
    """
    return cast("re.Pattern[str]", _OnFirstUse(pattern, flags))
