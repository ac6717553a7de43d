"""What the glossary's names were found in, text by text, kept between builds.

The linker scans every text of every page for every name with one pattern
(``term_matching``). Scanning is quick; compiling the pattern is not: Python's
regex compiler, written in Python, takes about 8 ms for the essay's 125 names,
more than the scan of all eleven pages. So the finds of each text are kept in
the project's cache folder, in a table whose key is a digest of everything they
depend on besides the text: the names (keys and the capitals of names written in
capitals) and the matching code. A build whose texts were all scanned before,
with the same names and code, looks them up and never compiles the pattern; a
new or edited text is scanned (compiling then) and added. A changed name is
another table: a stale find is never used.

Each text is its own key (a dictionary lookup, no digest to compute); its value
holds each find as ``start,end,term_end`` (``;`` between finds, ``""`` for
none), the name being the text between ``start`` and ``term_end`` as
:meth:`~annotated_essay.term_matching.NamePattern.finditer` gives it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from . import content_cache, term_matching
from .term_matching import NameMatch, NamePattern

KIND = "glossary-matches"


class MatchTable(content_cache.Table):
    """The finds of every text scanned with one set of names: a :class:`~annotated_essay.term_matching.MatchMemo`.

    Values are decoded once per process (``mkdocs serve`` rebuilds reuse them).
    Texts no build of this process looked up are dropped on saving once they
    outnumber the texts in use, so edited paragraphs do not pile up.
    """

    def __init__(self, path: Path | None, values: dict[str, str]) -> None:
        super().__init__(path, values)
        self._found: dict[str, tuple[NameMatch, ...]] = {}
        #: The folder the table lives in (None: this process only).
        self.folder = path.parent if path is not None else None

    def recall(self, text: str) -> tuple[NameMatch, ...] | None:
        """The finds kept for ``text``, if it was scanned before."""
        found = self._found.get(text)
        if found is not None:
            return found
        value = self.values.get(text)
        if value is None:
            return None
        found = self._found[text] = _decode(text, value) if value else ()
        return found

    def keep(self, text: str, found: tuple[NameMatch, ...]) -> None:
        """Keep the finds of ``text`` (written to the folder by :meth:`save`)."""
        self._found[text] = found
        self.values[text] = ";".join(f"{match.start},{match.end},{match.start + len(match.term)}" for match in found)
        self.unsaved = True

    def save(self) -> None:
        """Rewrite the file if texts were added, without the texts nobody looked up if they are the most."""
        used = self._found
        if len(self.values) > 2 * len(used) and used:
            self.values = {text: value for text, value in self.values.items() if text in used}
            self.unsaved = True
        super().save()


def _decode(text: str, value: str) -> tuple[NameMatch, ...]:
    """The finds encoded in ``value`` (see :meth:`MatchTable.put`); names as the pattern's ``term`` group holds them."""
    lowered = text.lower()
    haystack = lowered if len(lowered) == len(text) else text  # as NamePattern.finditer scans it
    found = []
    for part in value.split(";"):
        start, end, term_end = map(int, part.split(","))
        found.append(NameMatch(start, end, haystack[start:term_end]))
    return tuple(found)


def keep_matches(names: NamePattern, folder: str | None) -> None:
    """Give ``names`` the table of its finds in ``folder`` (in this process only without one)."""
    memo = names.memo
    if isinstance(memo, MatchTable) and memo.folder == (Path(folder) if folder else None):
        return  # every page after the first
    key = content_cache.digest(_code_digest(), repr(sorted(names.keys)), repr(sorted(names.capitals.items())))
    table = MatchTable.open(KIND, key, folder)
    assert isinstance(table, MatchTable)  # Table.open makes its class's tables
    names.memo = table


def save_matches(names: NamePattern) -> None:
    """Write the table of ``names``' finds, if it has new ones (the MkDocs hook, after the last page)."""
    if isinstance(names.memo, MatchTable):
        names.memo.save()


@functools.cache
def _code_digest() -> str:
    return content_cache.source_digest(term_matching, __file__)
