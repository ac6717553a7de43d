"""The essay's length and reading time, counted on the text a reader reads.

Words are counted on the pages' rendered text, not their Markdown, so that a
link's address, an attribute list, raw HTML tags and citation keys are never
taken for words; a citation becomes a superscript number, which is not read.
Rendering and parsing the pages again costs a warm build more than anything
else here, so the essay's count is kept in the one cache layer
(:mod:`.content_cache`), by a digest of the pages' Markdown and the code.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from . import content_cache, editors_notes
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
    import lxml.html  # here, not at import: a build that finds the count cached never needs it

    html = Markdown(extensions=[*_EXTENSIONS, _Counting()]).convert(without_blocks(markdown))
    if not html.strip():
        return 0
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for label in root.xpath(_EDITORS_LABELS):
        label.drop_tree()  # the editors' words beside the author's ("editors’ heading") are not the essay
    text = root.text_content()
    return sum(1 for token in text.split() if any(character.isalnum() for character in token))


def essay_words(pages: Iterable[tuple[str, str]], folder: str, cache_dir: content_cache.Folder = None) -> int:
    """Words on the essay's pages: ``pages`` are ``(src_uri, markdown)``, those inside ``folder`` count.

    Kept in this process and in ``cache_dir`` (if given) by a digest of those
    pages' Markdown, this code and the versions of the libraries that render it.
    """
    texts = [text for src_uri, text in pages if src_uri.startswith(folder)]
    key = content_cache.digest(
        content_cache.source_digest(__file__, editors_notes.__file__ or ""),
        content_cache.versions_digest("markdown", "lxml"),
        *texts,
    )
    return content_cache.cached(
        "word-count", key, lambda: sum(count_words(text) for text in texts), cache_dir, expect=int
    )


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at :data:`WORDS_PER_MINUTE`, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


__all__ = ["WORDS_PER_MINUTE", "count_words", "essay_words", "reading_minutes"]
