"""Reading BibTeX text into a :class:`~annotated_essay.bibliography.Bibliography`, with bibtexparser v2.

Kept apart from ``bibliography`` so that bibtexparser and pylatexenc are imported
only when a file is actually parsed: a warm build loads the parsed bibliography
from the cache (``disk_cache``) and never needs them (some 9 ms of start-up).
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
from pylatexenc import latexwalker  # type: ignore[import-untyped]

from .bibliography import (
    KNOWN_ENTRY_TYPES,
    REQUIRED_FIELDS,
    VERBATIM_FIELDS,
    BibEntry,
    Bibliography,
    BibliographyError,
    Person,
)

_MONTH_MACROS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
_LATEX_LEFTOVER = re.compile(r"\\[A-Za-z]+|\\.")
#: Values LaTeX decoding leaves unchanged: words separated by single spaces, without
#: backslashes, braces, math, comments, ties, ligatures such as -- or `` and the like.
_PLAIN_VALUE = re.compile(r"[^\\{}$%~&#^_`'\-!?\s]*(?: [^\\{}$%~&#^_`'\-!?\s]+)*")


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
    # pickled bibliography (disk_cache) is then smaller and loads twice as fast.
    shared: dict[object, Any] = {}
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        if not entry.key.strip():
            errors.append(f"{path}:{line}: @{entry.entry_type} entry without a key; write a key after the '{{'.")
            continue
        if entry.entry_type.lower() not in KNOWN_ENTRY_TYPES:
            errors.append(
                f"{path}:{line}: entry '{entry.key}' has unknown type @{entry.entry_type}; "
                f"use one of {', '.join('@' + name for name in sorted(KNOWN_ENTRY_TYPES))}."
            )
            continue
        converted, problems = _convert_entry(entry, path, shared)
        errors.extend(problems)
        missing = [name for name in REQUIRED_FIELDS if not converted.fields.get(name)]
        if missing:
            warnings.append(
                f"{path}:{line}: entry '{entry.key}' lacks {', '.join(missing)}, which the "
                "citation style needs; add the field(s) to the entry."
            )
        _ = converted.digest  # computed now, so it is pickled with the entry
        entries[entry.key] = converted
    if errors:
        raise BibliographyError("\n".join(errors))
    if not entries:
        raise BibliographyError(f"{path}:1: the bibliography holds no entries; add at least one @type{{key, ...}}.")
    bibliography = Bibliography(path=path, entries=entries, warnings=tuple(warnings))
    _ = bibliography.digest  # computed now, so it is pickled with the bibliography
    return bibliography


def _parse_with_bibtexparser(text: str, path: str) -> Library:
    try:
        return parse_string(
            text,
            append_middleware=[
                # Decode LaTeX first but keep {braced} groups, so that the name
                # splitter still sees corporate names such as {World Bank}.
                _FastLatexDecoding(keep_braced_groups=True),
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
            ],
        )
    except Exception as error:  # bibtexparser raises bare exceptions on states it cannot handle
        raise BibliographyError(
            f"{path}:1: bibtexparser could not read the file ({type(error).__name__}: {error}); "
            "check the file for unbalanced braces."
        ) from None


class _FastLatexDecoding(middlewares.LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding, without its per-value overhead (same results).

    Plain values (most names, years, titles) are passed through as they are, and
    the LaTeX walker reuses one parsing context instead of building pylatexenc's
    default one again for every value: together 5× faster on a large file.
    """

    _walker_context: Any = None

    def transform_entry(self, entry: model.Entry, library: Library) -> model.Block:
        # URLs and identifiers are not LaTeX: keep their '&', '~' and '%' as written.
        kept = {f.key: (f.value, f.enclosing) for f in entry.fields if f.key.lower() in VERBATIM_FIELDS}
        block = super().transform_entry(entry, library)
        if isinstance(block, model.Entry):
            for field in block.fields:
                if field.key in kept:
                    field.value, field.enclosing = kept[field.key]
        return block

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        if _PLAIN_VALUE.fullmatch(python_string):
            return python_string, ""
        if _FastLatexDecoding._walker_context is None:
            _FastLatexDecoding._walker_context = latexwalker.get_default_latex_context_db()
        try:
            walker = latexwalker.LatexWalker(python_string, latex_context=self._walker_context)
            return self._decoder.nodelist_to_text(walker.get_latex_nodes()[0]), ""
        except Exception as error:  # as bibtexparser's middleware: keep the value, report why
            return python_string, str(error)


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


def _convert_entry(entry: model.Entry, path: str, shared: dict[object, Any]) -> tuple[BibEntry, list[str]]:
    fields: dict[str, str] = {}
    people: dict[str, tuple[Person, ...]] = {}
    problems: list[str] = []
    for field in entry.fields:
        name = shared.setdefault(field.key.lower(), field.key.lower())
        line = (field.start_line or entry.start_line or 0) + 1
        value = field.value
        if isinstance(value, list):
            people[name] = tuple(shared.setdefault(person, person) for person in map(_person, value))
            continue
        text = str(value)
        if field.enclosing == "no-enclosing" and ("=" in text or "\n" in text):
            # bibtexparser reads up to the next comma: the value swallowed the next field.
            problems.append(
                f"{path}:{line}: entry '{entry.key}' field '{name}' runs into the next line; "
                "a comma is probably missing after its value: end the line with a comma."
            )
            continue
        if field.enclosing == "no-enclosing" and "#" in text:
            problems.append(
                f"{path}:{line}: entry '{entry.key}' field '{name}' concatenates with '#', which is not "
                "supported; write the whole value in braces."
            )
            continue
        if (
            field.enclosing == "no-enclosing"
            and not text.isdigit()
            and not (name == "month" and text.lower()[:3] in _MONTH_MACROS)
        ):
            problems.append(
                f"{path}:{line}: entry '{entry.key}' field '{name}' uses the undefined @string "
                f"macro '{text}'; define it with @string{{{text} = {{...}}}} or put the value in braces."
            )
            continue
        fields[name] = _verbatim(text) if name in VERBATIM_FIELDS else _plain_text(text)
    return (
        BibEntry(
            key=entry.key,
            entry_type=entry.entry_type.lower(),
            fields=fields,
            people=people,
            line=(entry.start_line or 0) + 1,
        ),
        problems,
    )


def _person(parts: middlewares.NameParts) -> Person:
    last = " ".join(parts.last)
    if not parts.first and not parts.von and last.startswith("{") and last.endswith("}"):
        return Person(family="", literal=_plain_text(last))
    return Person(
        family=_plain_text(last),
        given=_plain_text(" ".join(parts.first)),
        particle=_plain_text(" ".join(parts.von)),
        suffix=_plain_text(" ".join(parts.jr)),
    )


def _verbatim(value: str) -> str:
    """A URL or identifier as written, without braces, LaTeX escapes or white space."""
    return "".join(re.sub(r"\\([_%&#$~])", r"\1", value.replace("{", "").replace("}", "")).split())


def _plain_text(value: str) -> str:
    """Drop case-protecting braces and stray LaTeX commands; fold white space."""
    text = value.replace("{", "").replace("}", "")
    text = _LATEX_LEFTOVER.sub("", text)
    return " ".join(text.split())
