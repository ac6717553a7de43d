"""Markup that joins a page only after the search index has read it.

Notes, the reference list's "Cited: a b c" links and the glossary's "Appears in"
lines are navigation: the notes repeat the reference list (indexed on its own
page), and "Cited in …" or "Appears in …" would make every page title a hit on
every reference and glossary entry. They are kept out of the index anyway,
but Material's search plugin still parses every tag of ``page.content`` in
``on_page_context``, and on a large site this markup is most of what it
parses: on the 2,000-entry benchmark corpus, a fifth of the build.

So phase two writes a short HTML comment in its place (the search parser skips
comments without looking inside) and keeps the markup here; the hooks put it
back in ``on_page_context`` after the search plugin has indexed the page. Used
as a plain Python-Markdown extension there is no index: the markup is put back
at once (:func:`immediately`).

The same goes for the tags, not the text, of our links (glossary links with
their tooltips, styling in the reference list): the search index keeps a link's
text but not the link, so the start and end tags are held back and the text
stays where it is; a treeprocessor writes them as comment nodes
(:meth:`AfterIndex.comment`) or, in the middle of a text, as markers in the
text that a postprocessor turns into the same comments (:meth:`AfterIndex.marker`).
Where tags and text are ours alone, as in the reference list, the index reads
the text with no styling at all and the page gets the styled markup in its place
(:meth:`AfterIndex.swap`): one comment on either side instead of one per tag. The index is the same either way
(``tests/test_after_index.py`` checks this with Material's own parser).

The placeholders themselves still cost the search plugin's parser a visit each,
so the page-context hook hands the plugin each page without those that change
nothing in the index, and takes it back right after with every extension's
markup in place (:class:`.search_hand_over.SearchHandOver`).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: How every placeholder starts: ``<!--annotated-essay:NAME:NUMBER-->``, a region's ``NAME:NUMBER:index`` and
#: ``NAME:end`` markers, and a glossary marker's text (``STX`` for ``<``). Search's hand-over reads the same.
PLACEHOLDER_START = "<!--annotated-essay:"

#: Turns a piece of markup into what is written in its place for now.
Defer = Callable[[str], str]


#: Turns the markup the search index should read, and the markup the page shows, into what is written for now.
Swap = Callable[[str, str], str]


def immediately(markup: str) -> str:
    """The :data:`Defer` for pages nobody indexes: the markup itself."""
    return markup


def final_markup(indexed: str, final: str) -> str:
    """The :data:`Swap` for pages nobody indexes: the markup the page shows."""
    return final


class AfterIndex:
    """Markup held back from one extension's pages until they are indexed."""

    def __init__(self, name: str) -> None:
        """Hold markup for the extension ``name`` (a word: it names the placeholders)."""
        self.name = name
        self._markup: list[str] = []
        #: Placeholder (the comment's text) by markup: repeated markup (an end tag) shares one.
        self._placeholders: dict[str, str] = {}
        #: Text marker by the key of its markup (see :meth:`marker`).
        self._markers: dict[tuple[object, ...], str] = {}
        #: The last page :class:`SearchHandOver` took back filled: :meth:`fill` need not look through it again.
        self.taken_back = ""

    @functools.cached_property
    def _placeholder(self) -> re.Pattern[str]:
        """A placeholder, or a swapped region from its start to its end marker (regions never nest).

        Compiled when first filled: under Zensical, which makes an extension per page and
        indexes finished pages itself, nothing is held back and nothing is filled.
        """
        prefix = f"{re.escape(PLACEHOLDER_START)}{re.escape(self.name)}:"
        # The region as '.*?' would take it (up to the first end marker), without its per-character
        # backtracking: runs of text without '<', or a '<' that starts no end marker, possessively
        # (half the time of filling a large site's reference list, 1,000 entries).
        region = f"(?:[^<]++|<(?!{prefix[1:]}end-->))*+"
        return re.compile(f"{prefix}([0-9]+)(?::index-->{region}{prefix}end)?-->")

    def reset(self) -> None:
        """Forget what previous builds held back."""
        self._markup = []  # a new list: :class:`SearchHandOver` tells a new build by it
        self._placeholders.clear()
        self._markers.clear()
        self.taken_back = ""

    def defer(self, markup: str) -> str:
        """Keep ``markup``; return the placeholder to write in its place."""
        return f"<!--{self._comment_text(markup)}-->"

    def swap(self, indexed: str, final: str) -> str:
        """Keep ``final``; return ``indexed`` between markers, for the index to read in its place.

        ``indexed`` is ``final`` as the search index reads it: the same text, kept
        tags (``<li>``, ``<p>``, ``<sup>`` …) and nothing else; no comment in it.
        """
        number = len(self._markup)
        self._markup.append(final)
        return f"{PLACEHOLDER_START}{self.name}:{number}:index-->{indexed}{PLACEHOLDER_START}{self.name}:end-->"

    def comment(self, markup: str) -> etree.Element[Any]:  # a comment's tag is a function, not a str
        """Keep ``markup``; return the placeholder as a comment node, for a Python-Markdown tree.

        Python-Markdown's serializer writes it as the comment :meth:`defer` returns.
        """
        text = self._placeholders.get(markup)  # an end tag (half of a page's links): no further call
        return etree.Comment(text if text is not None else self._comment_text(markup))

    def marker(self, make: Callable[..., str], *args: str) -> str:
        """Keep ``make(*args)``; return a marker for a text node, which :meth:`comments` turns into its placeholder.

        For markup held back in the middle of a text, as a glossary link's tags:
        a comment node there splits the text, and every node costs each later
        treeprocessor and the serializer a visit (two per link, 7,000 on the
        100-page benchmark corpus). The marker is the placeholder with STX
        for its ``<`` and ETX after its ``--``: written as it is (no ``&``,
        ``<`` or ``>`` in it), and it cannot be part of the page's own text:
        Python-Markdown removes STX and ETX from the source, and its own
        markers between them never start with ``!--annotated-essay:`` nor end
        with ``--``. The same ``make`` and ``args``, the same markup: it is
        made once per build.
        """
        key = (make, *args)
        text = self._markers.get(key)
        if text is None:
            text = self._markers[key] = f"\x02!--{self._comment_text(make(*args))}--\x03"
        return text

    def comments(self, html: str) -> str:
        """``html`` with each :meth:`marker` written as the placeholder comment (a postprocessor's work).

        Two replacements, no split: a marker's start is ours alone, and so is
        its end, ``--`` before ETX (Python-Markdown's markers end with a
        number or a word). Another extension's markers end alike and become
        its comments' ends too, ready for its own start's replacement.
        """
        start = f"\x02{PLACEHOLDER_START[1:]}{self.name}:"
        if start not in html:
            return html
        return html.replace(start, f"{PLACEHOLDER_START}{self.name}:").replace("--\x03", "-->")

    def _comment_text(self, markup: str) -> str:
        text = self._placeholders.get(markup)
        if text is None:
            text = f"{PLACEHOLDER_START[4:]}{self.name}:{len(self._markup)}"
            self._markup.append(markup)
            self._placeholders[markup] = text
        return text

    def markup(self, number: int) -> str:
        """The markup held back as placeholder ``number``."""
        return self._markup[number]

    @property
    def held(self) -> list[str]:
        """All markup held back in this build, by number (a new list each build); not to be changed."""
        return self._markup

    def fill(self, content: str) -> str:
        """Put the held-back markup in place of its placeholders in ``content``."""
        if content is self.taken_back or f"{PLACEHOLDER_START}{self.name}:" not in content:
            return content
        # Split, not sub with a function: no call per placeholder (10,000 on a large site's pages).
        parts = self._placeholder.split(content)  # text, number, text, number, ..., text
        parts[1::2] = map(self._markup.__getitem__, map(int, parts[1::2]))  # no Python loop either
        return "".join(parts)


def fill_all(content: str, extensions: Iterable[object]) -> str:
    """Put back what any of ``extensions`` (Markdown extensions with an ``after_index``) held back.

    For pages assembled from other pages' content before those are indexed,
    such as the print view.
    """
    for held_back in holders(extensions):
        content = held_back.fill(content)
    return content


def holders(extensions: Iterable[object]) -> Iterator[AfterIndex]:
    """The :class:`AfterIndex` of each of ``extensions`` that holds markup back (its ``after_index``)."""
    for extension in extensions:
        held_back = getattr(extension, "after_index", None)
        if isinstance(held_back, AfterIndex):
            yield held_back
