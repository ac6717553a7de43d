"""Finding glossary names in running text: one pattern for every name, in linear time.

The linker scans every text node of every page, so the names are compiled into
one regular expression shaped as a trie (each position costs one walk, and the
longest name wins), and the text is scanned in lowercase by a pattern that
starts with a literal character, which Python's regex engine skips to in C.
Names written in capitals ("US", "CPC") are matched in those capitals only,
so that "US" never links the "us" of "Let us begin".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Protocol

#: Chinese, Japanese and Korean characters, first to last: names among them need no spaces around.
_CJK_SPANS = (("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0002fa1f"))
_CJK_RANGES = "".join(f"{first}-{last}" for first, last in _CJK_SPANS)
_CJK = f"[{_CJK_RANGES}]"
#: A letter or digit of a script that separates words with spaces (not CJK).
_SPACED_WORD = rf"[^\W{_CJK_RANGES}]"
_HYPHENS = re.compile(r"[-‐‑]")
_INNER_POSSESSIVE = re.compile(r"'s(?=\s)")


# Cached: the linker looks up every match, mostly the same few hundred spellings.
@functools.lru_cache(maxsize=4096)
def term_key(text: str) -> str:
    """The form in which names are compared.

    Case, curly versus straight apostrophes, hyphens versus spaces, runs of
    white space and a possessive ``'s`` inside a phrase do not matter.
    """
    return _folded(text).lower()


def _folded(text: str) -> str:
    """``text`` with apostrophes, hyphens, inner possessives and white space normalized, case kept."""
    text = text.replace("’", "'").replace("‘", "'")
    text = _HYPHENS.sub(" ", text)
    text = _INNER_POSSESSIVE.sub("", text)
    return " ".join(text.split())


def written_in_capitals(name: str) -> bool:
    """Whether ``name`` is written in capitals (US, CPC, U.S.): then only those capitals match it.

    A name counts when it has an upper-case letter and no lower-case one; the
    rule is the editors' shorthand for acronyms, which ordinary words often
    spell in lower case.
    """
    return any(char.isupper() for char in name) and not any(char.islower() for char in name)


def case_form(name: str) -> str:
    """The form in which a name written in capitals is compared: as :func:`term_key`, case kept."""
    return _folded(name)


def inside_word(before: str, first: str) -> bool:
    """Whether a name starting with ``first`` after ``before`` starts inside a word (CJK has no spaces)."""
    return (before.isalnum() or before == "_") and not is_cjk(before) and not is_cjk(first)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is in :data:`_CJK_SPANS` (compared, not matched: the class takes 1 ms to compile)."""
    return any(first <= char <= last for first, last in _CJK_SPANS)


#: A name found in text: ``(start, end, term)``, its place with endings included, and the name
#: without its ending as the pattern's ``term`` group holds it (see :meth:`NamePattern.finditer`).
#: A plain tuple: kept finds are read back by the thousand without a constructor call.
NameMatch = tuple[int, int, str]


class MatchMemo(Protocol):
    """Where :meth:`NamePattern.find_all` keeps what it found in a page's texts (see ``glossary_match_cache``)."""

    def recall(self, texts: Sequence[str], first: bool = False) -> list[tuple[NameMatch, ...]] | None:
        """What was found in each of ``texts`` before (the first of each name if ``first``), if they were scanned."""

    def keep(self, texts: Sequence[str], found: list[tuple[NameMatch, ...]], first: bool = False) -> None:
        """Keep what was found in each of ``texts`` (the first of each name if ``first``)."""


def first_finds(found: Sequence[tuple[NameMatch, ...]]) -> list[tuple[NameMatch, ...]]:
    """The finds of a page's texts (``found``, in order) without each name's finds after its first."""
    seen: set[str] = set()
    first: list[tuple[NameMatch, ...]] = []
    for finds in found:
        kept = tuple(match for match in finds if match[2] not in seen)
        seen.update(match[2] for match in kept)
        first.append(kept)
    return first


class NamePattern:
    """Every name of a glossary, compiled once, and the search for them in text."""

    def __init__(self, keys: Collection[str], capitals: Mapping[str, str]) -> None:
        """Find the names whose :func:`term_key` is in ``keys``.

        ``capitals`` maps the key of each name written in capitals to its
        :func:`case_form`: such a name matches only text of that form.
        """
        self.keys = keys
        self.capitals = capitals
        #: What earlier scans found, by page: with it, a build whose pages were all seen never compiles.
        self.memo: MatchMemo | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The names only: a pickled term table carries no compiled pattern (recompiled on loading) nor memo."""
        return {"keys": self.keys, "capitals": self.capitals, "memo": None}

    def find(self, text: str) -> tuple[NameMatch, ...]:
        """Every mention in ``text`` (see :meth:`finditer`)."""
        return tuple((match.start(), match.end(), match.group("term")) for match in self.finditer(text))

    def find_all(self, texts: Sequence[str], *, first: bool = False) -> list[tuple[NameMatch, ...]]:
        """:meth:`find` for each of ``texts`` (a page's), from the memo if the same texts were scanned before.

        With ``first``, only the first find of each name (as written) on the
        page: where a name once linked or passed by is passed by ever after,
        the later ones would only be looked at and passed by again (most of a
        page's finds), and kept between builds they cost as much to read back.
        """
        if not texts:
            return []
        memo = self.memo
        if memo is not None:
            found = memo.recall(texts, first)
            if found is not None:
                return found
        found = [self.find(text) for text in texts]
        if first:
            found = first_finds(found)
        if memo is not None:
            memo.keep(texts, found, first)
        return found

    @functools.cached_property
    def any_case(self) -> re.Pattern[str] | None:
        """One case-insensitive pattern for every name (``None`` without names), with word boundaries."""
        return _compile(self.keys)

    @functools.cached_property
    def _lowercase(self) -> re.Pattern[str] | None:
        return _compile(self.keys, lowercase=True)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every mention in ``text``, positions counted in ``text``; the ``term`` group holds the name.

        The text is scanned in lowercase (the ``term`` group is then the
        lowercased name); the word boundary before a name is checked here, not
        in the pattern: written there once per first character, its class of
        CJK characters took 15 ms to compile every build. A match that starts
        inside a word or is in the wrong case is skipped one character only:
        a shorter name may start inside it.
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # after 'İ', say: positions would shift; the pattern checks boundaries
            yield from self._search(self.any_case, text, text, boundary=False)
        else:
            yield from self._search(self._lowercase, lowered, text, boundary=True)

    def _search(
        self, pattern: re.Pattern[str] | None, haystack: str, text: str, *, boundary: bool
    ) -> Iterator[re.Match[str]]:
        if pattern is None:
            return
        position = 0
        while (match := pattern.search(haystack, position)) is not None:
            start = match.start()
            if (boundary and start and inside_word(haystack[start - 1], haystack[start])) or not self._right_case(
                text, match
            ):
                position = start + 1
                continue
            yield match
            position = match.end()

    def _right_case(self, text: str, match: re.Match[str]) -> bool:
        """Whether a name written in capitals is written so in ``text`` too (other names: any case)."""
        if not self.capitals:
            return True
        wanted = self.capitals.get(term_key(match.group("term")))
        return wanted is None or case_form(text[match.start("term") : match.end("term")]) == wanted


def _compile(keys: Collection[str], *, lowercase: bool = False) -> re.Pattern[str] | None:
    """One pattern for all names: a trie, so that each position costs one walk, longest first.

    A name may be followed by a possessive or plural ending; the named group
    ``term`` holds the name as written in the text. With ``lowercase`` the
    pattern is for lowercased text, and the boundary before a name is left to
    :meth:`NamePattern.finditer`.
    """
    if not keys:
        return None
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def unit(char: str) -> str:
        if char == " ":
            return r"(?:['’]s)?(?:\s+|[-‐‑])"
        if char == "'":
            return "['’]"
        return re.escape(char)

    def emit(node: Mapping[str, Any]) -> str:
        branches = [unit(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    # Word boundaries, except beside CJK characters: Chinese and Japanese put no spaces between words.
    end_after_ending = rf"(?:(?<={_CJK})|(?!{_SPACED_WORD}))"
    if lowercase:
        # Case-sensitive, starting with a literal character: Python's regex engine then
        # skips ahead to candidate characters in C, twice as fast as the pattern below.
        return re.compile(rf"(?P<term>{emit(trie)})(?:['’]s|e?s['’]?)?{end_after_ending}")
    start = rf"(?:(?<!{_SPACED_WORD})|(?={_CJK}))"
    # Case is ignored inside the names only: under a global IGNORECASE, compiling the CJK
    # ranges of the boundaries case-folds some 90,000 characters (about 25 ms every build).
    return re.compile(rf"{start}(?i:(?P<term>{emit(trie)})(?:['’]s|e?s['’]?)?){end_after_ending}")
