"""Pandoc's citation syntax: keys, bracketed citations, locators and their slips.

The functions here parse one citation's text (the inside of one pair of
brackets, or the bracket after an author-in-text key), never a whole paragraph:
the inline processors find candidates with patterns that cannot backtrack
(possessive quantifiers), so a paragraph of any length is scanned in linear time.

Keys follow Pandoc's rule: a letter, digit or ``_``, then letters, digits,
``_`` and the internal punctuation ``:.#$%&-+?<>~/`` (each followed by a letter
or digit, so ``@doe2021.`` at the end of a sentence is the key ``doe2021``),
or anything but spaces inside braces (``@{https://example.org/x}``). Keys are
compared after NFC normalization: ``Va\u0301mos`` typed with a combining accent
is the key ``Vámos``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from .lazy_regex import on_first_use

#: Characters that continue a key: word characters and combining marks (a key typed in NFD).
_REGCHAR = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
#: The key after '@': Pandoc's rule; possessive, so a failed citation never backtracks over it.
KEY_PATTERN = rf"(?:\{{(?P<braced>[^{{}}\s]++)\}}|(?P<key>\w(?:{_REGCHAR}|[:.#$%&\-+?<>~/](?={_REGCHAR})|[:/](?=/))*+))"
#: '@' (optionally '-@', suppress author) not after a letter or digit, as in Pandoc: not an e-mail address.
_AT_KEY = re.compile(rf"(?<![\w@])(?P<minus>-?)@{KEY_PATTERN}")
#: A bracket holding one key and nothing else (``[@key]``, ``[-@key]``): most citations, parsed directly.
#: ``_AT_KEY`` itself, used with ``fullmatch`` only: at the text's start its lookbehind always holds, so
#: ``(?P<minus>-?)@KEY`` is what it matches there, and one pattern fewer is compiled in every build.
_ONLY_KEY = _AT_KEY
#: Compiled on first use (``lazy_regex``), as the rest: a warm build of the essay needs none of them.
#: '@' not after a letter or digit, with no key after it.
_BARE_AT = on_first_use(r"(?<![\w@])-?@(?![\w{])")
#: What may stand between two keys written in one part by mistake.
_SEPARATOR_SLIP = on_first_use(r"^\s*(?:(?P<comma>,)|(?P<and>and|&))\s*$", re.IGNORECASE)

#: CSL locator labels: every form Pandoc recognizes (long and short, singular and plural, symbols).
LOCATOR_TERMS: dict[str, tuple[str, ...]] = {
    "book": ("book", "books", "bk.", "bks."),
    "chapter": ("chapter", "chapters", "chap.", "chaps.", "ch."),
    "column": ("column", "columns", "col.", "cols."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "number": ("number", "numbers", "no.", "nos."),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "section": ("section", "sections", "sec.", "secs.", "§", "§§"),
    "sub verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "verse": ("verse", "verses", "v.", "vv."),
    "volume": ("volume", "volumes", "vol.", "vols."),
}
#: How a label is written in notes: singular and plural short forms (CSL's English terms).
LOCATOR_SHORT: dict[str, tuple[str, str]] = {label: (forms[2], forms[3]) for label, forms in LOCATOR_TERMS.items()}
_TERM_TO_LABEL = {form.lower(): label for label, forms in LOCATOR_TERMS.items() for form in forms}
_LOCATOR_LABEL = on_first_use(
    "(?P<term>"
    + "|".join(re.escape(form) for form in sorted(_TERM_TO_LABEL, key=len, reverse=True))
    + r")(?=[\s\d{]|$)\s*+",
    re.IGNORECASE,
)
#: A locator value: numbers, roman numerals, ranges and lists of them ("33-35, 38-39", "iv", "12a").
_VALUE_WORD = r"(?:\d[\w.]*+|[ivxlcdmIVXLCDM]++\b)"
_LOCATOR_VALUE = on_first_use(rf"{_VALUE_WORD}(?:\s*+(?:[-–—,&]|and)\s*+{_VALUE_WORD})*+", re.IGNORECASE)
_BARE_PAGE = on_first_use(rf"\d[\w.]*+(?:\s*+[-–—,&]\s*+{_VALUE_WORD})*+")
_PLURAL_VALUE = on_first_use(r"[-–—,&]|\band\b")


def normalize_key(key: str) -> str:
    """The form keys are compared in: NFC, so a key typed with combining accents finds its entry."""
    return unicodedata.normalize("NFC", key)


class CitedItem(NamedTuple):
    """One source inside a citation: its key, the editor's prefix, locator and suffix.

    ``label`` is a CSL locator label ("page", "chapter" …) when ``locator`` is set.
    """

    key: str
    prefix: str = ""
    locator: str = ""
    label: str = ""
    suffix: str = ""
    suppress_author: bool = False

    def locator_text(self) -> str:
        """The locator as the notes show it: "p. 33", "pp. 33–35", "chap. 2"; what was written otherwise."""
        if not self.label:
            return self.locator
        singular, plural = LOCATOR_SHORT[self.label]
        short = plural if _PLURAL_VALUE.search(self.locator) else singular
        return f"{short} {self.locator}"

    def note_text(self) -> str:
        """Prefix, locator and suffix as one phrase for the note ("see p. 125 and passim")."""
        return " ".join(part for part in (self.prefix, self.locator_text(), self.suffix) if part)


class ParsedCitation(NamedTuple):
    """What one bracket holds: its items, and the slips found in it (each a message and its remedy)."""

    items: tuple[CitedItem, ...]
    problems: tuple[str, ...] = ()
    #: The bracket holds '@' where a key should be ("[@]", "[see @ p. 3]").
    empty_key: bool = False


def find_key(text: str, start: int = 0) -> re.Match[str] | None:
    """The first '@key' (or '-@key') in ``text`` from ``start`` that is not part of an e-mail address."""
    return _AT_KEY.search(text, start)


def key_of(match: re.Match[str]) -> str:
    """The key a :func:`find_key` match names."""
    return match.group("braced") or match.group("key")


def is_citation_bracket(body: str) -> bool:
    """Whether the inside of a bracket is meant as a citation: it holds '@key' or a bare '@' not in a word."""
    return "@" in body and (find_key(body) is not None or _BARE_AT.search(body) is not None)


def only_key(body: str) -> CitedItem | None:
    """The item of a bracket holding one key and nothing else (``[@key]``, ``[-@key]``); else ``None``.

    Most citations are such brackets: the inline processor takes them on this
    short path, and :func:`parse_bracket` makes of them the one item this returns.
    Such a body is always a citation bracket (:func:`is_citation_bracket`).
    """
    # One '@' (a braced key may hold more, and ';', which the general path treats apart).
    only = _ONLY_KEY.fullmatch(body) if body.count("@") == 1 and ";" not in body else None
    if only is None:
        return None
    if only.group("minus"):
        return CitedItem(only.group("braced") or only.group("key"), suppress_author=True)
    return CitedItem(only.group("braced") or only.group("key"))


def parse_bracket(body: str) -> ParsedCitation:
    """Parse the inside of ``[...]`` (``see @a, p. 5; -@b``) into items, naming each slip.

    Slips: a part between ';' without a key, '@' without a key, and two keys in
    one part (``@a, @b``, ``@a and @b``), which Pandoc would read as one source
    with a suffix: each key still becomes an item, so nothing is lost.
    """
    alone = only_key(body)
    if alone is not None:  # what the loop below makes of it: one item, no prefix, suffix or slip
        return ParsedCitation((alone,))
    items: list[CitedItem] = []
    problems: list[str] = []
    empty = False
    for part in body.split(";"):
        only = _ONLY_KEY.fullmatch(part.strip()) if part.count("@") == 1 else None
        if only is not None:  # ' @key' between ';' ([@a; @b]): the item the general path below makes
            items.append(CitedItem(key_of(only), suppress_author=bool(only.group("minus"))))
            continue
        first = find_key(part)
        if first is None:
            if _BARE_AT.search(part):
                empty = True
            elif part.strip():
                problems.append(
                    f"the part '{part.strip()}' of this citation names no source; "
                    "write '@key' in it or move the text into the next part's prefix or the previous part's suffix"
                )
            continue
        matches = [first]
        while (following := find_key(part, matches[-1].end())) is not None:
            matches.append(following)
        for index, match in enumerate(matches):
            prefix = part[: match.start()] if index == 0 else ""
            end = matches[index + 1].start() if index + 1 < len(matches) else len(part)
            suffix = part[match.end() : end]
            if index + 1 < len(matches):
                problems.append(_slip(key_of(match), suffix, key_of(matches[index + 1])))
                if _SEPARATOR_SLIP.match(suffix):
                    suffix = ""  # only the separator: no text of the editor's is dropped
            items.append(_item(key_of(match), prefix, suffix, bool(match.group("minus"))))
        if _BARE_AT.search(part):
            empty = True
    return ParsedCitation(tuple(items), tuple(problems), empty)


def parse_suffix(key: str, suffix: str, suppress_author: bool = False, prefix: str = "") -> CitedItem:
    """An item for ``key`` whose text after the key is ``suffix`` (``, p. 33``, ``p. 33``, ``33``)."""
    return _item(key, prefix, suffix, suppress_author)


def _item(key: str, prefix: str, suffix: str, suppress_author: bool) -> CitedItem:
    rest = suffix.strip()
    if not rest:  # no locator or suffix to look for
        return CitedItem(
            key=key,
            prefix=prefix.strip().removesuffix("-").strip() if suppress_author else prefix.strip(),
            suppress_author=suppress_author,
        )
    if rest.startswith(","):
        rest = rest[1:].strip()
    label, locator = "", ""
    term = _LOCATOR_LABEL.match(rest)
    if rest.startswith("{") or (term and rest[term.end() : term.end() + 1] == "{"):
        # Pandoc's explicit locator: [@key, p. {iv, vi-xi, (xv)-(xvii)} and more]
        opening = rest.index("{")
        closing = rest.find("}", opening)
        if closing > 0:
            label = _TERM_TO_LABEL[term.group("term").lower()] if term else "page"
            locator, rest = rest[opening + 1 : closing].strip(), rest[closing + 1 :].strip()
    elif term:
        value = _LOCATOR_VALUE.match(rest, term.end())
        if value:
            label, locator, rest = _TERM_TO_LABEL[term.group("term").lower()], value.group(0), rest[value.end() :]
    elif bare := _BARE_PAGE.match(rest):
        label, locator, rest = "page", bare.group(0), rest[bare.end() :]
    return CitedItem(
        key=key,
        prefix=prefix.strip().removesuffix("-").strip() if suppress_author else prefix.strip(),
        locator=locator.strip(),
        label=label,
        suffix=rest.strip().lstrip(",").strip(),
        suppress_author=suppress_author,
    )


def _slip(key: str, between: str, next_key: str) -> str:
    slip = _SEPARATOR_SLIP.match(between)
    if slip is None:
        written = f"two keys in one part ('@{key}' … '@{next_key}')"
    elif slip.group("comma"):
        written = f"',' between keys ('@{key}, @{next_key}')"
    else:
        written = f"'{slip.group('and').strip()}' between keys ('@{key} {slip.group('and').strip()} @{next_key}')"
    return (
        f"{written}: Pandoc reads the second as text after the first; "
        f"separate sources with ';', as in [@{key}; @{next_key}]"
    )


def unique_key_lookup(keys: list[str]) -> dict[str, str]:
    """Every key by its NFC form (see ``citation_syntax.normalize_key``)."""
    return {normalize_key(key): key for key in keys}


def closest(candidates: list[str], word: str, cutoff: float) -> list[str]:
    """Keys that look like ``word`` at least ``cutoff`` alike, best first."""
    import difflib  # only to suggest a name after a slip: not imported on a build without one

    return difflib.get_close_matches(word, candidates, n=3, cutoff=cutoff)


def keys_in(items: Iterable[CitedItem]) -> list[str]:
    """The keys of ``items`` in order, each once."""
    return list(dict.fromkeys(item.key for item in items))
