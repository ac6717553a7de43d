"""The glossary linker: the first mention of each term on a page links to its entry.

One treeprocessor, in document order: each text node is scanned once for every
name of every term page (``term_matching``), the first mention of each entry
becomes a link with the entry's short definition as its tooltip, and the
editors' ``[text](glossary:id)`` and ``[text](glossary:-)`` links are resolved.
Every link is recorded as a :data:`Mention` with the section it is in: the
term pages' "Appears in" lines are made from them.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as etree
from collections.abc import Mapping, Sequence
from typing import Protocol

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .after_index import AfterIndex
from .glossary_link_markup import link_end_tag, link_start_tag, tooltip_text
from .glossary_terms import Glossary, GlossaryEntry
from .records import Record
from .source_lines import SourceLines, location
from .term_matching import NameMatch

#: The link scheme editors use: ``glossary:id`` forces a link, ``glossary:-`` suppresses one.
SCHEME = "glossary:"
SUPPRESS = "-"
#: Classes of elements whose text is never linked automatically.
_SKIP_CLASSES = frozenset(
    {"citation", "citation-unresolved", "glossary-link", "glossary-unresolved", "glossary-index", "no-gloss"}
    | {"glossary-aliases", "glossary-see-also", "glossary-appears", "headerlink", "footnote", "arithmatex"}
)
_SKIP_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "kbd", "samp", "abbr", "script", "style"}
    | {"svg", "math", "button", "textarea", "select", "sup"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: What the linker does at a place of the tree (see ``Linker._collect``); the last two link a text.
_SECTION, _RESOLVE, _TEXT, _TAIL = range(4)


#: A glossary link on a page: the entry's id, the link's anchor, and its section's id and title.
#:
#: A tuple of the built-in type, not a named tuple: a large site keeps thousands
#: of them for the term pages' "Appears in" lines (the scale benchmark 3,720), and
#: CPython stops tracking a built-in tuple of strings at the first collection that
#: sees it, while it walks every named tuple at every collection until the end of
#: the build (the readers unpack it: ``entry_id, anchor, section_id, section_title``).
Mention = tuple[str, str, str, str]


def grouped(strings: Sequence[str]) -> tuple[Mention, ...]:
    """The mentions recorded as strings in a row, four each (see ``DocumentState.mentions``)."""
    quads = iter(strings)
    return tuple(zip(quads, quads, quads, quads, strict=True))


class PageContext(Record):
    """What the linker needs to know about the page being converted."""

    _fields = ("source_name", "line_offset", "link", "term_page", "hrefs", "entry_noun")
    #: The page's name in messages (``essay/opening.md``).
    source_name: str
    #: Lines of the file before the Markdown (front matter).
    line_offset: int
    #: Whether mentions are linked (else only the editors' ``glossary:`` links).
    link: bool
    #: The term page being converted (``glossary.md``), or None for any other page.
    term_page: str | None
    #: URL of each term page from this page; a term page missing here is linked by its name.
    hrefs: Mapping[str, str]
    #: What a term page calls its entries in "Appears in" ("glossary entry Pax Americana").
    entry_noun: str

    def __init__(
        self,
        source_name: str = "<markdown>",
        line_offset: int = 0,
        link: bool = True,
        term_page: str | None = None,
        hrefs: Mapping[str, str] | None = None,
        entry_noun: str = "glossary entry",
    ) -> None:
        self.source_name = source_name
        self.line_offset = line_offset
        self.link = link
        self.term_page = term_page
        self.hrefs = {} if hrefs is None else hrefs
        self.entry_noun = entry_noun

    def href(self, entry: GlossaryEntry) -> str:
        """The link to ``entry`` from this page."""
        if entry.page == self.term_page:
            return f"#{entry.id}"
        return f"{self.hrefs.get(entry.page, entry.page)}#{entry.id}"


class LinkerHost(Protocol):
    """What the linker reads from its extension (the glossary extension)."""

    @property
    def glossary(self) -> Glossary:
        """The term table."""

    @property
    def context(self) -> PageContext:
        """The page being converted."""

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go."""

    #: Whether link tags are held back from the search index (under the MkDocs hook).
    deferred: bool
    after_index: AfterIndex


class DocumentState(SourceLines):
    """Per-conversion state shared by the processors of one ``Markdown`` instance."""

    def __init__(self) -> None:
        super().__init__()
        #: The page's glossary links, in document order: each :data:`Mention`'s four strings in a row
        #: (:func:`grouped` makes the tuples). Not a tuple each: the pages of a build keep their links
        #: (the scale benchmark 3,720), and a tuple the collector has yet to see counts towards its next
        #: collection as much as any object; strings count for nothing.
        self.mentions: list[str] = []

    def reset(self, lines: list[str]) -> None:
        """Start a new conversion of ``lines``."""
        super().reset(lines)
        self.mentions = []


def classes(element: etree.Element) -> set[str]:
    """The element's classes."""
    return set(element.get("class", "").split())


def text_of(element: etree.Element) -> str:
    """The visible text of a heading, without the permalink."""
    parts = [element.text or ""]
    for child in element:
        if "headerlink" not in classes(child):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


class Linker(Treeprocessor):
    """Links the first mention of each term and resolves ``glossary:`` links, in document order."""

    def __init__(self, host: LinkerHost, state: DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.host = host
        self.state = state

    def run(self, root: etree.Element) -> None:
        """Link the mentions in ``root``, in document order."""
        host = self.host
        self.glossary = host.glossary
        self.context = host.context
        self.linked: set[str] = set()
        #: Names found in text that link nothing now: their entry is linked already, or they have none.
        #: Most finds on a page are such repeats; one set lookup passes them by.
        self.passed: set[str] = set()
        self.counts: dict[str, int] = {}
        self.section = ("", "")
        #: Elements to replace by their content, with the nodes to put before and after it.
        self.unwrap: list[tuple[etree.Element, etree.Element, list[etree.Element]]] = []
        auto = (self.context.link or self.context.term_page is not None) and bool(self.glossary.by_key)
        events: list[tuple[int, etree.Element, etree.Element | None, str]] = []
        self._collect(root, auto, events)
        # Every text's finds at once: a page whose texts were all seen before is one lookup (glossary_match_cache).
        # Off a term page a name once linked or passed by is passed by ever after: its first find will do.
        texts = [text for kind, _, _, text in events if kind >= _TEXT]
        finds = iter(self.glossary.matches_in(texts, first=self.context.term_page is None))
        deferred = host.deferred
        for kind, element, child, text in events:
            if kind >= _TEXT:
                found = next(finds)
                if not found:  # most texts: nothing to link
                    continue
                if deferred:  # the links' tags as markers in the text itself: no nodes
                    if kind == _TEXT:
                        element.text = self._mark_text(text, found)
                    else:
                        assert child is not None
                        child.tail = self._mark_text(text, found)
                    continue
                head, links = self._link_text(text, found)
                if kind == _TEXT:
                    element.text = head
                    element[0:0] = links
                elif links:
                    assert child is not None
                    child.tail = head
                    index = list(element).index(child) + 1
                    element[index:index] = links
            elif kind == _SECTION:
                self._enter_section(element)
            else:
                assert child is not None
                self._resolve(element, child)
        for parent, element, around in reversed(self.unwrap):
            _unwrap(parent, element, *around)

    def _collect(
        self, element: etree.Element, auto: bool, events: list[tuple[int, etree.Element, etree.Element | None, str]]
    ) -> None:
        """What :meth:`run` does, in document order: texts to link, sections entered, ``glossary:`` links.

        Collected before anything changes, so that every text's finds can be
        looked up at once. Only the texts of the page are scanned: the text
        after a new link is the rest of a text scanned already (with a link
        ending where it ends, the names found in it are those found in the
        whole text, so scanning it again, as the linker once did for ``<a>``
        elements, found nothing new).
        """
        if auto and element.text and not isinstance(element.text, AtomicString):
            events.append((_TEXT, element, None, element.text))
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in _HEADINGS:
                events.append((_SECTION, child, None, ""))
            if tag == "a" and child.get("href", "").startswith(SCHEME):
                events.append((_RESOLVE, element, child, ""))
            else:
                names = child.get("class")
                inside = auto and tag not in _SKIP_TAGS and (not names or _SKIP_CLASSES.isdisjoint(names.split()))
                self._collect(child, inside, events)
            if auto and child.tail and not isinstance(child.tail, AtomicString):
                events.append((_TAIL, element, child, child.tail))

    def _enter_section(self, heading: etree.Element) -> None:
        self.section = (heading.get("id", ""), text_of(heading))
        entry = self.glossary.by_id.get(heading.get("id", ""))
        if entry is not None and entry.page == self.context.term_page:
            # On a term page each entry is its own scope, and never links to itself.
            self.linked = {entry.id}
            self.passed = set()

    def _link_text(self, text: str, finds: Sequence[NameMatch]) -> tuple[str, list[etree.Element]]:
        """Split ``text`` around the first mentions among ``finds``: the text before the first, and the nodes after."""
        head = text
        nodes: list[etree.Element] = []
        last_end = 0
        linked, passed = self.linked, self.passed
        for start, end, term in finds:
            if term in passed:
                continue
            entry = self.glossary.entry_named(term)
            if entry is None or entry.id in linked:
                passed.add(term)
                continue
            if nodes:
                nodes[-1].tail = text[last_end:start]
            else:
                head = text[:start]
            nodes += self._link(entry, text[start:end])
            last_end = end
        if nodes:
            nodes[-1].tail = text[last_end:]
        return head, nodes

    def _mark_text(self, text: str, finds: Sequence[NameMatch]) -> str:
        """``text`` with the tags of links to the first mentions among ``finds`` held back as markers.

        The search index reads the text as it is; each marker becomes a
        placeholder comment after serializing (``AfterIndex.comments``), so the
        page is written as :meth:`_link`'s comment nodes would be written.
        """
        parts: list[str] = []
        last_end = 0
        linked, passed = self.linked, self.passed
        glossary = self.glossary
        marker = self.host.after_index.marker
        end_tag = ""
        for start, end, term in finds:
            if term in passed:
                continue
            entry = glossary.entry_named(term)
            if entry is None or entry.id in linked:
                passed.add(term)
                continue
            anchor = self._record(entry)
            href = self.context.href(entry)
            start_tag = marker(link_start_tag, href, anchor, entry.short)
            end_tag = end_tag or marker(link_end_tag)  # numbered after the first start tag, as nodes were
            parts += (text[last_end:start], start_tag, text[start:end], end_tag)
            last_end = end
        if not parts:
            return text
        parts.append(text[last_end:])
        return "".join(parts)

    def _link(self, entry: GlossaryEntry, text: str) -> list[etree.Element]:
        """The link to ``entry`` around ``text``: an ``<a>`` element, or its tags held back from search.

        Held back (under the MkDocs hook), the start and end tags are comment
        placeholders and the text lies between them; the URL is already final,
        so MkDocs need not resolve it.
        """
        if not self.host.deferred:
            element = etree.Element("a", self._attributes(entry))
            element.text = text
            return [element]
        start, end = self._tag_comments(entry)
        start.tail = text
        return [start, end]

    def _record(self, entry: GlossaryEntry) -> str:
        """Record the next link to ``entry`` as a mention; return its anchor."""
        count = self.counts.get(entry.id, 0) + 1
        self.counts[entry.id] = count
        anchor = f"glossary-ref-{entry.id}-{count}" if count > 1 else f"glossary-ref-{entry.id}"
        self.linked.add(entry.id)
        self.state.mentions += (entry.id, anchor, *self.section)
        return anchor

    def _attributes(self, entry: GlossaryEntry) -> dict[str, str]:
        """The attributes of the next link to ``entry``, which is recorded as a mention."""
        return {
            "class": "glossary-link",
            "href": self.context.href(entry),
            "id": self._record(entry),
            "title": tooltip_text(entry.short),
        }

    def _tag_comments(self, entry: GlossaryEntry) -> tuple[etree.Element, etree.Element]:
        """Placeholders for the start and end tags of the next link to ``entry``."""
        anchor = self._record(entry)
        start_tag = link_start_tag(self.context.href(entry), anchor, entry.short)
        return self.host.after_index.comment(start_tag), self.host.after_index.comment("</a>")

    def _resolve(self, parent: etree.Element, element: etree.Element) -> None:
        target = element.get("href", "")[len(SCHEME) :]
        if target.strip() == SUPPRESS:
            element.attrib.clear()
            self.unwrap.append((parent, element, []))
            return
        text = "".join(element.itertext())
        entry = self.glossary.find(target) if target.strip() else self.glossary.find(text)
        if entry is None:
            name = target.strip() or text
            line = self.state.line_of(f"({SCHEME}{target})")
            where = location(self.context.source_name, line, self.context.line_offset)
            self.host.logger.warning(
                f"{where}: unknown glossary term '{name}' in the link [{text}]({SCHEME}{target}); "
                f"{self.glossary.suggest(name)}"
            )
            element.tag = "span"
            element.attrib.clear()
            title = tooltip_text(f"Unknown glossary term: {name}")
            element.attrib.update({"class": "glossary-unresolved", "title": title})
            return
        self.state.line_of(f"({SCHEME}{target})")  # keep occurrence counting in step
        if self.host.deferred:
            self.unwrap.append((parent, element, list(self._tag_comments(entry))))
        else:
            element.attrib.clear()
            element.attrib.update(self._attributes(entry))


def _unwrap(
    parent: etree.Element,
    element: etree.Element,
    before: etree.Element | None = None,
    after: etree.Element | None = None,
) -> None:
    """Replace ``element`` by its content inside ``parent``, optionally between the nodes ``before`` and ``after``."""
    index = list(parent).index(element)
    children = list(element)
    if before is not None:
        before.tail, element.text = element.text, None
        children.insert(0, before)
    if after is not None:
        after.tail, element.tail = element.tail, None
        children.append(after)

    def append_text(text: str) -> None:
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + text

    append_text(element.text or "")
    parent.remove(element)
    parent[index:index] = children
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    else:
        append_text(element.tail or "")
