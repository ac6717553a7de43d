"""Load a BibTeX file with bibtexparser v2 and report problems by file and line.

Parsing is cached on the file's path, size and modification time, so that
``mkdocs serve`` rebuilds reuse the parsed bibliography while ``bib/`` is
unchanged. The parsing itself lives in ``bibtex_reading``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import os
from pathlib import Path

#: BibTeX and biblatex entry types we know how to format.
KNOWN_ENTRY_TYPES = frozenset(
    {
        "article",
        "book",
        "booklet",
        "collection",
        "conference",
        "electronic",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "online",
        "phdthesis",
        "proceedings",
        "report",
        "techreport",
        "thesis",
        "unpublished",
        "www",
    }
)

#: Fields holding URLs or identifiers: not LaTeX, so not decoded.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})

#: Fields without which a reference cannot be formatted sensibly.
REQUIRED_FIELDS = ("title", "year")


class BibliographyError(Exception):
    """A problem in a bibliography file that makes it unusable."""


@dataclasses.dataclass(frozen=True)
class Person:
    """One author or editor, as split by bibtexparser's name middleware."""

    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""


@dataclasses.dataclass(frozen=True)
class BibEntry:
    """One parsed entry: its key, type, plain-text fields and where it starts."""

    key: str
    entry_type: str
    fields: dict[str, str]
    people: dict[str, tuple[Person, ...]]
    line: int

    def fingerprint(self) -> tuple[object, ...]:
        """Everything that changes the formatted reference, as a hashable value."""
        return (
            self.key,
            self.entry_type,
            tuple(sorted(self.fields.items())),
            tuple(sorted(self.people.items())),
        )

    @functools.cached_property
    def digest(self) -> str:
        """A digest of :meth:`fingerprint`, the same in every process (the formatted-reference caches' key).

        Computed when the file is parsed, so the pickled bibliography carries it
        (``disk_cache``): a warm build looks 2,000 references up without hashing.
        """
        return hashlib.sha256(repr(self.fingerprint()).encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Bibliography:
    """The entries of one ``.bib`` file, in file order."""

    path: str
    entries: dict[str, BibEntry]
    warnings: tuple[str, ...] = ()

    @functools.cached_property
    def digest(self) -> str:
        """A digest of every entry, in file order: the key of what is derived from the whole file.

        Computed when the file is parsed, so the pickled bibliography carries it.
        """
        return hashlib.sha256("".join(entry.digest for entry in self.entries.values()).encode()).hexdigest()

    def closest_keys(self, key: str, limit: int = 3) -> list[str]:
        """Existing keys that look most like ``key``, best first."""
        return difflib.get_close_matches(key, list(self.entries), n=limit, cutoff=0.4)


def load_bibliography(path: str | os.PathLike[str]) -> Bibliography:
    """Parse ``path``, reusing the last result while the file is unchanged.

    Raises:
        BibliographyError: The file is missing, unreadable, not UTF-8, empty,
            or holds a block bibtexparser could not parse.
    """
    file_path = Path(path)
    try:
        stat = file_path.stat()
    except FileNotFoundError:
        raise BibliographyError(
            f"{file_path}: bibliography file not found; create it or fix the "
            "'bibliography' setting of annotated_essay.citations in mkdocs.yml."
        ) from None
    except OSError as error:
        raise BibliographyError(
            f"{file_path}: cannot read the bibliography: {error.strerror}; "
            "check that the path names a readable .bib file."
        ) from None
    return _parse_cached(str(file_path), stat.st_mtime_ns, stat.st_size)


_CACHE: dict[str, tuple[tuple[int, int], Bibliography]] = {}


def _parse_cached(path: str, mtime_ns: int, size: int) -> Bibliography:
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == (mtime_ns, size):
        return cached[1]
    bibliography = parse_bibliography_file(path)
    _CACHE[path] = ((mtime_ns, size), bibliography)
    return bibliography


def parse_bibliography_file(path: str) -> Bibliography:
    """Read and parse ``path`` without caching."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise BibliographyError(
            f"{path}: cannot read the bibliography: {error.strerror}; check that the path names a readable .bib file."
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BibliographyError(
            f"{path}:{line}: the file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
            "save it as UTF-8 or write the character as a LaTeX command such as {\\'e}."
        ) from None
    return parse_bibliography(text, path)


def parse_bibliography(text: str, path: str = "<string>") -> Bibliography:
    """Parse BibTeX ``text``; ``path`` only names the source in messages.

    Raises:
        BibliographyError: For every block bibtexparser could not parse, for
            unknown entry types, undefined ``@string`` macros and an empty file.
    """
    # Imported here: bibtexparser is needed only when a file is parsed (see bibtex_reading).
    from .bibtex_reading import parse_bibtex

    return parse_bibtex(text, path)
