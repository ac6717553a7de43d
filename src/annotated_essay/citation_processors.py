"""The Python-Markdown processors of the citations extension.

Inline processors turn ``[see @a, p. 5; @b]`` and author-in-text ``@a`` /
``@a [p. 5]`` into superscripts whose numbers are still placeholders; a
treeprocessor then reports every slip in source order and records the
citations in the order a reader meets them, at any nesting (blockquotes,
lists, admonitions, details, tables, footnote definitions), which is not the
order Python-Markdown's inline pass visits them in (top-level paragraphs first).
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markdown import Markdown, inlinepatterns, util
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor

from .citation_notes import PageCitations
from .citation_syntax import KEY_PATTERN, CitedItem, is_citation_bracket, only_key, parse_bracket, parse_suffix
from .generated_text import plain_tail
from .lazy_regex import on_first_use
from .records import Record
from .source_lines import SourceLines

if TYPE_CHECKING:
    from .citations import CitationsExtension

#: The marker for the reference list: a paragraph consisting of this line only.
BIBLIOGRAPHY_MARKER = "::: bibliography"
#: The id part of a reference link after its text: ``[text][id]`` or ``[text] [id]``.
_REFERENCE_ID = on_first_use(r"\s?\[([^\]]*)\]")
_WHITESPACE = on_first_use(r"\s+")
#: Python-Markdown's placeholder for a backslash-escaped character (its code point).
_ESCAPED_CHARACTER = on_first_use(f"{util.STX}([0-9]+){util.ETX}")
_PLACEHOLDER_EDGE = on_first_use(f"[{util.STX}{util.ETX}]")
#: How like a key an unknown ``@word`` in running text must be to count as a mistyped citation.
_NEAR_KEY = 0.85
#: The problems of a citation without any (shared: most citations).
_NO_PROBLEMS: tuple[str, ...] = ()
#: The heading tags, as Python-Markdown's inline pass names a text's ancestors.
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class PendingCitation(Record):
    """A citation found by an inline processor, waiting for the treeprocessor."""

    _fields = ("items", "problems", "snippet")
    items: tuple[CitedItem, ...]
    #: Messages for the editor, reported with the citation's line.
    problems: Sequence[str]
    #: The citation's text as written up to its first placeholder, to find its line.
    snippet: str

    def __init__(self, items: tuple[CitedItem, ...], problems: Sequence[str], snippet: str) -> None:
        self.items = items
        self.problems = problems
        self.snippet = snippet


class DocumentState(SourceLines):
    """Per-conversion state shared by the processors of one ``Markdown`` instance."""

    _fields = ("source", "seen", "page", "pending", "tree_done")
    page: PageCitations
    pending: dict[str, PendingCitation]
    #: Every treeprocessor has run: the postprocessors now see the whole page, not a heading (``toc``).
    tree_done: bool

    def __init__(
        self,
        source: str = "",
        seen: dict[str, int] | None = None,
        page: PageCitations | None = None,
        pending: dict[str, PendingCitation] | None = None,
        tree_done: bool = False,
    ) -> None:
        super().__init__(source, seen)
        self.page = PageCitations() if page is None else page
        self.pending = {} if pending is None else pending
        self.tree_done = tree_done
        #: Each record's superscript, in the order of ``page.records``: attr_list may give it the editor's id.
        self.anchored: list[etree.Element] = []

    def reset(self, lines: list[str]) -> None:
        """Start a new conversion of ``lines``."""
        super().reset(lines)
        self.page = PageCitations()
        self.pending = {}
        self.tree_done = False
        self.anchored = []

    def add(self, element: etree.Element, pending: PendingCitation) -> None:
        """Attach ``pending`` to ``element`` for the treeprocessor."""
        serial = str(len(self.pending))
        self.pending[serial] = pending
        element.set("data-citation", serial)


class BibliographyMarker(BlockProcessor):
    """``::: bibliography`` alone in a paragraph: where the reference list goes."""

    def __init__(self, parser: Any, state: DocumentState) -> None:
        super().__init__(parser)
        self.state = state

    def test(self, parent: etree.Element, block: str) -> bool:  # noqa: D102 (Python-Markdown's API)
        return block.strip() == BIBLIOGRAPHY_MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> None:  # noqa: D102 (Python-Markdown's API)
        blocks.pop(0)
        self.state.page.has_bibliography = True
        etree.SubElement(parent, "div", {"class": "bibliography", "data-bibliography": ""})


class _CitationBuilder(InlineProcessor):
    """What both inline processors share: looking keys up, building the superscript, placeholders as text."""

    def __init__(self, pattern: str, extension: CitationsExtension, state: DocumentState, md: Markdown) -> None:
        super().__init__(pattern, md)
        self.extension = extension
        self.state = state

    def superscript(self, items: list[CitedItem], unknown: list[str]) -> etree.Element:
        """``<sup class="citation">`` with a number placeholder per source and a marked unknown key."""
        # Citation numbers are kept out of the search index: "Mao3" finds nothing useful.
        if not unknown:  # every source known (most citations)
            if len(items) == 1:  # no keys to deduplicate
                return self.one_source(items[0].key)
            keys = list(dict.fromkeys(item.key for item in items))
            joined = " ".join(keys)
            # Keys hold no whitespace (nor does any key as written): checked all the same, as it is cheap.
            if self._outside_headings() and len(joined.split()) == len(keys):
                return self._numbered_by_attribute(joined)
        sup = etree.Element("sup", {"class": "citation", "data-search-exclude": ""})
        previous: etree.Element | None = None
        for key in dict.fromkeys(item.key for item in items):
            if previous is not None:
                plain_tail(self.md, previous, ", ")
            previous = etree.SubElement(sup, "span", {"data-cite-number": key})
        for key in unknown:
            if previous is not None:
                plain_tail(self.md, previous, ", ")
            previous = etree.SubElement(
                sup, "span", {"class": "citation-unresolved", "title": f"Unresolved citation key: {key}"}
            )
            previous.text = util.AtomicString(f"@{key}?")
        sup.text = _nothing_to_parse()
        return sup

    def one_source(self, key: str) -> etree.Element:
        """:meth:`superscript` for one known source, the commonest citation.

        Its number's placeholder is an attribute of the superscript, not a <span>
        in it: an element fewer per citation for each later treeprocessor to walk
        ("toc" walks every element of a page three times). In a heading it stays a
        <span>: "toc" copies a heading's HTML as it is then into the table of
        contents, which Zensical shows. Several known sources outside headings
        share the attribute, their keys apart by spaces (:meth:`superscript`):
        no <span> for each and no ", " between them, which the inline pass
        would go through as texts.
        """
        if self._outside_headings():
            return self._numbered_by_attribute(key)
        sup = etree.Element("sup", {"class": "citation", "data-search-exclude": ""})
        etree.SubElement(sup, "span", {"data-cite-number": key})
        sup.text = _nothing_to_parse()
        return sup

    def _outside_headings(self) -> bool:
        """Whether the text being parsed is outside headings (``toc`` copies a heading's HTML as it is)."""
        return _HEADINGS.isdisjoint(getattr(self.md.treeprocessors["inline"], "ancestors", _HEADINGS))

    def _numbered_by_attribute(self, keys: str) -> etree.Element:
        """The superscript with its numbers' placeholder as an attribute: ``keys`` apart by spaces."""
        sup = etree.Element("sup", {"class": "citation", "data-search-exclude": "", "data-cite-number": keys})
        sup.text = _nothing_to_parse()
        return sup

    def resolve(self, items: list[CitedItem], problems: list[str]) -> tuple[list[CitedItem], list[str]]:
        """Items with their keys as the bibliography spells them; unknown keys reported in ``problems``."""
        resolved: list[CitedItem] = []
        unknown: list[str] = []
        for item in items:
            key = self.extension.find_key(item.key)
            if key is None:
                unknown.append(item.key)
                problems.append(f"unknown citation key '{item.key}'; {self.extension.suggest(item.key)}")
            else:
                resolved.append(item._replace(key=key) if key != item.key else item)
        return resolved, unknown

    def with_html_before(self, markup: str, sup: etree.Element) -> etree.Element:
        """``sup`` after ``markup`` (the authors of an author-in-text citation, as HTML), as one element."""
        if not markup:
            return sup
        span = etree.Element("span", {"class": "citation-narrative"})
        # The formatter's HTML, put back by Python-Markdown's raw HTML postprocessor.
        span.text = util.AtomicString(self.md.htmlStash.store(markup))
        span.append(sup)
        return span

    def snippet(self, m: re.Match[str]) -> str:
        # A code span or escape in the brackets is a placeholder by now: look up the text before it.
        written = m.group(0)
        if util.STX not in written and util.ETX not in written:
            return written  # no placeholder (most citations)
        return _PLACEHOLDER_EDGE.split(written)[0]

    def text(self, markdown_text: str) -> str:
        """Prefix or locator as plain text: Python-Markdown's placeholders put back as text.

        By now code spans, backslash escapes and raw HTML in the brackets are
        placeholders; the note shows their text (a code span's content, the
        escaped character, the HTML source), never the placeholder itself.
        """
        if util.STX not in markdown_text:
            return markdown_text  # every placeholder starts with STX: nothing to put back
        text = util.INLINE_PLACEHOLDER_RE.sub(self._inline, markdown_text)
        text = _ESCAPED_CHARACTER.sub(lambda found: chr(int(found.group(1))), text)
        return util.HTML_PLACEHOLDER_RE.sub(lambda found: self._raw_html(int(found.group(1))), text)

    def plain(self, item: CitedItem) -> CitedItem:
        """``item`` with its prefix, locator and suffix as plain text."""
        if util.STX not in item.prefix + item.locator + item.suffix:
            return item  # no placeholder in them: already plain
        return item._replace(
            prefix=self.text(item.prefix), locator=self.text(item.locator), suffix=self.text(item.suffix)
        )

    def after_escaped_bracket(self, data: str, position: int) -> bool:
        """Whether ``data[position]`` follows a backslash-escaped '[' (by now a placeholder)."""
        start = data.rfind(util.STX, 0, position)
        placeholder = util.INLINE_PLACEHOLDER_RE.fullmatch(data, start, position) if start >= 0 else None
        stashed = self.md.treeprocessors["inline"].stashed_nodes  # type: ignore[attr-defined]
        return placeholder is not None and stashed.get(placeholder.group(1)) == _stashed_escape("[")

    def _inline(self, found: re.Match[str]) -> str:
        value = self.md.treeprocessors["inline"].stashed_nodes.get(found.group(1))  # type: ignore[attr-defined]
        if value is None or isinstance(value, str):
            return value or ""
        return html.unescape("".join(value.itertext()))  # a code span's text is stored escaped

    def _raw_html(self, index: int) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        block = blocks[index] if index < len(blocks) else ""
        return block if isinstance(block, str) else "".join(block.itertext())


class BracketCitationProcessor(_CitationBuilder):
    """``[see @a, p. 5; -@b]``: a bracket without nested brackets that holds '@key' or a bare '@'."""

    def __init__(self, extension: CitationsExtension, state: DocumentState, md: Markdown) -> None:
        # Possessive: from a '[' the scan stops at the next bracket and never backtracks,
        # so a paragraph of any length is scanned in linear time.
        super().__init__(r"\[(?P<body>[^\[\]]*+)\]", extension, state, md)

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        """A superscript for a citation (or a marked, reported slip); nothing for other brackets."""
        body = m.group("body")
        item = only_key(body)  # '[@key]' (most citations): taken on a short path if the key is known
        if item is not None and not item.suppress_author:
            key = self.extension.find_key(item.key)
            if key is not None:
                if self.left_to_python_markdown(m, data):
                    return None, None, None
                # As the general path below makes it: one known key, no text to make plain, no slip.
                item = item._replace(key=key) if key != item.key else item
                sup = self.one_source(key)
                self.state.add(sup, PendingCitation((item,), _NO_PROBLEMS, self.snippet(m)))
                return sup, m.start(0), m.end(0)
        if not is_citation_bracket(body) or self.left_to_python_markdown(m, data):
            return None, None, None  # e-mail address, handle or other text in brackets
        parsed = parse_bracket(body)
        problems = list(parsed.problems)
        if parsed.empty_key:
            problems.append("a citation needs a key after '@', as in [@key]")
        if not parsed.items:
            span = etree.Element("span", {"class": "citation-unresolved", "title": "; ".join(problems)})
            span.text = util.AtomicString(self.text(m.group(0)))
            self.state.add(span, PendingCitation((), problems, self.snippet(m)))
            return span, m.start(0), m.end(0)
        resolved, unknown = self.resolve([self.plain(item) for item in parsed.items], problems)
        sup = self.superscript(resolved, unknown)
        self.state.add(sup, PendingCitation(tuple(resolved), problems, self.snippet(m)))
        years = [text for item in resolved if item.suppress_author and (text := self.extension.suppressed_author(item))]
        if not years:
            return sup, m.start(0), m.end(0)  # no year before it: the superscript alone
        return self.with_html_before(html.escape(" ".join(years)), sup), m.start(0), m.end(0)

    @functools.cached_property
    def _link_processor(self) -> LinkInlineProcessor | None:
        """Python-Markdown's "link" processor, looked up at the first citation, when every extension is registered."""
        link = self.md.inlinePatterns["link"] if "link" in self.md.inlinePatterns else None  # noqa: SIM401 (no .get())
        return link if isinstance(link, LinkInlineProcessor) else None

    def left_to_python_markdown(self, m: re.Match[str], data: str) -> bool:
        """Whether Python-Markdown's own inline processors, which run after this one, take these brackets.

        As a link (``[@handle](url)``, ``[@handle][ref]``, or a shortcut
        ``[@handle]`` whose reference is defined), as an image's alt text, or
        inside raw HTML or an autolink (``<span title="[@key]">``).
        """
        start, end = m.span(0)
        link = self._link_processor
        if link is not None and data.startswith("(", end) and link.getLink(data, end)[3]:
            return True
        if self.md.references:
            reference = _REFERENCE_ID.match(data, end)
            names = [m.group("body"), *([reference.group(1) or m.group("body")] if reference else [])]
            if any(_WHITESPACE.sub(" ", name.lower()) in self.md.references for name in names):
                return True
        image = data.rfind("![", 0, start)
        if link is not None and image >= 0:
            _, alt_end, closed = link.getText(data, image + 2)
            if closed and alt_end > start:
                return True
        angle = data.rfind("<", 0, start)
        if angle >= 0:
            raw = raw_html_or_autolink().match(data, angle)
            if raw is not None and raw.end() > start:
                return True
        return False


class AuthorInTextProcessor(_CitationBuilder):
    """``@key`` and ``@key [p. 33]`` in running text: the authors, then the note number.

    An ``@word`` that is no key stays as written, silently (e-mail addresses and
    handles are common in prose), unless a citation was plainly meant: a
    bracket follows it, or it is a close misspelling of a key with a digit in it.
    """

    #: Never inside link text: the superscript links to its note, and links do not nest.
    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, extension: CitationsExtension, state: DocumentState, md: Markdown) -> None:
        # Not after a letter, digit, '@' or '/' (e-mail addresses, URLs); possessive throughout.
        # The '@' comes first and the look-behind after it (the two characters before the key):
        # a pattern starting with a literal lets the regex engine skip to each '@', where one
        # starting with a look-behind is tried at every position of every text node.
        super().__init__(rf"@(?<![\w@/]@){KEY_PATTERN}(?:[ ]?\[(?P<bracket>[^\[\]]*+)\])?", extension, state, md)

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        """The authors and a superscript for a key; a marked, reported slip; nothing for other '@words'."""
        if self.after_escaped_bracket(data, m.start(0)):
            return None, None, None  # '\\[@key]': the editor wrote a bracket and a key as text
        written = m.group("braced") or m.group("key")
        bracket = m.group("bracket")
        key = self.extension.find_key(written)
        if key is None:
            close = self.extension.close_keys(written, _NEAR_KEY) if any(c.isdigit() for c in written) else []
            if bracket is None and not close:
                return None, None, None
            problem = f"'@{written}' is not a citation key; {self.extension.suggest(written)}"
            if bracket is None:
                problem += " (write \\@ for an '@' that is no citation)"
            span = etree.Element(
                "span", {"class": "citation-unresolved", "title": f"Unresolved citation key: {written}"}
            )
            span.text = util.AtomicString(self.text(m.group(0)))
            self.state.add(span, PendingCitation((), [problem], self.snippet(m)))
            return span, m.start(0), m.end(0)
        item = self.plain(parse_suffix(key, bracket or ""))
        sup = self.superscript([item], [])
        self.state.add(sup, PendingCitation((item,), [], self.snippet(m)))
        return self.with_html_before(self.extension.narrative(item), sup), m.start(0), m.end(0)


@functools.cache
def _nothing_to_parse() -> util.AtomicString:
    """A superscript's empty text, marked as nothing for other inline patterns to parse.

    One string for every superscript: one object fewer per citation for the
    garbage collector to follow (thousands on a large site).
    """
    return util.AtomicString("")


@functools.cache
def _stashed_escape(character: str) -> str:
    return f"{util.STX}{ord(character)}{util.ETX}"


@functools.cache
def raw_html_or_autolink() -> re.Pattern[str]:
    """What Python-Markdown's "html", "autolink" and "automail" processors take as it is.

    Compiled on first use: few pages have a '<' before a citation.
    """
    return re.compile(f"{inlinepatterns.HTML_RE}|{inlinepatterns.AUTOLINK_RE}|{inlinepatterns.AUTOMAIL_RE}")
