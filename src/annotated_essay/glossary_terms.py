"""Glossary terms: the entries editors write and the term table the linker looks names up in.

An entry belongs to one term page (``glossary.md``, ``people.md`` …); the
table holds the entries of every term page, so one linker serves them all and
an id, a term or an alias belongs to one entry across all of them. Nothing
here reads files or knows Markdown: see ``glossary_reading`` for that.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from markdown.extensions.toc import slugify_unicode

from .records import Record
from .term_matching import NameMatch, NamePattern, case_form, term_key, written_in_capitals

#: The editor's lines below an entry heading, recognised by their label.
META_LABELS = ("also", "short", "see also")


class GlossaryError(Exception):
    """The glossary cannot be used: two entries or aliases collide, or a file is unreadable."""


def sort_key(term: str) -> str:
    """Alphabetical order: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def index_letter(term: str) -> str:
    """The A–Z index letter of a term ('#' for anything else)."""
    first = sort_key(term)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def entry_id(term: str) -> str:
    """The id of an entry written without ``{ #id }``: a Unicode slug of its term.

    Letters and digits of any script are kept (lowercased; accents on Latin
    letters too, as written), other characters dropped and spaces joined by
    hyphens, as Python-Markdown's ``toc.slugify_unicode`` does: ``Pax Americana``
    gives ``pax-americana``, ``一带一路`` gives ``一带一路``. A term with no letter
    or digit at all (emoji, punctuation) gets its code points, ``u1f409``: never
    an empty id. The same term always gives the same id.
    """
    slug = slugify_unicode(term, "-")
    if slug:
        return slug
    return "-".join(f"u{ord(char):x}" for char in term if not char.isspace()) or "entry"


class GlossaryEntry(Record):
    """One entry, as read from its term page."""

    _fields = (
        "term",
        "id",
        "line",
        "aliases",
        "see_also",
        "see_also_line",
        "short",
        "definition",
        "page",
        "source",
        "explicit_id",
    )
    term: str
    id: str
    line: int
    aliases: list[str]
    see_also: list[str]
    see_also_line: int
    #: The tooltip text: plain text, no markup.
    short: str
    #: The definition's text as a reader sees it (no markup, no citations).
    definition: str
    #: The term page the entry is on (as configured: ``glossary.md``).
    page: str
    #: Where messages name the term page (its path as editors know it).
    source: str
    #: Whether ``{ #id }`` gave the id (else :func:`entry_id` made it from the term).
    explicit_id: bool

    def __init__(
        self,
        term: str,
        id: str,
        line: int,
        aliases: list[str] | None = None,
        see_also: list[str] | None = None,
        see_also_line: int = 0,
        short: str = "",
        definition: str = "",
        page: str = "glossary.md",
        source: str = "glossary.md",
        explicit_id: bool = True,
    ) -> None:
        self.term = term
        self.id = id
        self.line = line
        self.aliases = [] if aliases is None else aliases
        self.see_also = [] if see_also is None else see_also
        self.see_also_line = see_also_line
        self.short = short
        self.definition = definition
        self.page = page
        self.source = source
        self.explicit_id = explicit_id

    @property
    def letter(self) -> str:
        """The entry's letter in the A–Z index."""
        return index_letter(self.term)

    @property
    def where(self) -> str:
        """``page.md:line`` of the entry's heading."""
        return f"{self.source}:{self.line}"


class Glossary(Record):
    """The term table: the entries of every term page, their names and how to find them in text.

    Raises:
        GlossaryError: Two entries share an id, or a term or an alias names two entries.
    """

    _fields = ("path", "entries", "warnings", "pages")
    path: str
    entries: list[GlossaryEntry]
    warnings: list[str]
    #: The term pages, in the order configured (a page may have no entries yet).
    pages: Sequence[str]

    def __init__(
        self, path: str, entries: list[GlossaryEntry], warnings: list[str] | None = None, pages: Sequence[str] = ()
    ) -> None:
        self.path = path
        self.entries = entries
        self.warnings = [] if warnings is None else warnings
        self.pages = pages
        self._build_tables()

    def _build_tables(self) -> None:
        self.by_id: dict[str, GlossaryEntry] = {}
        self.by_key: dict[str, GlossaryEntry] = {}
        #: Key -> the name's capitals, for names written in capitals (matched in those only).
        self.capitals: dict[str, str] = {}
        named_at: dict[str, tuple[str, GlossaryEntry]] = {}
        any_case: set[str] = set()
        for entry in self.entries:
            other = self.by_id.get(entry.id)
            if other is not None:
                remedy = "give one of them another { #id }."
                if not entry.explicit_id:
                    remedy = f"the id was made from the term; {remedy}"
                raise GlossaryError(
                    f"{entry.where}: entry '{entry.term}' has the id '{entry.id}' of entry "
                    f"'{other.term}' ({other.where}); {remedy}"
                )
            self.by_id[entry.id] = entry
            for name in [entry.term, *entry.aliases]:
                key = term_key(name)
                if not key:
                    continue
                if key in named_at and named_at[key][1] is not entry:
                    first_name, first = named_at[key]
                    raise GlossaryError(
                        f"{entry.where}: '{name}' of entry '{entry.term}' collides with "
                        f"'{first_name}' of entry '{first.term}' ({first.where}); "
                        "a term or alias may belong to one entry only."
                    )
                named_at[key] = (name, entry)
                self.by_key[key] = entry
                if not written_in_capitals(name):
                    any_case.add(key)
                elif key not in any_case:
                    self.capitals[key] = case_form(name)
        for key in any_case:  # a name also written in lower case matches in any case
            self.capitals.pop(key, None)
        #: Entry by name as found in text: the linker looks up the same few hundred names all the time.
        self._entry_named: dict[str, GlossaryEntry | None] = {}
        for entry in self.entries:
            for name in entry.see_also:
                if self.find(name) is None:
                    self.warnings.append(
                        f"{entry.source}:{entry.see_also_line}: 'See also' names an unknown entry '{name}'; "
                        f"{self.suggest(name)}"
                    )

    def find(self, name: str) -> GlossaryEntry | None:
        """The entry with this id, term or alias (possessive or plural allowed, capitals respected)."""
        name = name.strip()
        if name in self.by_id:
            return self.by_id[name]
        if (entry := self.by_key.get(term_key(name))) is not None:
            return entry
        pattern = self.names.any_case
        match = pattern.fullmatch(name) if pattern else None
        return self.by_key.get(term_key(match.group("term"))) if match else None

    @functools.cached_property
    def names(self) -> NamePattern:
        """Every term and alias, compiled on first use."""
        return NamePattern(self.by_key, self.capitals)

    def matches(self, text: str) -> tuple[NameMatch, ...]:
        """Every mention in ``text``: look each ``term`` up with :meth:`entry_named`."""
        return self.names.find(text)

    def matches_in(self, texts: Sequence[str], *, first: bool = False) -> list[tuple[NameMatch, ...]]:
        """:meth:`matches` of each of a page's ``texts``, kept between builds if the names have a memo.

        With ``first``, only the first find of each name on the page (``NamePattern.find_all``).
        """
        return self.names.find_all(texts, first=first)

    def entry_named(self, written: str) -> GlossaryEntry | None:
        """The entry a name found in text refers to (possessive and plural endings excluded)."""
        try:
            return self._entry_named[written]
        except KeyError:
            entry = self._entry_named[written] = self.by_key.get(term_key(written))
            return entry

    def suggest(self, name: str) -> str:
        """'did you mean …?' with up to three closest ids, or a hint."""
        candidates = {entry.id: entry.id for entry in self.entries}
        for key, entry in self.by_key.items():
            candidates.setdefault(key, entry.id)
        import difflib  # only to suggest a name after a slip: not imported on a build without one

        closest = difflib.get_close_matches(term_key(name) or name, list(candidates), n=6, cutoff=0.5)
        ids = list(dict.fromkeys(candidates[match] for match in closest))[:3]
        if ids:
            return "did you mean " + ", ".join(f"'{found}'" for found in ids) + "?"
        return f"add an entry for it to {self.path}."

    def sorted_entries(self, page: str | None = None) -> list[GlossaryEntry]:
        """Entries (of one term page, or all) in alphabetical order of their terms."""
        chosen = [entry for entry in self.entries if page is None or entry.page == page]
        return sorted(chosen, key=lambda entry: sort_key(entry.term))


__all__ = [
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "entry_id",
    "index_letter",
    "sort_key",
    "term_key",
]
