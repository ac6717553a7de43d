"""Reading a term page (``glossary.md``, ``people.md``) into glossary entries.

The page is Markdown, so Python-Markdown parses it: each ``## Term { #id }``
heading (``attr_list`` gives the id) starts an entry, optional ``*Also:*``,
``*Short:*`` and ``*See also:*`` lines right below it describe it, and the
blocks that follow, up to the next ``##`` or ``#`` heading, are its definition.
Fenced code, raw HTML, reference links and footnotes are Python-Markdown's
business (with the site's own extensions when there is a site, so the parse
reads the page as its conversion does), so a ``## line`` inside a fence is code
and a tooltip reads ``[x][ref]`` as the reader does, "x".

Python-Markdown keeps no line numbers, and messages need them: before parsing,
each heading line and each ``*Also:*``-style line gets its number as an
invisible marker (two private-use characters around it) right after its ``##``
or its label, where it changes no syntax; the marker then travels with the
heading's or the line's text into the tree. Only this parse sees the markers:
the page itself is converted from the file as written.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import site_index
from .glossary_terms import META_LABELS, Glossary, GlossaryEntry, GlossaryError, entry_id

_META_LINE = re.compile(r"^(?P<label>[*_](?:also|short|see also):[*_])", re.IGNORECASE)
_META_LABEL = re.compile(r"^(also|short|see also):$", re.IGNORECASE)
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?=[ \t])")
_MARK_START, _MARK_END = "\ue000", "\ue001"
_MARK = re.compile(f"{_MARK_START}([0-9]+){_MARK_END}")
#: A label's place in a meta paragraph's text.
_LABEL = "\ue002"
_CITATION = re.compile(r"\s*\[[^\[\]@]*+@[^\[\]]*+\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\.[A-Z]\.)[”’\"')]*\s+(?=[A-Z“‘\"'(])")
#: Extensions the parse uses on its own: ids, fences, footnotes and the like, as editors may write them.
#: On a site the site's own extensions take their place, so that the parse reads the page as the site does.
DEFAULT_EXTENSIONS = ("attr_list", "fenced_code", "footnotes", "abbr", "tables", "def_list", "md_in_html")
#: Elements whose text is not part of a definition's plain text: footnote numbers.
_NOT_TEXT = frozenset({"sup"})


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the whole text when it has only one)."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def split_front_matter(text: str) -> tuple[str, int]:
    """The Markdown after YAML front matter, and how many lines came before it (as MkDocs splits a page)."""
    markdown, offset, _ = site_index.split_front_matter(text)
    return markdown, offset


def read_entries(
    markdown: str,
    source: str,
    page: str,
    line_offset: int = 0,
    extensions: Sequence[str | Extension] = DEFAULT_EXTENSIONS,
    configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[GlossaryEntry], list[str]]:
    """The entries of one term page's Markdown (front matter removed), and warnings with lines.

    ``source`` names the file in messages, ``page`` is the term page the
    entries belong to, ``line_offset`` the lines before ``markdown`` (front
    matter); ``extensions`` (with their ``configs``) parse it, ``attr_list`` always among them.
    """
    root, stash = _parse(_with_line_marks(markdown, line_offset), extensions, configs or {})
    reader = _EntryReader(source, page, stash, markdown.split("\n"), line_offset)
    for element in root:
        reader.add(element)
    reader.finish()
    return reader.entries, reader.warnings


def build_glossary(
    parts: Sequence[tuple[str, int, str, str]],
    path: str | None = None,
    extensions: Sequence[str | Extension] = DEFAULT_EXTENSIONS,
    configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Glossary:
    """The term table of several term pages: ``(markdown, line offset, source, page)`` each.

    ``markdown`` is a page's text after its front matter, ``line offset`` the
    lines before it, ``source`` its name in messages, ``page`` the term page
    its entries link to.

    Raises:
        GlossaryError: Two entries share an id, a term or an alias, across all the pages.
    """
    entries: list[GlossaryEntry] = []
    warnings: list[str] = []
    for markdown, offset, source, page in parts:
        found, messages = read_entries(markdown, source, page, offset, extensions, configs)
        entries += found
        warnings += messages
        if not found:
            warnings.append(
                f"{source}:{offset + 1}: the term page has no entries; add one as '## Term {{ #id }}' "
                "followed by its definition."
            )
    glossary = Glossary(path=path or (parts[0][2] if parts else "glossary.md"), entries=entries)
    glossary.pages = [page for _, _, _, page in parts]
    glossary.warnings[:0] = warnings
    return glossary


def parse_glossary(text: str, path: str = "glossary.md") -> Glossary:
    """The term table of one glossary file, front matter and all (``path`` names it and its page).

    Raises:
        GlossaryError: Two entries share an id, a term or an alias.
    """
    markdown, offset = split_front_matter(text)
    return build_glossary([(markdown, offset, path, path)], path)


def load_glossary(paths: str | Path | Sequence[str | Path], names: Sequence[str] | None = None) -> Glossary:
    """Read and parse the term pages at ``paths``; ``names`` (default: the paths) name them.

    Raises:
        GlossaryError: A file cannot be read, or entries collide.
    """
    files = [paths] if isinstance(paths, str | Path) else list(paths)
    labels = list(names) if names is not None else [str(path) for path in files]
    parts: list[tuple[str, int, str, str]] = []
    for file, name in zip(files, labels, strict=True):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise GlossaryError(f"{name}: cannot read the glossary: {error}") from None
        markdown, offset = split_front_matter(text)
        parts.append((markdown, offset, name, name))
    return build_glossary(parts)


def _with_line_marks(markdown: str, line_offset: int) -> str:
    """``markdown`` with each heading and label line's number marked after its ``##`` or its label."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        found = _HEADING_LINE.match(line) or _META_LINE.match(line)
        if found:
            mark = f"{_MARK_START}{index + 1 + line_offset}{_MARK_END}"
            lines[index] = line[: found.end()] + mark + line[found.end() :]
    return "\n".join(lines)


class _KeepTree(Treeprocessor):
    """Keeps the finished tree: the parse needs elements, not HTML."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.root: etree.Element | None = None

    def run(self, root: etree.Element) -> None:
        self.root = root


def _parse(
    markdown: str, extensions: Sequence[str | Extension], configs: Mapping[str, Mapping[str, Any]]
) -> tuple[etree.Element, list[str]]:
    """The element tree Python-Markdown builds for ``markdown``, and its stash of raw HTML."""
    names = list(extensions) if "attr_list" in extensions else ["attr_list", *extensions]
    md = Markdown(extensions=names, extension_configs={name: dict(value) for name, value in configs.items()})
    keep = _KeepTree(md)
    # Priority -10: after every other treeprocessor (unescape is 0), so the tree is final.
    md.treeprocessors.register(keep, "glossary_keep_tree", -10)
    md.convert(markdown)
    if keep.root is None:  # blank text: Python-Markdown returns early, without a tree
        return etree.Element("div"), []
    return keep.root, [str(block) for block in md.htmlStash.rawHtmlBlocks]


class _TextOfHtml(HTMLParser):
    """The text a reader sees of a piece of raw HTML (tags dropped, entities read).

    The content of ``<script>``, ``<style>`` and ``<template>`` is never shown on
    the page, so a tooltip must not show it either.
    """

    _UNSEEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.unseen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._UNSEEN:
            self.unseen += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._UNSEEN and self.unseen:
            self.unseen -= 1

    def handle_data(self, data: str) -> None:
        if not self.unseen:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


class _EntryReader:
    """Walks a term page's top-level elements and collects entries."""

    def __init__(self, source: str, page: str, stash: list[str], lines: list[str], line_offset: int) -> None:
        self.source = source
        self.page = page
        self.stash = stash
        #: The page's lines as written, for headings that carry no mark (``Term`` underlined with ``---``).
        self.lines = lines
        self.line_offset = line_offset
        self.entries: list[GlossaryEntry] = []
        self.warnings: list[str] = []
        self.entry: GlossaryEntry | None = None
        self.in_meta = False
        self.blocks: list[str] = []

    def add(self, element: etree.Element) -> None:
        """Take the next top-level element of the page."""
        if element.tag == "h1" or element.tag == "h2":
            self.finish()
            if element.tag == "h2":
                self._start(element)
            return
        if self.entry is None or "footnote" in element.get("class", "").split():
            return
        if self.in_meta and element.tag == "p" and self._read_meta(element):
            return
        self.in_meta = False
        self.blocks.append(self.text(element))

    def finish(self) -> None:
        """Close the current entry: its definition, its default tooltip, an empty definition's warning."""
        entry, self.entry = self.entry, None
        if entry is None:
            return
        entry.definition = "\n\n".join(block for block in self.blocks if block)
        if not entry.definition:
            self.warnings.append(f"{entry.where}: entry '{entry.term}' has no definition; write one below it.")
        if not entry.short:
            entry.short = first_sentence(entry.definition.split("\n\n", 1)[0])
        self.blocks = []

    def _start(self, heading: etree.Element) -> None:
        raw = self._raw_text(heading)
        marks = _MARK.findall(raw)
        line = int(marks[0]) if marks else self._underlined(raw)
        term = _plain(raw)
        if not term:
            self.warnings.append(f"{self.source}:{line}: an entry heading needs a term, as in '## Term {{ #id }}'.")
            return
        given = heading.get("id")
        self.entry = GlossaryEntry(
            term=term,
            id=given or entry_id(term),
            line=line,
            page=self.page,
            source=self.source,
            explicit_id=bool(given),
        )
        self.entries.append(self.entry)
        self.in_meta = True

    def _underlined(self, raw: str) -> int:
        """The line of a heading written as text over ``---`` (no mark): the first such text after the last entry."""
        text = _plain(raw)
        after = self.entries[-1].line - self.line_offset if self.entries else 0
        for index in range(max(after, 0), len(self.lines) - 1):
            if _plain(self.lines[index]) == text and self.lines[index + 1].strip().startswith("-"):
                return index + 1 + self.line_offset
        return after + 1 + self.line_offset

    def _read_meta(self, paragraph: etree.Element) -> bool:
        """Read an ``*Also:*`` / ``*Short:*`` / ``*See also:*`` paragraph; False if it is not one."""
        if (paragraph.text or "").strip() or not len(paragraph) or not self._is_label(paragraph[0]):
            return False
        assert self.entry is not None
        lines = self._raw_text(paragraph, labels=True).split("\n")
        previous_line, previous_label = 0, ""
        for position, line in enumerate(lines):
            if not line.startswith(_LABEL):
                # Text right below the labels: the definition began without a blank line.
                self.warnings.append(
                    f"{self.source}:{previous_line + 1}: add a blank line between the '*{previous_label}:*' "
                    f"line of entry '{self.entry.term}' and its definition."
                )
                self.blocks.append(_plain("\n".join(lines[position:])))
                self.in_meta = False
                return True
            _, label, value = line.split(_LABEL, 2)
            marks = _MARK.findall(value)
            previous_line = int(marks[0]) if marks else previous_line + 1
            previous_label = label.rstrip(":")
            names = [name.strip() for name in _plain(value).split(";") if name.strip()]
            kind = label.rstrip(":").lower()
            if kind == "also":
                self.entry.aliases.extend(names)
            elif kind == "see also":
                self.entry.see_also.extend(names)
                self.entry.see_also_line = previous_line
            else:
                self.entry.short = _plain(value)
        return True

    @staticmethod
    def _is_label(element: etree.Element) -> bool:
        return element.tag in ("em", "i") and bool(_META_LABEL.match((element.text or "").strip()))

    def text(self, element: etree.Element) -> str:
        """The plain text a reader sees in ``element``: no markup, no citations, no footnote numbers."""
        return _plain(self._raw_text(element))

    def _raw_text(self, element: etree.Element, *, labels: bool = False) -> str:
        # Text and raw HTML joined as one piece of HTML, then read once: an inline
        # <script>…</script> is stashed as two tags with plain text between them, and
        # only the whole shows that this text is never seen on the page.
        return _html_text("".join(self._pieces(element, labels=labels, top=True)))

    def _pieces(self, element: etree.Element, *, labels: bool, top: bool = False) -> Iterator[str]:
        if labels and not top and self._is_label(element):
            yield f"{_LABEL}{html.escape((element.text or '').strip(), quote=False)}{_LABEL}"
        elif element.tag not in _NOT_TEXT:
            yield self._as_html(element.text or "")
            for child in element:
                if isinstance(child.tag, str):
                    yield from self._pieces(child, labels=labels)
                yield self._as_html(child.tail or "")

    def _as_html(self, text: str) -> str:
        """``text`` as HTML: its characters escaped, raw HTML placeholders replaced by that HTML."""
        pieces = []
        position = 0
        for match in util.HTML_PLACEHOLDER_RE.finditer(text):
            pieces.append(_escaped(text[position : match.start()]))
            index = int(match.group(1))
            pieces.append(self.stash[index] if index < len(self.stash) else "")
            position = match.end()
        pieces.append(_escaped(text[position:]))
        return "".join(pieces)


def _escaped(text: str) -> str:
    # An entity written in the Markdown ("&amp;") reaches the tree as AMP_SUBSTITUTE + "amp;":
    # put its "&" back after escaping, so the HTML reader decodes it once.
    return html.escape(text, quote=False).replace(util.AMP_SUBSTITUTE, "&")


def _plain(text: str) -> str:
    """Text without line marks and citation brackets, white space collapsed."""
    text = _MARK.sub("", text)
    text = _CITATION.sub("", text)
    return " ".join(text.split())


__all__ = [
    "META_LABELS",
    "build_glossary",
    "first_sentence",
    "load_glossary",
    "parse_glossary",
    "read_entries",
    "split_front_matter",
]
