"""Pages handed to Material's search plugin without the placeholders that change nothing in its index.

The placeholders of :mod:`.after_index` are comments, which the search plugin's
parser skips, yet it still visits each one; so the page-context hook hands the
plugin each page in its index form and takes it back right after, with every
extension's held-back markup in place, from the same split of the page
(:class:`SearchHandOver`). Under Zensical, which indexes finished pages itself,
nothing is handed over.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from .after_index import PLACEHOLDER_START, AfterIndex, holders


class SearchHandOver:
    """Pages handed to Material's search plugin with fewer placeholders, and taken back filled.

    The placeholders are comments, which the search plugin's parser skips, but
    it still visits each one and splits the text around it: on the 100-page
    benchmark corpus, 10,000 comments (two per glossary link, one per
    citation) cost as much to parse as the pages' text. So just before the
    plugin reads a page (:meth:`before`), it gets the page without the
    placeholders that make no difference to what it indexes (:func:`index_form`);
    right after (:meth:`after`) the page comes back with every extension's
    held-back markup in place. Both come from one split of the page at its
    placeholders: filling it again per extension would split it twice more.
    The split's pattern itself tells the placeholders that go for sure from
    those to look at (a tenth), and the markup is looked up by ``map``, so
    that a page's hundred placeholders cost no Python step each
    (:func:`_quick_forms`). The hooks' own fills then find nothing to do
    (held-back markup never holds placeholders), and are told so: the page
    taken back is each extension's :attr:`AfterIndex.taken_back`, which
    :meth:`AfterIndex.fill` gives back as it is, not searched through again.

    Material's plugin rewrites the page after indexing only to drop
    ``data-search-*`` attributes with values; a page with any keeps its
    placeholders (the rewrite must apply to the page as written), and the
    hooks fill it. Anything else that changes the page while it is handed
    over is reported: the held-back markup cannot be put into a version it
    has not seen.
    """

    def __init__(self) -> None:
        """Nothing handed over yet."""
        #: The index form handed over, the filled page and who filled it, by page.
        self._pages: dict[str, tuple[str, str, Iterable[AfterIndex]]] = {}
        #: Every extension's held-back markup by its placeholder's key (``NAME:NUMBER``): one lookup each.
        self._lookup: dict[str, str] = {}
        #: The list of held-back markup each extension's entries of ``_lookup`` come from, and how many.
        self._looked_up: dict[str, tuple[list[str], int]] = {}

    def reset(self) -> None:
        """Forget pages of a build that did not finish, and the markup of earlier builds."""
        self._pages.clear()
        self._lookup.clear()
        self._looked_up.clear()

    def before(self, page: str, content: str, extensions: Iterable[object]) -> str:
        """What to give the search plugin for ``page`` (its ``src_uri``): ``content`` in :func:`index_form`."""
        held = {held_back.name: held_back for held_back in holders(extensions)}
        if not held or "data-search-" in content:
            return content
        forms = _quick_forms(content, tuple(held), self._markup_by_key(held))
        if forms is None:
            parts = _placeholders(tuple(held)).split(content)  # text, placeholder, text, ..., text
            if len(parts) == 1:
                return content
            filled = _filled(parts, held)
            _drop_joinable(parts)
            indexed = "".join(parts)
        elif forms is _NO_PLACEHOLDER:
            return content
        else:
            indexed, filled = forms
        self._pages[page] = (indexed, filled, held.values())
        return indexed

    def after(self, page: str, content: str) -> str:
        """``page``'s HTML with the held-back markup in place, once the search plugin gave back ``content``.

        Raises:
            ValueError: The page changed while handed over (another plugin rewrote it).
        """
        handed_over = self._pages.pop(page, None)
        if handed_over is None:
            return content
        indexed, filled, held = handed_over
        if content != indexed:
            raise ValueError(
                f"{page}: another plugin changed the page while Material's search plugin indexed it, "
                "so its notes, glossary links and back-links cannot be put back; give that plugin's "
                "on_page_context a priority above 0.1 or below -0.1 (see annotated_essay.after_index)."
            )
        for held_back in held:  # each hook's fill then gives the page back at once, not searched through
            held_back.taken_back = filled
        return filled

    def _markup_by_key(self, held: dict[str, AfterIndex]) -> dict[str, str]:
        """Every markup ``held`` holds back, by key: what was added since the last page, added (once per build each)."""
        for name, held_back in held.items():
            markup = held_back.held
            looked_up = self._looked_up.get(name)
            if looked_up is not None and (looked_up[0] is not markup or looked_up[1] > len(markup)):
                self._lookup.clear()  # an extension started a new build: its old numbers mean other markup now
                self._looked_up.clear()
                return self._markup_by_key(held)
            start = 0 if looked_up is None else looked_up[1]
            if start < len(markup):
                keys = map(f"{name}:".__add__, map(str, range(start, len(markup))))
                self._lookup.update(zip(keys, markup[start:], strict=True))
                self._looked_up[name] = (markup, len(markup))
        return self._lookup


#: Where a placeholder's name starts, and its end (``<!--annotated-essay:NAME:…-->``).
_NAME_START, _END = len(PLACEHOLDER_START), len("-->")


def _filled(parts: list[str], held: dict[str, AfterIndex]) -> str:
    """The page split at its placeholders (``parts``) with each extension's markup in place: every ``fill`` at once.

    A swapped region's start gives the final markup, and its text and end
    marker go, as :meth:`AfterIndex.fill` does (regions never nest).
    """
    filled = parts.copy()
    known: dict[str, str] = {}  # markup by placeholder: an end tag's is on every link
    region_end = ""  # the end marker of the swapped region being dropped
    for position in range(1, len(parts), 2):
        placeholder = parts[position]
        if region_end:
            filled[position] = filled[position - 1] = ""
            if placeholder == region_end:
                region_end = ""
            continue
        markup = known.get(placeholder)
        if markup is None:
            name, number = placeholder[_NAME_START:-_END].split(":", 1)
            if number == "end":  # outside a region: no placeholder of fill's either
                continue
            if number.endswith(":index"):
                region_end = f"{PLACEHOLDER_START}{name}:end-->"
                filled[position] = held[name].markup(int(number[: -len(":index")]))
                continue
            markup = known[placeholder] = held[name].markup(int(number))
        filled[position] = markup
    return "".join(filled)


#: What :func:`_quick_forms` gives for a page without placeholders.
_NO_PLACEHOLDER = ("", "")


def _quick_forms(content: str, names: tuple[str, ...], markup_by_key: dict[str, str]) -> tuple[str, str] | None:
    """``content``'s index form and the page filled, for the placeholders of ``names`` (markup from ``markup_by_key``).

    :data:`_NO_PLACEHOLDER` if there is no placeholder; None for a page the
    general way treats: one with swapped regions (the reference list) or
    their markers, or a placeholder whose number no extension gave.

    As :func:`index_form` and :func:`_filled` give them, but with the
    joinability of the common cases decided by the split's pattern
    (:func:`_quick_placeholders`) and the markup looked up with ``map``: no
    Python step per placeholder but for the few the pattern leaves in doubt.
    """
    # text, in doubt on the left, key, in doubt on the right, text, ..., text (not in doubt: None)
    parts = _quick_placeholders(names).split(content)
    if len(parts) == 1:
        return _NO_PLACEHOLDER
    keys = parts[2::4]
    markup = list(map(markup_by_key.get, keys))
    if None in markup:  # a region's marker, or a number no extension gave
        return None
    nothing = [None] * len(keys)
    filled: list[str | None] = parts.copy()
    filled[1::4] = filled[3::4] = nothing
    filled[2::4] = markup
    positions = range(2, len(parts), 4)
    in_doubt = {*itertools.compress(positions, parts[1::4]), *itertools.compress(positions, parts[3::4])}
    parts[1::4] = parts[2::4] = parts[3::4] = nothing
    for position in in_doubt:
        if not _joinable(parts[position - 2], parts[position + 2]):
            parts[position] = f"{PLACEHOLDER_START}{keys[position // 4]}-->"
    return "".join(filter(None, parts)), "".join(filter(None, filled))


def _drop_joinable(parts: list[str]) -> None:
    """Drop the placeholders of the split page ``parts`` that make no difference to the index (:func:`index_form`)."""
    for position in range(1, len(parts), 2):
        if _joinable(parts[position - 1], parts[position + 1]):
            parts[position] = ""


def index_form(content: str, names: Iterable[str]) -> str:
    """``content`` without the placeholders of ``names`` that make no difference to Material's search index.

    Deferred markup's placeholders go, and a swapped region's markers, which
    leaves the markup the index is to read in their place. Material's parser
    indexes the text between two tags (or comments) as it is, but a text that
    is only whitespace as a single space, and none after another such text. So
    a placeholder goes only where the texts on either side of it are empty or
    hold more than whitespace (``word<!--…--> word``): joined, they give the
    same words and spaces. Between spaces (``word <!--…--> <!--…-->.``) it stays,
    and next to an entity, which may stand for a space (``&nbsp;``).
    """
    parts = _placeholders(tuple(names)).split(content)  # text, placeholder, text, ..., text
    _drop_joinable(parts)
    return "".join(parts)


@functools.lru_cache(maxsize=8)
def _placeholders(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(f"({re.escape(PLACEHOLDER_START)}(?:{alternatives}):(?:[0-9]+(?::index)?|end)-->)")


@functools.lru_cache(maxsize=8)
def _quick_placeholders(names: tuple[str, ...]) -> re.Pattern[str]:
    """Placeholders and region markers of ``names``: key (``NAME:…``), and whether in doubt on either side.

    A placeholder goes for sure (:func:`_joinable`) right after a character
    that is neither whitespace nor ``;`` (a tag's or placeholder's ``>``
    included: the text before is then empty), or after one whitespace
    character after such a character but ``>``; and before a character that
    is neither whitespace nor ``&`` (a tag's or placeholder's ``<`` included),
    the page's end, or whitespace followed by a character that is none of
    whitespace, ``<`` and ``&``. Otherwise the group of that side captures a
    character (else None): :func:`_joinable` decides. The lookbehinds include
    the placeholder's fixed start, so the pattern starts with a literal the
    regex engine searches for quickly.
    """
    start = re.escape(PLACEHOLDER_START)
    alternatives = "|".join(re.escape(name) for name in names)
    left = rf"(?:(?<=[^\s;]{start})|(?<=[^\s;>]\s{start})|(?=(.)))"
    right = r"(?:(?=[^\s&]|\Z|\s+[^\s<&])|(?<=(>)))"
    return re.compile(f"{start}{left}((?:{alternatives}):(?:[0-9]+(?::index)?|end))-->{right}")


_SPACES = re.compile(r"\s*")


def _joinable(before: str, after: str) -> bool:
    """Whether the texts around a placeholder are each empty or more than whitespace, so they may join.

    ``before`` runs back to the previous placeholder, ``after`` on to the next:
    the text on either side is their end after the last tag and their start
    before the next. In doubt (an entity, which may stand for a space), no.
    """
    if before:
        last = before[-1]
        if last.isspace():
            text = before.rstrip()
            if not text or text[-1] in ">;":  # only spaces since the last tag, or after an entity
                return False
        elif last == ";":
            return False
    if after:
        first = after[0]
        if first.isspace():
            spaces = _SPACES.match(after)
            end = spaces.end() if spaces else 0
            following = after[end : end + 1]
            if not following or following in "<&":  # only spaces up to the next tag, or an entity
                return False
        elif first == "&":
            return False
    return True
