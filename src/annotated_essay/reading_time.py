"""The essay's length and reading time, counted on the text a reader reads.

Words are counted on the pages' rendered text, not their Markdown, so that a
link's address, an attribute list, raw HTML tags and citation keys are never
taken for words; a citation becomes a superscript number, which is not read.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

import lxml.html
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from .editors_notes import without_blocks

#: Average silent reading speed of non-fiction in English, words per minute
#: (Brysbaert 2019 reports 238; we round down for an annotated text).
WORDS_PER_MINUTE = 230
#: A citation as the citations extension reads it: brackets holding an ``@``.
_CITATION = r"\[(?P<body>[^\[\]@]*+@[^\[\]]*+)\]"
#: Labels the editors put beside the author's words (``<span class="editors-label">``), left out of the count.
_EDITORS_LABELS = "//*[contains(concat(' ', normalize-space(@class), ' '), ' editors-label ')]"
#: Python-Markdown's extensions whose syntax the essay's pages may use; their markup is not text.
_EXTENSIONS = ("attr_list", "md_in_html", "footnotes", "admonition", "def_list", "tables", "abbr")


class _DropCitations(InlineProcessor):
    """Citations are numbers on the page, not words."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class _Counting(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        # Priority 175: as the citations extension's, after code spans and escapes (so
        # `[@key]` in code stays text) and before links take the brackets.
        md.inlinePatterns.register(_DropCitations(_CITATION, md), "drop_citations", 175)


def count_words(markdown: str) -> int:
    """Words a reader reads in ``markdown`` (front matter already removed).

    A word is a run of characters between spaces holding at least one letter or
    digit, in the rendered text: "U.S.-Russia" is one word, "—" none.
    """
    return _count(markdown)


@functools.lru_cache(maxsize=4096)
def _count(markdown: str) -> int:
    # Kept by the page's text itself: an edited page is counted again, an unchanged one never.
    # The editors' notes are not the essay's words.
    html = Markdown(extensions=[*_EXTENSIONS, _Counting()]).convert(without_blocks(markdown))
    if not html.strip():
        return 0
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for label in root.xpath(_EDITORS_LABELS):
        label.drop_tree()  # the editors' words beside the author's ("editors’ heading") are not the essay
    text = root.text_content()
    return sum(1 for token in text.split() if any(character.isalnum() for character in token))


def essay_words(pages: Iterable[tuple[str, str]], folder: str) -> int:
    """Words on the essay's pages: ``pages`` are ``(src_uri, markdown)``, those inside ``folder`` count."""
    return sum(count_words(markdown) for src_uri, markdown in pages if src_uri.startswith(folder))


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at :data:`WORDS_PER_MINUTE`, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


__all__ = ["WORDS_PER_MINUTE", "count_words", "essay_words", "reading_minutes"]
