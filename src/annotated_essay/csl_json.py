"""Bibliography entries as CSL-JSON items: the one conversion every consumer shares.

The reference formatter (citeproc-py), the ``cite/references.json`` download and
Google Scholar's ``citation_reference`` tags all read what :func:`to_csl_json`
makes, so a field reaches all of them or none. The items are plain CSL-JSON
(what citeproc-js, Zotero or Pandoc read); what only citeproc-py needs is added
in ``citeproc_input``.
"""

from __future__ import annotations

from typing import Any, cast

from .bibtex_dates import entry_date
from .bibtex_model import ENTRY_TYPES, BibEntry, Bibliography, Person
from .content_cache import remember, remembered
from .reference_links import eprint_url, is_url, normalized_doi

#: biblatex's ``entrysubtype`` refines ``@article``.
_ARTICLE_SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
#: Fields copied as they are, first one present wins for each CSL variable.
PLAIN_FIELDS = {
    "volume": "volume",
    "number": "issue",
    "issue": "issue",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
    "addendum": "note",
    "address": "publisher-place",
    "location": "publisher-place",
    "school": "publisher",
    "institution": "publisher",
    "publisher": "publisher",
    "series": "collection-title",
    "language": "language",
    "version": "version",
    "type": "genre",
    "chapter": "chapter-number",
    "pagetotal": "number-of-pages",
    "eventtitle": "event-title",
    "venue": "event-place",
    "abstract": "abstract",
    "shorttitle": "title-short",
}
#: People fields and their CSL roles.
PEOPLE_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}
#: Fields read for dates: biblatex's and BibTeX's, and the CSL variable each fills.
DATE_FIELDS = {"date": "issued", "urldate": "accessed", "eventdate": "event-date", "origdate": "original-date"}
#: Fields read elsewhere in the conversion (title, container, links, type refinements, crossref).
OTHER_FIELDS = frozenset(
    {
        "title",
        "subtitle",
        "titleaddon",
        "journal",
        "journaltitle",
        "journalsubtitle",
        "booktitle",
        "booksubtitle",
        "booktitleaddon",
        "maintitle",
        "organization",
        "pages",
        "year",
        "month",
        "day",
        "doi",
        "url",
        "howpublished",
        "eprint",
        "eprinttype",
        "archiveprefix",
        "entrysubtype",
        "crossref",
    }
)


#: Every field the conversion reads.
READ_FIELDS = frozenset(PLAIN_FIELDS) | frozenset(PEOPLE_FIELDS) | frozenset(DATE_FIELDS) | OTHER_FIELDS


def to_csl_json(entry: BibEntry, item_id: str) -> dict[str, Any]:
    """Convert one entry to a CSL-JSON item with id ``item_id``."""
    fields = entry.fields
    csl_type = ENTRY_TYPES.get(entry.entry_type, "article")
    if entry.entry_type == "article":
        csl_type = _ARTICLE_SUBTYPES.get(fields.get("entrysubtype", "").lower(), csl_type)
    item: dict[str, Any] = {"id": item_id, "type": csl_type}
    title = _joined(fields.get("title", ""), fields.get("subtitle", ""))
    if fields.get("titleaddon"):
        # APA 7 (and biblatex) print a translated title in square brackets after the original.
        title = f"{title} [{fields['titleaddon']}]"
    if title:
        item["title"] = title
    container = (
        _joined(fields.get("journal") or fields.get("journaltitle") or "", fields.get("journalsubtitle", ""))
        or _joined(fields.get("booktitle", ""), fields.get("booksubtitle", ""))
        or fields.get("maintitle")
    )
    if container and fields.get("booktitleaddon") and fields.get("booktitle"):
        container = f"{container} [{fields['booktitleaddon']}]"
    if not container and csl_type == "webpage":
        container = fields.get("organization") or fields.get("publisher")
    if container:
        item["container-title"] = container
    elif fields.get("organization"):
        item["publisher"] = fields["organization"]
    for bib_name, variable in PLAIN_FIELDS.items():
        if fields.get(bib_name) and variable not in item:
            item[variable] = fields[bib_name]
    if fields.get("pages"):
        # citeproc-py turns a hyphen in a page range into an en dash itself.
        item["page"] = fields["pages"].replace("–", "-").replace("—", "-")
    for bib_name, variable in DATE_FIELDS.items():
        date = entry_date(fields, bib_name)
        if date.csl is not None:
            item[variable] = date.csl
        if date.year_suffix:
            item["year-suffix"] = date.year_suffix
    for bib_name, role in PEOPLE_FIELDS.items():
        names = [csl_name(person) for person in entry.people.get(bib_name, ()) if not person.others]
        if names:
            item[role] = names
    _add_links(fields, item)
    return item


def _add_links(fields: dict[str, str], item: dict[str, Any]) -> None:
    doi = normalized_doi(fields.get("doi", ""))
    if doi:
        item["DOI"] = doi
    url = fields.get("url", "").strip()
    howpublished = fields.get("howpublished", "").strip()
    eprint = eprint_url(fields.get("eprint", ""), fields.get("eprinttype") or fields.get("archiveprefix") or "")
    if url.lower().startswith(("http://", "https://")):
        # Checked (and any space reported) when the file was read; shown as written.
        item["URL"] = url
    elif is_url(howpublished):
        item["URL"] = howpublished
    elif eprint:
        item["URL"] = eprint
    if howpublished and not is_url(howpublished) and "publisher" not in item:
        item["publisher"] = howpublished


def _joined(title: str, subtitle: str) -> str:
    if not subtitle:
        return title
    return f"{title}{'' if title.endswith(('?', '!', ':')) else ':'} {subtitle}" if title else subtitle


def csl_name(person: Person) -> dict[str, str]:
    """One person as a CSL-JSON name."""
    if person.literal:
        return {"literal": person.literal}
    name = {"family": person.family, "given": person.given}
    if person.particle:
        name["non-dropping-particle"] = person.particle
    if person.suffix:
        name["suffix"] = person.suffix
    return name


def csl_items(bibliography: Bibliography) -> dict[str, dict[str, Any]]:
    """Every entry of ``bibliography`` as a CSL-JSON item, by key, in file order.

    Converted once per bibliography content (its digest): the citation files and
    the ``citation_reference`` tags both need them. Treat the result as read-only.
    """
    found = remembered("csl-items", bibliography.digest)
    if found is None:
        found = remember(
            "csl-items",
            bibliography.digest,
            {key: to_csl_json(entry, key) for key, entry in bibliography.entries.items()},
        )
    return cast(dict[str, dict[str, Any]], found)
