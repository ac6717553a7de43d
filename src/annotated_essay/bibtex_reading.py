"""Reading BibTeX text into a :class:`~annotated_essay.bibtex_model.Bibliography`, with bibtexparser v2.

bibtexparser splits the file into entries and fields, resolves ``@string``
macros and splits names (its ``SeparateCoAuthors`` and ``SplitNameParts``
middlewares, on the text as written, so braces protect names as in BibTeX);
``latex_text`` turns every value and name part into Unicode with pylatexenc,
field by field rather than through bibtexparser's ``LatexDecodingMiddleware``,
which decodes before names are split and reports a problem for the entry as a
whole, without its field or line. Then the entries
are checked (dates, DOIs, URLs, LaTeX that cannot be shown), and ``crossref``
is resolved as biber does (``bibtex_crossref``). Every problem is reported with
the file, the line and the remedy: fatal ones raise, the rest are warnings.

Imported only when a file is actually parsed: a warm build loads the parsed
bibliography from the cache and never needs bibtexparser or pylatexenc.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bibtexparser import middlewares, model
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library

from .bibtex_crossref import resolve_crossrefs
from .bibtex_dates import entry_date
from .bibtex_model import (
    ENTRY_TYPES,
    METADATA_FIELDS,
    METADATA_PREFIXES,
    VERBATIM_FIELDS,
    BibEntry,
    Bibliography,
    BibliographyError,
    Person,
)
from .csl_json import READ_FIELDS
from .latex_text import decode
from .reference_links import doi_problem, eprint_url, is_url, url_problem

_MONTH_MACROS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
#: Fields holding an address that is linked, and must therefore be one.
_ADDRESS_FIELDS = ("url",)
#: Fields bibtexparser's name middlewares split into people.
PEOPLE_FIELDS = ("author", "editor", "translator", "bookauthor")


def parse_bibtex(text: str, path: str = "<string>") -> Bibliography:
    """Parse BibTeX ``text``; ``path`` only names the source in messages.

    Raises:
        BibliographyError: For every block bibtexparser could not parse, for
            unknown entry types, undefined ``@string`` macros and an empty file.
    """
    with _quiet_bibtexparser():
        library = _parse_with_bibtexparser(text, path)
    errors = [_describe_failed_block(block, path) for block in library.failed_blocks]
    entries: dict[str, BibEntry] = {}
    warnings: list[str] = []
    for comment in library.comments:
        # (Not after a failed block: its leftovers land here too.)
        if (
            isinstance(comment, model.ImplicitComment)
            and not library.failed_blocks
            and any("=" in row for row in comment.comment.splitlines() if not row.lstrip().startswith("%"))
        ):
            # Text outside any entry that looks like fields: an entry was closed too early.
            errors.append(
                f"{path}:{(comment.start_line or 0) + 1}: text outside any entry "
                f"({' '.join(comment.comment.split())[:40]!r}); an earlier line probably closes the "
                "entry with one '}' too many: remove it (or start a comment line with '%')."
            )
    # One object for each field name and each person, however often they occur: the
    # pickled bibliography (content_cache) is then smaller and loads twice as fast.
    shared: dict[object, Any] = {}
    field_lines: dict[str, dict[str, int]] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        if not entry.key.strip():
            errors.append(f"{path}:{line}: @{entry.entry_type} entry without a key; write a key after the '{{'.")
            continue
        if entry.entry_type.lower() not in ENTRY_TYPES:
            errors.append(
                f"{path}:{line}: entry '{entry.key}' has unknown type @{entry.entry_type}; "
                f"use one of {', '.join('@' + name for name in sorted(ENTRY_TYPES))}."
            )
            continue
        converted, lines, problems, notes = _convert_entry(entry, path, shared)
        errors.extend(problems)
        warnings.extend(notes)
        entries[entry.key] = converted
        field_lines[entry.key] = lines
    if errors:
        raise BibliographyError("\n".join(errors))
    if not entries:
        raise BibliographyError(f"{path}:1: the bibliography holds no entries; add at least one @type{{key, ...}}.")
    resolved, crossref_problems = resolve_crossrefs(entries)
    for key, problem in crossref_problems:
        line = field_lines[key].get("crossref", resolved[key].line)
        warnings.append(f"{path}:{line}: entry '{key}' {problem}{'' if problem.endswith('?') else '.'}")
    for key, parsed in resolved.items():
        warnings.extend(_check_entry(parsed, field_lines[key], path))
        _ = parsed.digest  # computed now, so it is pickled with the entry
    bibliography = Bibliography(path=path, entries=resolved, warnings=tuple(warnings))
    _ = bibliography.digest  # computed now, so it is pickled with the bibliography
    return bibliography


def _parse_with_bibtexparser(text: str, path: str) -> Library:
    try:
        return parse_string(
            text,
            # Names are split on the text as written, where braces still protect
            # corporate names such as {World Bank}; their parts are decoded after.
            append_middleware=[
                middlewares.SeparateCoAuthors(name_fields=PEOPLE_FIELDS),
                middlewares.SplitNameParts(name_fields=PEOPLE_FIELDS),
            ],
        )
    except Exception as error:  # bibtexparser raises bare exceptions on states it cannot handle
        raise BibliographyError(
            f"{path}:1: bibtexparser could not read the file ({type(error).__name__}: {error}); "
            "check the file for unbalanced braces."
        ) from None


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """Silence bibtexparser's own log lines: every failure is reported by us instead."""
    loggers = [logging.getLogger(name) for name in ("bibtexparser", "bibtexparser.splitter")]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was_disabled in zip(loggers, previous, strict=True):
            logger.disabled = was_disabled


def _describe_failed_block(block: model.ParsingFailedBlock, path: str) -> str:
    line = (block.start_line or 0) + 1
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return f"{path}:{line}: duplicate entry key '{block.key}'; rename one of the entries or delete the copy."
    if isinstance(block, model.DuplicateFieldKeyBlock):
        duplicates = ", ".join(sorted(block.duplicate_keys))
        entry = block.ignore_error_block
        key = entry.key if isinstance(entry, model.Entry) else "?"
        if isinstance(entry, model.Entry):
            repeated = [f for f in entry.fields if f.key in block.duplicate_keys]
            if len(repeated) > 1 and repeated[-1].start_line is not None:
                line = repeated[-1].start_line + 1
        return f"{path}:{line}: entry '{key}' repeats the field(s) {duplicates}; keep one of each."
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    reason = " ".join(reason.split()).rstrip(".") or "syntax error"
    return f"{path}:{line}: cannot parse this block ({reason}); check its braces, quotes and commas."


def _convert_entry(
    entry: model.Entry, path: str, shared: dict[object, Any]
) -> tuple[BibEntry, dict[str, int], list[str], list[str]]:
    """The entry with decoded fields, the line of each field, fatal problems and warnings."""
    fields: dict[str, str] = {}
    people: dict[str, tuple[Person, ...]] = {}
    lines: dict[str, int] = {}
    problems: list[str] = []
    notes: list[str] = []
    for field in entry.fields:
        name = shared.setdefault(field.key.lower(), field.key.lower())
        line = (field.start_line or entry.start_line or 0) + 1
        lines[name] = line
        where = f"{path}:{line}: entry '{entry.key}' field '{name}'"
        if name not in READ_FIELDS and name not in METADATA_FIELDS and not name.startswith(METADATA_PREFIXES):
            notes.append(
                f"{where} is not read by this site, so it never reaches the page; remove it, or use "
                "a field README lists under 'BibTeX and biblatex'."
            )
        value = field.value
        if isinstance(value, list):
            persons = []
            for person_parts in value:
                person, person_problems = _person(person_parts)
                notes.extend(f"{where} {problem}." for problem in person_problems)
                persons.append(shared.setdefault(person, person))
            people[name] = tuple(persons)
            continue
        text = str(value)
        if field.enclosing == "no-enclosing" and ("=" in text or "\n" in text):
            # bibtexparser reads up to the next comma: the value swallowed the next field.
            problems.append(
                f"{where} runs into the next line; a comma is probably missing after its value: "
                "end the line with a comma."
            )
            continue
        if field.enclosing == "no-enclosing" and "#" in text:
            problems.append(f"{where} concatenates with '#', which is not supported; write the whole value in braces.")
            continue
        if (
            field.enclosing == "no-enclosing"
            and not text.isdigit()
            and not (name == "month" and text.lower()[:3] in _MONTH_MACROS)
        ):
            problems.append(
                f"{where} uses the undefined @string macro '{text}'; define it with "
                f"@string{{{text} = {{...}}}} or put the value in braces."
            )
            continue
        if name in VERBATIM_FIELDS:
            fields[name] = _verbatim(text)
            continue
        decoded, latex_problems = decode(text)
        notes.extend(f"{where} {problem}." for problem in latex_problems)
        fields[name] = decoded
    converted = BibEntry(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        fields=fields,
        people=people,
        line=(entry.start_line or 0) + 1,
    )
    return converted, lines, problems, notes


def _person(parts: middlewares.NameParts) -> tuple[Person, list[str]]:
    """One name, its parts decoded; BibTeX's ``and others`` becomes the "et al." marker."""
    problems: list[str] = []

    def text(words: list[str]) -> str:
        decoded, found = decode(" ".join(words))
        problems.extend(found)
        return decoded

    last = " ".join(parts.last)
    if not parts.first and not parts.von and not parts.jr and last.strip().lower() == "others":
        return Person(family="", others=True), problems
    if not parts.first and not parts.von and last.startswith("{") and last.endswith("}"):
        return Person(family="", literal=text(parts.last)), problems
    person = Person(family=text(parts.last), given=text(parts.first), particle=text(parts.von), suffix=text(parts.jr))
    return person, problems


def _verbatim(value: str) -> str:
    r"""A URL or identifier as written, without braces, ``\url{}`` or LaTeX escapes; white space kept (and checked)."""
    value = re.sub(r"^\s*\\url\s*\{(.*)\}\s*$", r"\1", value, flags=re.DOTALL)
    return re.sub(r"\\([_%&#$~])", r"\1", value.replace("{", "").replace("}", "")).strip()


def _check_entry(entry: BibEntry, lines: dict[str, int], path: str) -> list[str]:
    """Warnings about what the entry's reference would miss or show wrongly."""
    fields = entry.fields
    warnings: list[str] = []

    def warn(field: str, problem: str) -> None:
        warnings.append(f"{path}:{lines.get(field, entry.line)}: entry '{entry.key}' {problem}.")

    missing = [name for name, present in (("title", "title"), ("year", "date")) if not _has(entry, present)]
    if missing:
        warn(
            "",
            f"lacks {', '.join(missing)}, which the citation style needs; add the field(s) to the entry"
            + (" (or a biblatex date)" if "year" in missing else ""),
        )
    for field in ("date", "urldate", "eventdate", "origdate"):
        for problem in entry_date(fields, field).problems:
            where = field if field in fields else problem.split(" ", 1)[0]
            warn(where, problem)
    if fields.get("doi"):
        doi = doi_problem(fields["doi"])
        if doi:
            warn("doi", doi)
    for field in _ADDRESS_FIELDS:
        if fields.get(field):
            address = url_problem(field, fields[field])
            if address:
                warn(field, address)
    howpublished = fields.get("howpublished", "")
    if is_url(howpublished) and fields.get("url") and fields["url"].strip() != howpublished.strip():
        warn("howpublished", "gives an address in howpublished and another in url; keep one of them in url")
    if fields.get("eprint") and not eprint_url(
        fields["eprint"], fields.get("eprinttype") or fields.get("archiveprefix") or ""
    ):
        warn(
            "eprint",
            "has an eprint without a known eprinttype (arxiv, hdl, jstor, pubmed, googlebooks), which cannot be "
            "linked; add eprinttype or give the address in url",
        )
    return warnings


def _has(entry: BibEntry, what: str) -> bool:
    if what == "date":
        return bool(entry.fields.get("year") or entry.fields.get("date"))
    return bool(entry.fields.get(what))
