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
their tooltips, citation numbers): the search index keeps a link's text but
not the link, so :meth:`AfterIndex.defer_tags` holds back the start and end
tags and leaves the text where it is. The index is the same either way
(``tests/test_after_index.py`` checks this with Material's own parser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

#: Turns a piece of markup into what is written in its place for now.
Defer = Callable[[str], str]


def immediately(markup: str) -> str:
    """The :data:`Defer` for pages nobody indexes: the markup itself."""
    return markup


class AfterIndex:
    """Markup held back from one extension's pages until they are indexed."""

    def __init__(self, name: str) -> None:
        """Hold markup for the extension ``name`` (a word: it names the placeholders)."""
        self.name = name
        self._markup: list[str] = []
        #: Placeholder by markup: repeated markup (an end tag) shares one.
        self._placeholders: dict[str, str] = {}
        self._placeholder = re.compile(f"<!--annotated-essay:{re.escape(name)}:([0-9]+)-->")

    def reset(self) -> None:
        """Forget what previous builds held back."""
        self._markup.clear()
        self._placeholders.clear()

    def defer(self, markup: str) -> str:
        """Keep ``markup``; return the placeholder to write in its place."""
        placeholder = self._placeholders.get(markup)
        if placeholder is None:
            placeholder = f"<!--annotated-essay:{self.name}:{len(self._markup)}-->"
            self._markup.append(markup)
            self._placeholders[markup] = placeholder
        return placeholder

    def defer_tags(self, content: str, element: re.Pattern[str]) -> str:
        """Hold back the start and end tags of every ``element`` in ``content``, not their text.

        Args:
            content: HTML.
            element: Matches a whole element, with the groups ``start``, ``text``
                and ``end``; for elements that cannot nest, such as links.
        """
        return element.sub(
            lambda match: self.defer(match.group("start")) + match.group("text") + self.defer(match.group("end")),
            content,
        )

    def fill(self, content: str) -> str:
        """Put the held-back markup in place of its placeholders in ``content``."""
        if f"<!--annotated-essay:{self.name}:" not in content:
            return content
        return self._placeholder.sub(lambda match: self._markup[int(match.group(1))], content)


def fill_all(content: str, extensions: Iterable[object]) -> str:
    """Put back what any of ``extensions`` (Markdown extensions with an ``after_index``) held back.

    For pages assembled from other pages' content before those are indexed,
    such as the print view.
    """
    for extension in extensions:
        held_back = getattr(extension, "after_index", None)
        if isinstance(held_back, AfterIndex):
            content = held_back.fill(content)
    return content
