"""What a parsed ``.bib`` file is: entries, people, entry types. No imports from this package.

The reader (``bibtex_reading``) builds these objects, the loader
(``bibliography``) caches them, and the CSL conversion (``csl_json``) reads
them; all three import this module and nothing imports them back (only ``records``, which
gives the classes their equality and immutability).
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .records import FrozenRecord

#: Every BibTeX and biblatex entry type we read, with the CSL item type it becomes.
#: The one list of types: the reader rejects any other, the CSL conversion maps these.
ENTRY_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "conference": "paper-conference",
    "electronic": "webpage",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "manual": "book",
    "mastersthesis": "thesis",
    "misc": "article",
    "online": "webpage",
    "periodical": "periodical",
    "phdthesis": "thesis",
    "proceedings": "book",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "www": "webpage",
}

#: Fields holding URLs or identifiers: not LaTeX, so not decoded (only checked).
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint"})

#: Fields reference managers and biblatex keep for themselves, which no reference shows:
#: read without a word (anything else not read is reported; see ``csl_json.READ_FIELDS``).
METADATA_FIELDS = frozenset(
    {
        "keywords",
        "file",
        "timestamp",
        "owner",
        "groups",
        "annote",
        "annotation",
        "comment",
        "comments",
        "langid",
        "langidopts",
        "hyphenation",
        "sortkey",
        "sortname",
        "sorttitle",
        "sortyear",
        "presort",
        "indextitle",
        "indexsorttitle",
        "ids",
        "label",
        "shorthand",
        "shorthandintro",
        "options",
        "related",
        "relatedtype",
        "relatedstring",
        "relatedoptions",
        "execute",
        "priority",
        "readstatus",
        "entryset",
        "xref",
        "pmid",
        "pmcid",
    }
)
#: Prefixes of such fields (BibDesk, Mendeley, JabRef and other tools' own).
METADATA_PREFIXES = ("bdsk-", "date-", "x-", "mendeley-", "jabref-", "zotero-")


class BibliographyError(Exception):
    """A problem in a bibliography file that makes it unusable."""


class Person(NamedTuple):
    """One author or editor, as split by bibtexparser's name middleware.

    ``others`` marks BibTeX's ``and others``: the list goes on, unnamed (CSL's "et al.").
    """

    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""
    others: bool = False


class BibEntry(FrozenRecord):
    """One parsed entry: its key, type, plain-text fields and where it starts.

    Fields inherited through ``crossref`` are already in ``fields`` and ``people``
    (as biber resolves them); ``parent`` names the entry they came from.
    """

    _fields = ("key", "entry_type", "fields", "people", "line", "parent")
    key: str
    entry_type: str
    fields: dict[str, str]
    people: dict[str, tuple[Person, ...]]
    line: int
    parent: str

    def __init__(
        self,
        key: str,
        entry_type: str,
        fields: dict[str, str],
        people: dict[str, tuple[Person, ...]],
        line: int,
        parent: str = "",
    ) -> None:
        vars(self).update(key=key, entry_type=entry_type, fields=fields, people=people, line=line, parent=parent)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Fill an entry being unpickled (``content_cache``) from its ``__dict__`` as pickled.

        What pickle does by default, but found on the class: without it pickle
        looks ``__setstate__`` up on each new entry, which :meth:`__getattr__`
        answers with an ``AttributeError``, some 1.7 ms for 2,000 entries.
        """
        vars(self).update(state)

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any attribute name

        def __getattr__(self, name: str) -> Any:
            """``fields`` and ``people`` of an entry loaded from the cache: unpickled when first read."""
            kept = self.__dict__.get("_kept") if name in ("fields", "people") else None
            if kept is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            self.__dict__["fields"], self.__dict__["people"] = kept.details(self.__dict__["_position"])
            return self.__dict__[name]

    def _without_details(self, kept: _KeptDetails, position: int) -> BibEntry:
        """A copy to pickle whose fields and people are ``kept``'s ``position``-th (see :class:`Bibliography`)."""
        state = {name: value for name, value in self.__dict__.items() if name not in ("fields", "people")}
        copy = object.__new__(BibEntry)
        copy.__dict__.update(state, digest=self.digest, _kept=kept, _position=position)
        return copy

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
        """A digest of :meth:`fingerprint`, the same in every process (the formatted references' cache key).

        Computed when the file is parsed, so the pickled bibliography carries it
        (``content_cache``): a warm build looks 2,000 references up without hashing.
        """
        return hashlib.sha256(repr(self.fingerprint()).encode()).hexdigest()


class _KeptDetails:
    """Every entry's fields and people as one pickle, unpickled when the first entry's are read.

    A warm build looks entries up by key and digest (formatted references,
    numbers, lines) and seldom reads a field: 2,000 entries unpickled in full
    are some 8,000 objects to make and for the garbage collector to walk at
    every full collection; as bytes they are none. One pickle for all entries,
    not one each, keeps people and field names shared between entries.
    """

    def __init__(self, entries: Iterable[BibEntry]) -> None:
        self.pickled = pickle.dumps([(entry.fields, entry.people) for entry in entries], pickle.HIGHEST_PROTOCOL)
        self.loaded: list[tuple[dict[str, str], dict[str, tuple[Person, ...]]]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"pickled": self.pickled, "loaded": None}

    def details(self, position: int) -> tuple[dict[str, str], dict[str, tuple[Person, ...]]]:
        """The fields and people of the ``position``-th entry."""
        if self.loaded is None:
            self.loaded = pickle.loads(self.pickled)
        return self.loaded[position]


class Bibliography(FrozenRecord):
    """The entries of one ``.bib`` file, in file order."""

    _fields = ("path", "entries", "warnings")
    path: str
    entries: dict[str, BibEntry]
    warnings: tuple[str, ...]

    def __init__(self, path: str, entries: dict[str, BibEntry], warnings: tuple[str, ...] = ()) -> None:
        vars(self).update(path=path, entries=entries, warnings=warnings)

    def __getstate__(self) -> dict[str, Any]:
        """What a pickle keeps (``content_cache``): the entries' fields and people as bytes (:class:`_KeptDetails`)."""
        state = dict(self.__dict__)
        state["digest"], state["crossref_parents"] = self.digest, self.crossref_parents  # computed once, when parsed
        kept = _KeptDetails(self.entries.values())
        state["entries"] = {
            key: entry._without_details(kept, position) for position, (key, entry) in enumerate(self.entries.items())
        }
        return state

    @functools.cached_property
    def digest(self) -> str:
        """A digest of every entry, in file order: the key of what is derived from the whole file.

        Computed when the file is parsed, so the pickled bibliography carries it.
        """
        return hashlib.sha256("".join(entry.digest for entry in self.entries.values()).encode()).hexdigest()

    @functools.cached_property
    def crossref_parents(self) -> frozenset[str]:
        """Keys of entries other entries name in ``crossref``: listed only when cited themselves.

        biber lists such a parent when it is cited; an uncited parent is no
        mistake (its fields live on in its children), so it is not "never cited".
        """
        return frozenset(entry.parent for entry in self.entries.values() if entry.parent)

    def closest_keys(self, key: str, limit: int = 3) -> list[str]:
        """Existing keys that look most like ``key``, best first."""
        import difflib  # only to suggest a name after a slip: not imported on a build without one

        return difflib.get_close_matches(key, list(self.entries), n=limit, cutoff=0.4)
