"""Load a ``.bib`` file: read it, parse it once per content, report problems by file and line.

The data model is ``bibtex_model``, the parsing ``bibtex_reading``; this module
finds the file, decodes it and keeps the result in ``content_cache`` under a
digest of the file's bytes and the parsing code, so ``mkdocs serve`` rebuilds
and later builds reuse it while ``bib/`` is unchanged.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from . import content_cache
from .bibtex_model import ENTRY_TYPES, BibEntry, Bibliography, BibliographyError, Person

#: BibTeX and biblatex entry types we know how to format (the keys of ``ENTRY_TYPES``).
KNOWN_ENTRY_TYPES = frozenset(ENTRY_TYPES)
#: The modules whose code shapes a parsed bibliography (found beside this one, not imported).
_PARSING_CODE = (
    "bibtex_model.py",
    "bibtex_reading.py",
    "bibtex_dates.py",
    "bibtex_crossref.py",
    "latex_text.py",
    "reference_links.py",
    "csl_json.py",
)


def load_bibliography(path: str | os.PathLike[str] | None, cache_dir: content_cache.Folder = None) -> Bibliography:
    """Parse ``path``, reusing an earlier result for the same bytes (from this process or ``cache_dir``).

    Raises:
        BibliographyError: The path is empty, the file is missing, unreadable,
            not UTF-8 or empty, or holds a block bibtexparser could not parse.
    """
    if not path or not str(path).strip():
        raise BibliographyError(
            "the 'bibliography' setting of annotated_essay.citations is empty; "
            "give the path of a .bib file such as bib/references.bib."
        )
    file_path = Path(path)
    try:
        raw = file_path.read_bytes()
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
    key = content_cache.digest(_code_digest(), str(file_path), raw)
    return content_cache.cached(
        "bibliography", key, lambda: _decode_and_parse(raw, str(file_path)), cache_dir, expect=Bibliography
    )


@functools.cache  # constant for the process, as source_digest and versions_digest are (Zensical asks per page)
def _code_digest() -> str:
    here = Path(__file__).with_name
    return content_cache.digest(
        content_cache.source_digest(*(str(here(name)) for name in _PARSING_CODE)),
        content_cache.versions_digest("bibtexparser", "pylatexenc"),
    )


def parse_bibliography_file(path: str) -> Bibliography:
    """Read and parse ``path`` without caching.

    Raises:
        BibliographyError: As :func:`load_bibliography`.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise BibliographyError(
            f"{path}: cannot read the bibliography: {error.strerror}; check that the path names a readable .bib file."
        ) from None
    return _decode_and_parse(raw, path)


def _decode_and_parse(raw: bytes, path: str) -> Bibliography:
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
    # Imported here: bibtexparser and pylatexenc are needed only when a file is parsed,
    # not when a warm build finds the parsed bibliography in the cache (some 9 ms of start-up).
    from .bibtex_reading import parse_bibtex

    return parse_bibtex(text, path)


__all__ = [
    "KNOWN_ENTRY_TYPES",
    "BibEntry",
    "Bibliography",
    "BibliographyError",
    "Person",
    "load_bibliography",
    "parse_bibliography",
    "parse_bibliography_file",
]
