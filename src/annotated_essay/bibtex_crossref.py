"""``crossref`` resolved as biber resolves it: a child entry inherits its parent's fields.

A chapter (``@incollection``) that names its book in ``crossref`` gets the book's
fields it lacks, with biber's default renamings: the book's ``title`` becomes
the chapter's ``booktitle``, a periodical's ``title`` an article's
``journaltitle``, and so on (biblatex manual, appendix B, "Default
Inheritance Setup"). Fields of the child always win; identifying fields
(``ids``, ``crossref``, ``entrysubtype``, ``shorthand`` …) are never inherited.
The parent is listed in the reference list only when it is cited itself.
A ``crossref`` to a key not in the file, or a cycle, is reported.
"""

from __future__ import annotations

from .bibtex_model import BibEntry, Person

#: Fields biber never inherits.
_NOT_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)
_BOOK_TITLES = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_NO_SHORT_TITLES = {"shorttitle": None, "sorttitle": None, "indextitle": None, "indexsorttitle": None}
#: (parent types, child types) -> {parent field: child field, or None for "not inherited"}.
_RENAMINGS: list[tuple[frozenset[str], frozenset[str], dict[str, str | None]]] = [
    (
        frozenset({"book"}),
        frozenset({"inbook"}),
        {**_BOOK_TITLES, **_NO_SHORT_TITLES, "author": "bookauthor"},
    ),
    (
        frozenset({"collection", "proceedings"}),
        frozenset({"incollection", "inproceedings"}),
        {**_BOOK_TITLES, **_NO_SHORT_TITLES},
    ),
    (
        frozenset({"book"}),
        frozenset({"incollection", "inproceedings"}),
        {**_BOOK_TITLES, **_NO_SHORT_TITLES},
    ),
    (
        frozenset({"periodical"}),
        frozenset({"article"}),
        {"title": "journaltitle", "subtitle": "journalsubtitle", **_NO_SHORT_TITLES},
    ),
]


def resolve_crossrefs(entries: dict[str, BibEntry]) -> tuple[dict[str, BibEntry], list[tuple[str, str]]]:
    """``entries`` with inherited fields filled in, and ``(key, problem)`` for each unresolvable ``crossref``."""
    resolved: dict[str, BibEntry] = {}
    problems: list[tuple[str, str]] = []

    def resolve(key: str, chain: tuple[str, ...]) -> BibEntry:
        if key in resolved:
            return resolved[key]
        entry = entries[key]
        parent_key = entry.fields.get("crossref", "").strip()
        if not parent_key:
            resolved[key] = entry
            return entry
        if parent_key not in entries:
            close = [name for name in entries if name.lower() == parent_key.lower()]
            hint = f"did you mean '{close[0]}'?" if close else "add that entry or remove the field"
            problems.append((key, f"names '{parent_key}' in crossref, which is not in the file; {hint}"))
            resolved[key] = entry
            return entry
        if parent_key in chain:
            problems.append(
                (key, f"is part of a crossref cycle ({' -> '.join((*chain, key, parent_key))}); remove one crossref")
            )
            resolved[key] = entry
            return entry
        parent = resolve(parent_key, (*chain, key))
        resolved[key] = inherit(entry, parent)
        return resolved[key]

    for key in entries:
        resolve(key, ())
    return {key: resolved[key] for key in entries}, problems


def inherit(child: BibEntry, parent: BibEntry) -> BibEntry:
    """``child`` with the fields and people of ``parent`` it lacks, renamed as biber renames them."""
    renamings: dict[str, str | None] = {}
    for parent_types, child_types, table in _RENAMINGS:
        if parent.entry_type in parent_types and child.entry_type in child_types:
            renamings = table
            break
    fields = dict(child.fields)
    people: dict[str, tuple[Person, ...]] = dict(child.people)
    # Renamed fields first, so that (say) the book's title fills the chapter's booktitle
    # even when the book also has a booktitle field of its own.
    for source in sorted(parent.fields, key=lambda name: name not in renamings):
        target = renamings.get(source, source)
        if target is None or source in _NOT_INHERITED or target in fields:
            continue
        fields[target] = parent.fields[source]
    for role, names in parent.people.items():
        targets = [renamings[role]] if role in renamings else [role]
        if role == "author" and renamings.get("author"):
            targets = ["author", str(renamings["author"])]  # biber: author and bookauthor both
        for target in targets:
            if target and target not in people:
                people[target] = names
    return BibEntry(child.key, child.entry_type, fields, people, child.line, parent=parent.key)
