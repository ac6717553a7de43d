"""What the glossary's names were found in, page by page, kept between builds.

The linker scans every text of every page for every name with one pattern
(``term_matching``). Scanning is quick; compiling the pattern is not: Python's
regex compiler, written in Python, takes about 8 ms for the essay's 125 names,
more than the scan of all eleven pages. So the finds in a page's texts are kept
in the project's cache folder, in a table whose key is a digest of everything
they depend on besides the texts: the names (keys and the capitals of names
written in capitals), the matching code and Python's version. A build whose
pages' texts were all scanned before, with the same names and code, looks them
up and never compiles the pattern; a page with a new or edited text is scanned
(compiling then) and added. Other names are another table: a stale find is
never used.

One value per page, not per text: the key is a digest of the page's texts, and
the value lists only the texts with finds, as JSON ``[index, start, end, term,
…]``. A table of every text (6,000 on the 100-page benchmark) took longer to
read back, and its objects to sweep, than the scan it saved.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from . import content_cache, term_matching
from .term_matching import NameMatch, NamePattern

KIND = "glossary-matches"


class MatchTable(content_cache.Table):
    """The finds in the texts of every page scanned with one set of names (a ``term_matching.MatchMemo``).

    A :class:`~annotated_essay.content_cache.Table` (kept in this process for
    ``mkdocs serve``'s rebuilds, saved by ``content_cache.save_tables`` at the
    end of a Zensical build). Pages no build of this process looked up are
    dropped on saving once they outnumber the pages in use, so the texts of
    edited pages do not pile up.
    """

    def __init__(self, path: Path | None, values: dict[str, str]) -> None:
        super().__init__(path, values)
        #: The pages (keys) looked up or scanned in this process.
        self.used: set[str] = set()
        #: The folder the table lives in (None: this process only).
        self.folder = path.parent if path is not None else None

    def recall(self, texts: Sequence[str], first: bool = False) -> list[tuple[NameMatch, ...]] | None:
        """The finds kept for each of ``texts`` (each name's first, if ``first``), if the same texts were scanned."""
        key = page_key(texts, first)
        value = self.values.get(key)
        if value is None:
            return None
        try:
            found = _decode(value, len(texts))
        except (ValueError, TypeError, IndexError):  # not a value of ours: scan again
            return None
        self.used.add(key)
        return found

    def keep(self, texts: Sequence[str], found: list[tuple[NameMatch, ...]], first: bool = False) -> None:
        """Keep the finds of each of ``texts`` (each name's first, if ``first``; written by :meth:`save`)."""
        key = page_key(texts, first)
        flat = [part for index, finds in enumerate(found) for match in finds for part in (index, *match)]
        self.put([(key, json.dumps(flat, ensure_ascii=False, separators=(",", ":")))])
        self.used.add(key)

    def save(self) -> None:
        """Rewrite the file if pages were added, without the pages nobody looked up if they are the most."""
        if len(self.values) > 2 * len(self.used) and self.used:
            self.values = {key: value for key, value in self.values.items() if key in self.used}
            self.unsaved = True
        super().save()


def page_key(texts: Sequence[str], first: bool = False) -> str:
    """A digest of a page's texts, in order: pickled, each text with its length (split otherwise, they differ).

    Pickling writes the texts' UTF-8 into one buffer in C, a third of the time
    of joining and encoding them and listing their lengths. (A text repeated as
    the same object is written once and referred to: the same texts converted
    the same way give the same bytes, and different texts never do.)
    ``first``: the key of their first finds of each name (``NamePattern.find_all``), another value.
    """
    digest = hashlib.sha256(pickle.dumps(list(texts), protocol=5)).hexdigest()[:32]
    return digest + "-first" if first else digest


def _decode(value: str, count: int) -> list[tuple[NameMatch, ...]]:
    """The finds of each of ``count`` texts from a value of :meth:`MatchTable.keep`.

    Raises:
        ValueError: The value is not JSON.
        TypeError: The value is not of :meth:`MatchTable.keep`'s shape.
        IndexError: The same.
    """
    flat = json.loads(value)
    if not isinstance(flat, list) or len(flat) % 4:
        raise TypeError(value)
    found: list[tuple[NameMatch, ...]] = [()] * count
    parts = iter(flat)
    # Four at a time from one iterator (the length is a multiple of four), not a slice per find (12,000 finds
    # on the 100-page benchmark).
    for index, start, end, term in zip(parts, parts, parts, parts, strict=True):
        if not (0 <= index < count and isinstance(start, int) and isinstance(end, int) and isinstance(term, str)):
            raise TypeError(value)
        found[index] += ((start, end, term),)  # a text's finds are together, in order
    return found


def keep_matches(names: NamePattern, folder: str | None) -> None:
    """Give ``names`` the table of its finds in ``folder`` (in this process only without one)."""
    memo = names.memo
    if isinstance(memo, MatchTable) and memo.folder == (Path(folder) if folder else None):
        return  # every page after the first
    key = content_cache.digest(_code_digest(), repr(sorted(names.keys)), repr(sorted(names.capitals.items())))
    table = MatchTable.open(KIND, key, folder)
    assert isinstance(table, MatchTable)  # Table.open makes tables of its class
    names.memo = table


def save_matches(names: NamePattern) -> None:
    """Write the table of ``names``' finds, if it has new ones (the MkDocs hook, after the last page)."""
    if isinstance(names.memo, MatchTable):
        names.memo.save()


@functools.cache
def _code_digest() -> str:
    """The matching code, and Python's (its regex engine and Unicode tables decide what a name matches)."""
    return content_cache.digest(content_cache.source_digest(term_matching, __file__), sys.version)
