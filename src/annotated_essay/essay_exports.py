"""Citation files: the essay as BibTeX (biblatex), RIS and CSL-JSON; the works it cites as CSL-JSON.

Every format says the same things about the essay, because each is written
from one :class:`~annotated_essay.essay_metadata.EssayMeta`: this annotated
edition, dated by its last change (``issued``, biblatex ``date``, RIS ``DA``),
republishes an essay written in 2025 (``original-date``, biblatex ``origdate``,
RIS ``OP``), marked as the editors' inference where the text states no date;
the editors are editors; the author's dateline is never a place of
publication. Readers download these files from ``cite/``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import bibtex_dates, csl_json, reference_links
from .bibliography import BibEntry, Bibliography, Person
from .citations import PageCitations
from .content_cache import cached_text
from .csl_json import to_csl_json
from .essay_metadata import EssayMeta

#: Where the generated citation files go in the site.
CITE_FILES = {
    "essay.bib": "cite/essay.bib",
    "essay.ris": "cite/essay.ris",
    "essay.json": "cite/essay.json",
    "references.bib": "cite/references.bib",
    "references.json": "cite/references.json",
}
#: biblatex ``langid`` names by language code (BCP 47 primary subtag).
_LANGUAGE_NAMES = {"en": "english", "de": "german", "fr": "french", "tr": "turkish", "zh": "chinese"}
#: CSL's ``language`` is a BCP 47 code; biblatex's ``language``/``langid`` are names.
_LANGUAGE_CODES = {name: code for code, name in _LANGUAGE_NAMES.items()}


def original_note(meta: EssayMeta) -> str:
    """Why the original year is in brackets, for the files' note fields (empty when the text states it)."""
    if not (meta.written and meta.written_inferred):
        return ""
    basis = f"; {meta.written_basis.strip().rstrip('.')}" if meta.written_basis.strip() else ""
    return f"Year of writing ({meta.written}) inferred by the editors: the essay's text carries no date{basis}."


# -- the essay's own reference ----------------------------------------------------------------


def bib_entry(meta: EssayMeta) -> BibEntry:
    """The essay as a bibliography entry for the CSL formatter ("Cite this essay").

    ``origdate`` marks the year as uncertain (``2025?``) when the editors inferred
    it, so the formatted reference ends "(Original work published ca. 2025)".
    """
    date = meta.edition_date
    fields = {"title": meta.full_title, "date": date.isoformat(), "language": meta.language}
    if meta.written:
        fields["origdate"] = meta.written_label
    if meta.publisher:
        # A webpage's publisher is its site: CSL's container-title, which APA prints in title
        # case; extra.essay.publisher is written so ("Annotated Edition") and spelled one way.
        fields["organization"] = meta.publisher
    if meta.url:
        fields["url"] = meta.url
    people = {"author": (meta.author,), "editor": meta.editors}
    return BibEntry(key=meta.key, entry_type="online", fields=fields, people=people, line=0)


def essay_csl_item(meta: EssayMeta) -> dict[str, Any]:
    """The essay as a CSL-JSON item: the edition ``issued``, the essay's year as ``original-date``.

    An inferred year is ``circa`` there, and the ``note`` says why.
    """
    item = to_csl_json(bib_entry(meta), meta.key)
    note = original_note(meta)
    if note:
        item["note"] = note
    return item


def essay_csl_json(meta: EssayMeta) -> str:
    """The essay's reference as a CSL-JSON file (a list with one item)."""
    return _json([essay_csl_item(meta)])


def essay_bibtex(meta: EssayMeta) -> str:
    """The essay's reference as a biblatex ``@online`` entry (UTF-8).

    ``date`` is the edition's, ``origdate`` the year the essay was written;
    a collective editor is braced so that it stays one name.
    """
    fields = [
        ("author", _bib_escape(meta.author_inverted)),
        ("editor", " and ".join(_bib_name(editor) for editor in meta.editors)),
        # Double braces keep the capitals of the title as written.
        ("title", "{" + _bib_escape(meta.title) + "}"),
        ("subtitle", _bib_escape(meta.subtitle.strip().rstrip("."))),
        ("organization", _bib_escape(meta.publisher)),
        ("date", meta.edition_date.isoformat()),
        # For BibTeX tools that read no ``date``; biblatex takes ``date``.
        ("year", str(meta.edition_date.year)),
        ("origdate", meta.written_label),
        ("langid", _LANGUAGE_NAMES.get(meta.language, meta.language)),
        ("url", meta.url),
        ("note", _bib_escape(original_note(meta))),
    ]
    present = [(name, value) for name, value in fields if value]
    width = max(len(name) for name, _ in present)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in present)
    return f"@online{{{meta.key},\n{body}\n}}\n"


def _bib_name(person: Person) -> str:
    if person.literal:
        return "{" + _bib_escape(person.literal) + "}"
    return _bib_escape(", ".join(part for part in (person.family, person.given) if part))


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text).replace("{", r"\{").replace("}", r"\}")


def essay_ris(meta: EssayMeta) -> str:
    """The essay's reference as an RIS record (lines end in CR LF, as the format asks).

    ``PY``/``DA`` date this edition; ``OP`` (original publication) gives the
    year the essay was written. No ``CY``: the dateline is not a place of publication.
    """
    date = meta.edition_date
    lines = [
        ("TY", "ELEC"),
        ("AU", meta.author_inverted),
        *(("ED", _ris_name(editor)) for editor in meta.editors),
        ("TI", meta.full_title),
        ("PY", str(date.year)),
        ("DA", f"{date:%Y/%m/%d}/"),
        ("OP", meta.written_label),
        ("PB", meta.publisher),
        ("LA", meta.language),
        ("UR", meta.url),
        ("N1", original_note(meta)),
        ("ID", meta.key),
    ]
    records = [f"{tag}  - {value}" for tag, value in lines if value]
    return "\r\n".join([*records, "ER  - ", ""])


def _ris_name(person: Person) -> str:
    return person.literal or ", ".join(part for part in (person.family, person.given) if part)


# -- the works cited --------------------------------------------------------------------------


def export_item(entry: BibEntry, item_id: str) -> dict[str, Any]:
    """``entry`` as a CSL-JSON item for the downloads (not for formatting).

    The formatter's item prints a translated title in brackets after the
    original, as APA asks; a reference manager wants the original ``title``, the
    translation in its own ``translated-title`` (CSL-JSON schema 1.0.2) and a
    CSL ``language`` code (``zh``, not biblatex's ``chinese``).
    """
    item = to_csl_json(entry, item_id)
    fields = entry.fields
    if fields.get("titleaddon") and fields.get("title"):
        item["title"] = fields["title"]
        item["translated-title"] = fields["titleaddon"]
    language = (fields.get("langid") or fields.get("language") or "").strip()
    if language:
        item["language"] = _LANGUAGE_CODES.get(language.lower(), language)
    return item


def works_csl(bibliography: Bibliography, cited: Iterable[PageCitations] | None = None) -> list[dict[str, Any]]:
    """Works as CSL-JSON export items, ids being the BibTeX keys.

    With ``cited`` (pages in reading order): the works they cite, in order of
    first citation; without it: every entry of the bibliography, in file order.
    """
    if cited is None:
        keys: Iterable[str] = bibliography.entries
    else:
        keys = dict.fromkeys(key for page in cited for key in page.cited_keys())
    entries = bibliography.entries
    return [export_item(entries[key], key) for key in keys if key in entries]


def references_csl_json(bibliography: Bibliography, cache_dir: str | None = None) -> str:
    """Every work in the bibliography as a CSL-JSON file (kept in ``cache_dir`` between builds)."""
    return cached_text(
        cache_dir,
        "references-json",
        [bibliography.digest],
        lambda: _json(works_csl(bibliography)),
        code=[sys.modules[__name__], csl_json, bibtex_dates, reference_links],
    )


def cite_files(meta: EssayMeta, bibliography: Bibliography, cache_dir: str | None = None) -> dict[str, str]:
    """The text of every file of :data:`CITE_FILES`, by name."""
    return {
        "essay.bib": essay_bibtex(meta),
        "essay.ris": essay_ris(meta),
        "essay.json": essay_csl_json(meta),
        "references.bib": Path(bibliography.path).read_text(encoding="utf-8"),
        "references.json": references_csl_json(bibliography, cache_dir),
    }


def _json(items: list[dict[str, Any]]) -> str:
    # One item per line: readable, and each item goes through json's C encoder
    # (``indent`` would switch the whole file to the pure-Python one, slow at 2,000 items).
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"


__all__ = [
    "CITE_FILES",
    "bib_entry",
    "cite_files",
    "essay_bibtex",
    "essay_csl_item",
    "essay_csl_json",
    "essay_ris",
    "export_item",
    "original_note",
    "references_csl_json",
    "works_csl",
]
