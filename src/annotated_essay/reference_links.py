"""DOIs, URLs and e-print identifiers of bibliography entries: normalized, checked, made into links.

A DOI is the same whether written ``10.1162/x``, ``doi:10.1162/x`` or as a
``https://doi.org/`` link; CSL wants the bare ``10.…`` form. A URL must be
``http(s)://`` and contain no white space: a space is reported (never silently
removed, which would change the address). An e-print (``eprint`` with
``eprinttype`` or ``archiveprefix``) of a known archive links to its page.

No imports from this package.
"""

from __future__ import annotations

import re

_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"'{}\\^`|]+", re.IGNORECASE)
#: biblatex's ``eprinttype`` values with a stable address for an identifier.
EPRINT_ADDRESSES = {
    "arxiv": "https://arxiv.org/abs/{}",
    "hdl": "https://hdl.handle.net/{}",
    "handle": "https://hdl.handle.net/{}",
    "jstor": "https://www.jstor.org/stable/{}",
    "pubmed": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "googlebooks": "https://books.google.com/books?id={}",
}


def normalized_doi(value: str) -> str | None:
    """The bare DOI (``10.…/…``) in ``value``, or ``None`` if it is no DOI."""
    match = _DOI.fullmatch(value.strip())
    return match.group(1) if match else None


def doi_problem(value: str) -> str | None:
    """Why ``value`` is not a usable DOI, or ``None``."""
    if normalized_doi(value) is not None:
        return None
    return (
        f"doi '{value}' is not a DOI; write it as 10.xxxx/suffix, doi:10.xxxx/suffix or https://doi.org/10.xxxx/suffix"
    )


def is_url(value: str) -> bool:
    """Whether ``value`` is an ``http(s)`` address that can be linked as it is."""
    return _URL.fullmatch(value.strip()) is not None


def url_problem(field: str, value: str) -> str | None:
    """Why the address in ``field`` cannot be linked as written, or ``None``."""
    stripped = value.strip()
    if is_url(stripped):
        return None
    if re.search(r"\s", stripped) and is_url("".join(stripped.split())):
        return (
            f"{field} '{stripped}' contains white space, which no address has; "
            "remove it or write it as %20 if it belongs there"
        )
    return f"{field} '{stripped}' is not an http(s) address; write the full address starting with https://"


def eprint_url(eprint: str, eprint_type: str) -> str | None:
    """The address of an e-print in a known archive, or ``None``."""
    template = EPRINT_ADDRESSES.get(eprint_type.strip().lower())
    identifier = eprint.strip()
    if template is None or not identifier or re.search(r"\s", identifier):
        return None
    if eprint_type.strip().lower() == "arxiv":
        identifier = re.sub(r"(?i)^arxiv:", "", identifier)
    return template.format(identifier)
