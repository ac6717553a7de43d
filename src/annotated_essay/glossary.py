"""A cross-linked glossary for Python-Markdown, in the style of ``abbr.py``.

The glossary is a Markdown file: one ``## Term { #id }`` heading per entry,
optional lines ``*Also:*`` (aliases), ``*Short:*`` (tooltip text) and
``*See also:*`` (other entries) right below it, then the definition.
:func:`parse_glossary` reads it into a :class:`Glossary` (the term table),
which must be known before any page is converted.

Phase one runs per page: a treeprocessor links the first mention of each term
(one pass per text node with one combined regular expression), resolves the
editors' ``[text](glossary:id)`` and ``[text](glossary:-)`` links, and records
every link with its section. On the glossary page itself another treeprocessor
sorts the entries, adds the A–Z index and the "See also" links, and leaves an
"Appears in" placeholder per entry. Phase two (:meth:`GlossaryExtension.resolve_glossary_page`)
fills those placeholders; under MkDocs the ``hooks/glossary.py`` hook defers it
to ``on_env`` so that back-links cover the whole site.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import html
import logging
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .after_index import AfterIndex, Defer, immediately
from .source_lines import SourceLines, SourceRecorder, location

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
#: An ampersand that does not start an entity (Python-Markdown's serializer escapes only these).
_BARE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)
_APPEARS_PLACEHOLDER = re.compile(r'<p class="glossary-appears" data-glossary-appears="([^"]+)"></p>\n?')
_META = re.compile(r"^[*_](?P<label>also|short|see also):[*_][ \t]*(?P<value>.*?)[ \t]*$", re.IGNORECASE)
_ENTRY_HEADING = re.compile(r"^##[ \t]+(?P<text>.*?)[ \t]*(?:\{:?(?P<attrs>[^{}]*)\})?[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\.[A-Z]\.)[”’\"')]*\s+(?=[A-Z“‘\"'(])")
#: Chinese, Japanese and Korean characters, first to last: names among them need no spaces around.
_CJK_SPANS = (("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0002fa1f"))
_CJK_RANGES = "".join(f"{first}-{last}" for first, last in _CJK_SPANS)
_CJK = f"[{_CJK_RANGES}]"
#: A letter or digit of a script that separates words with spaces (not CJK).
_SPACED_WORD = rf"[^\W{_CJK_RANGES}]"
_CITATION = re.compile(r"\s*\[[^\[\]]*@[^\[\]]*\]")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")

Warn = Callable[[str], None]


class GlossaryError(Exception):
    """The glossary cannot be used: two entries or aliases collide, or the file is unreadable."""


# Cached: the linker looks up every match, mostly the same few hundred spellings.
@functools.lru_cache(maxsize=4096)
def term_key(text: str) -> str:
    """The form in which terms are compared.

    Case, curly versus straight apostrophes, hyphens versus spaces, runs of
    white space and a possessive ``'s`` inside a phrase do not matter.
    """
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-‐‑]", " ", text)
    text = re.sub(r"'s(?=\s)", "", text)
    return " ".join(text.split())


def sort_key(term: str) -> str:
    """Alphabetical order: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", term)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def index_letter(term: str) -> str:
    """The A–Z index letter of a term ('#' for anything else)."""
    first = sort_key(term)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def plain_text(markdown_text: str) -> str:
    """Markdown reduced to plain text for a tooltip: no citations, link targets or emphasis."""
    text = _CITATION.sub("", markdown_text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"(?<!\\)[*`]|(?<!\w)_+|_+(?!\w)", "", text)
    text = text.replace("\\", "")
    return " ".join(text.split())


def tooltip_text(text: str) -> str:
    """``text`` for a ``title`` attribute that Material's ``content.tooltips`` shows.

    Material puts a title into its tooltip through ``innerHTML``, so a ``<`` in
    a definition would start a tag there (and Python-Markdown keeps entities in
    attributes as they are, so escaping twice does not survive). An invisible
    word joiner after each ``<`` keeps it text: a tag needs a letter, ``/``,
    ``!`` or ``?`` right after the ``<``.
    """
    return text.replace("<", "<\u2060")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the whole text when it has only one)."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


@dataclasses.dataclass
class GlossaryEntry:
    """One glossary entry, as read from the glossary file."""

    term: str
    id: str
    line: int
    aliases: list[str] = dataclasses.field(default_factory=list)
    see_also: list[str] = dataclasses.field(default_factory=list)
    see_also_line: int = 0
    short: str = ""
    definition: str = ""

    @property
    def letter(self) -> str:
        """The entry's letter in the A–Z index."""
        return index_letter(self.term)


@dataclasses.dataclass
class Glossary:
    """The term table: entries, their names and the pattern that finds them in text."""

    path: str
    entries: list[GlossaryEntry]
    warnings: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, GlossaryEntry] = {}
        self.by_key: dict[str, GlossaryEntry] = {}
        named_at: dict[str, tuple[str, GlossaryEntry]] = {}
        for entry in self.entries:
            other = self.by_id.get(entry.id)
            if other is not None:
                raise GlossaryError(
                    f"{self.path}:{entry.line}: entry '{entry.term}' has the id '{entry.id}' of entry "
                    f"'{other.term}' ({self.path}:{other.line}); give one of them another {{ #id }}."
                )
            self.by_id[entry.id] = entry
            for name in [entry.term, *entry.aliases]:
                key = term_key(name)
                if not key:
                    continue
                if key in named_at and named_at[key][1] is not entry:
                    first_name, first = named_at[key]
                    raise GlossaryError(
                        f"{self.path}:{entry.line}: '{name}' of entry '{entry.term}' collides with "
                        f"'{first_name}' of entry '{first.term}' ({self.path}:{first.line}); "
                        "a term or alias may belong to one entry only."
                    )
                named_at[key] = (name, entry)
                self.by_key[key] = entry
        #: Entry by name as found in text: the linker looks up the same few hundred names all the time.
        self._entry_named: dict[str, GlossaryEntry | None] = {}
        for entry in self.entries:
            for name in entry.see_also:
                if self.find(name) is None:
                    self.warnings.append(
                        f"{self.path}:{entry.see_also_line}: 'See also' names an unknown entry '{name}'; "
                        f"{self.suggest(name)}"
                    )

    def find(self, name: str) -> GlossaryEntry | None:
        """The entry with this id, term or alias (possessive or plural allowed)."""
        name = name.strip()
        if name in self.by_id:
            return self.by_id[name]
        if (entry := self.by_key.get(term_key(name))) is not None:
            return entry
        match = self.pattern.fullmatch(name) if self.pattern else None
        return self.by_key.get(term_key(match.group("term"))) if match else None

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """Every mention in ``text`` as :attr:`pattern` finds them, positions counted in ``text``.

        The text is scanned in lowercase by a pattern that starts with a literal
        character, twice as fast as :attr:`pattern`; the ``term`` group is then
        lowercased: look it up with :meth:`entry_named`. The word boundary before
        a name is checked here, not in the pattern: written there once per first
        character, its class of CJK characters took 15 ms to compile every build.
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # after 'İ', say: positions would shift
            yield from self.pattern.finditer(text) if self.pattern is not None else ()
            return
        pattern = self._lowercase_pattern
        if pattern is None:
            return
        position = 0
        while (match := pattern.search(lowered, position)) is not None:
            start = match.start()
            if start and _inside_word(lowered[start - 1], lowered[start]):
                position = start + 1  # a later, shorter name may still start inside this match
                continue
            yield match
            position = match.end()

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One case-insensitive pattern for every name (``None`` without entries): finds ``find``'s names."""
        return _compile(self.by_key)

    @functools.cached_property
    def _lowercase_pattern(self) -> re.Pattern[str] | None:
        return _compile(self.by_key, lowercase=True)

    def entry_named(self, written: str) -> GlossaryEntry | None:
        """The entry a name found in text refers to (possessive and plural endings excluded)."""
        try:
            return self._entry_named[written]
        except KeyError:
            entry = self._entry_named[written] = self.by_key.get(term_key(written))
            return entry

    def suggest(self, name: str) -> str:
        """'did you mean …?' with up to three closest ids, or a hint."""
        candidates = {entry.id: entry.id for entry in self.entries}
        for key, entry in self.by_key.items():
            candidates.setdefault(key, entry.id)
        closest = difflib.get_close_matches(term_key(name) or name, list(candidates), n=6, cutoff=0.5)
        ids = list(dict.fromkeys(candidates[match] for match in closest))[:3]
        if ids:
            return "did you mean " + ", ".join(f"'{entry_id}'" for entry_id in ids) + "?"
        return f"add an entry for it to {self.path}."

    def sorted_entries(self) -> list[GlossaryEntry]:
        """Entries in alphabetical order of their terms."""
        return sorted(self.entries, key=lambda entry: sort_key(entry.term))


def _inside_word(before: str, first: str) -> bool:
    """Whether a name starting with ``first`` after ``before`` starts inside a word (CJK has no spaces)."""
    return (before.isalnum() or before == "_") and not _is_cjk(before) and not _is_cjk(first)


def _is_cjk(char: str) -> bool:
    """Whether ``char`` is in :data:`_CJK_SPANS` (compared, not matched: the class takes 1 ms to compile)."""
    return any(first <= char <= last for first, last in _CJK_SPANS)


def _compile(by_key: Mapping[str, GlossaryEntry], *, lowercase: bool = False) -> re.Pattern[str] | None:
    """One pattern for all names: a trie, so that each position costs one walk, longest first.

    A name may be followed by a possessive or plural ending; the named group
    ``term`` holds the name as written in the text. With ``lowercase`` the
    pattern is for lowercased text, and the boundary before a name is left to
    :meth:`Glossary.matches`.
    """
    if not by_key:
        return None
    trie: dict[str, Any] = {}
    for key in by_key:
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


def parse_glossary(text: str, path: str = "glossary.md") -> Glossary:
    """Read the glossary file into a term table.

    Problems an editor can fix while the rest works (an empty definition, an
    unknown "See also" name, a missing blank line) are listed in ``warnings``.

    Raises:
        GlossaryError: Two entries share an id, a term or an alias.
    """
    lines = text.splitlines()
    entries: list[GlossaryEntry] = []
    warnings: list[str] = []
    start = 0
    if lines and lines[0].strip() == "---":
        for number in range(1, len(lines)):
            if lines[number].strip() in ("---", "..."):
                start = number + 1
                break
    fence = ""
    entry: GlossaryEntry | None = None
    in_meta = False
    definition: list[str] = []

    def finish() -> None:
        if entry is None:
            return
        entry.definition = "\n".join(definition).strip()
        if not entry.definition:
            warnings.append(f"{path}:{entry.line}: entry '{entry.term}' has no definition; write one below it.")
        if not entry.short:
            entry.short = first_sentence(plain_text(entry.definition))

    for number in range(start, len(lines)):
        line = lines[number]
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            if entry is not None:
                definition.append(line)
            continue
        if match := _FENCE.match(line):
            fence = match.group("fence")
            in_meta = False
            if entry is not None:
                definition.append(line)
            continue
        if line.startswith("#") and (line.startswith("# ") or line.startswith("## ")):
            finish()
            entry = None
            definition = []
            heading = _ENTRY_HEADING.match(line) if line.startswith("## ") else None
            if heading is None:
                continue
            term = plain_text(heading.group("text").rstrip("#"))
            attrs = heading.group("attrs") or ""
            if not term:
                warnings.append(f"{path}:{number + 1}: an entry heading needs a term, as in '## Term {{ #id }}'.")
                continue
            id_match = re.search(r"(?:^|\s)#([^\s#.]+)", attrs)
            entry = GlossaryEntry(term=term, id=id_match.group(1) if id_match else slugify(term, "-"), line=number + 1)
            entries.append(entry)
            in_meta = True
            continue
        if entry is None:
            continue
        if in_meta:
            if not line.strip():
                continue
            if meta := _META.match(line.strip()):
                label, value = meta.group("label").lower(), meta.group("value")
                names = [name.strip() for name in value.split(";") if name.strip()]
                if label == "also":
                    entry.aliases.extend(names)
                elif label == "see also":
                    entry.see_also.extend(names)
                    entry.see_also_line = number + 1
                else:
                    entry.short = plain_text(value)
                if number + 1 < len(lines) and lines[number + 1].strip() and not _META.match(lines[number + 1].strip()):
                    warnings.append(
                        f"{path}:{number + 2}: leave a blank line between the '*{meta.group('label')}:*' line "
                        f"of entry '{entry.term}' and its definition."
                    )
                continue
            in_meta = False
        definition.append(line)
    finish()
    glossary = Glossary(path=path, entries=entries)
    glossary.warnings[:0] = warnings
    return glossary


def load_glossary(path: str | Path, name: str | None = None) -> Glossary:
    """Read and parse the glossary file at ``path``; ``name`` is used in messages.

    Raises:
        GlossaryError: The file cannot be read, or entries collide.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{name or path}: cannot read the glossary: {error}") from None
    return parse_glossary(text, name or str(path))


@dataclasses.dataclass(frozen=True)
class Mention:
    """A glossary link on a page: the entry, the link's anchor and its section."""

    entry_id: str
    anchor: str
    section_id: str
    section_title: str


@dataclasses.dataclass(frozen=True)
class BackLink:
    """Where an entry is mentioned: the URL of the link and a label for it."""

    href: str
    label: str
    #: A mention in another entry's definition on the glossary page itself.
    in_glossary: bool = False


class GlossaryExtension(Extension):
    """Python-Markdown extension that links glossary terms and renders the glossary page."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "glossary": ["glossary.md", "The glossary file (under MkDocs: its path inside docs_dir)."],
            "link_pages": [["*"], "Pages (glob patterns) whose mentions are linked (MkDocs only)."],
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": ["", "Logger for warnings (default: 'markdown.glossary')."],
        }
        super().__init__(**kwargs)
        #: Set by the MkDocs hook: resolve back-links across pages in ``on_env``.
        self.deferred = False
        self.source_name = "<markdown>"
        self.line_offset = 0
        #: Where links point from the current page (the glossary file, relative to it).
        self.href = Path(self.getConfig("glossary")).name
        #: Whether to link terms on the current page / whether it is the glossary page.
        self.link = True
        self.is_glossary_page = False
        #: Phase-one results per page (deferred mode).
        self.pages: dict[str, list[Mention]] = {}
        #: "Appears in" lines and link tags, held back from the search index in deferred mode.
        self.after_index = AfterIndex("glossary")
        self._glossary: Glossary | None = None

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go; under MkDocs an ``mkdocs.*`` logger, so ``--strict`` counts them."""
        configured = self.getConfig("logger")
        return configured if configured else logging.getLogger("markdown.glossary")

    @property
    def glossary(self) -> Glossary:
        """The term table (read from the configured file on first use).

        Raises:
            GlossaryError: The file cannot be read or entries collide.
        """
        if self._glossary is None:
            self.use_glossary(load_glossary(self.getConfig("glossary")))
        assert self._glossary is not None
        return self._glossary

    def use_glossary(self, glossary: Glossary) -> None:
        """Use this term table for the next pages and report its warnings."""
        self._glossary = glossary
        self.pages = {}
        self.after_index.reset()
        for warning in glossary.warnings:
            self.logger.warning(warning)

    def set_page(
        self, source_name: str, line_offset: int = 0, *, href: str, link: bool, is_glossary_page: bool
    ) -> None:
        """Describe the page about to be converted.

        ``href`` is the link to the glossary page from this page, written into
        the links as it is; ``link`` whether mentions are linked on it.
        """
        self.source_name = source_name
        self.line_offset = line_offset
        self.href = href
        self.link = link
        self.is_glossary_page = is_glossary_page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the processors on ``md``."""
        md.registerExtension(self)
        state = _DocumentState()
        # Priority 39: before every built-in preprocessor, to see lines as written (citations use 40).
        md.preprocessors.register(SourceRecorder(md, state), "glossary_source", 39)
        # Priority 6: after inline (20) and attr_list (8), so entry headings carry their
        # ids; before toc (5), so the table of contents shows the sorted entries.
        md.treeprocessors.register(_GlossaryPageProcessor(self, md), "glossary_page", 6)
        # Priority 4: after toc (5), so headings have ids for back-links. Under the MkDocs
        # hook the links are comment placeholders with final URLs, which MkDocs' relpath (0)
        # then neither resolves nor checks: our ids are the glossary headings' own.
        md.treeprocessors.register(_Linker(self, state, md), "glossary_links", 4)
        # Priority 4: after raw HTML was put back (30), so phase two sees final HTML.
        md.postprocessors.register(_GlossaryFinisher(self, state, md), "glossary_finish", 4)

    # -- phase two --------------------------------------------------------------------------

    def warn_unmentioned(self, mentions: Iterable[Mention]) -> None:
        """Warn about entries that no page mentions."""
        mentioned = {mention.entry_id for mention in mentions}
        for entry in self.glossary.entries:
            if entry.id not in mentioned:
                self.logger.warning(
                    f"{self.glossary.path}:{entry.line}: entry '{entry.term}' is never mentioned on a "
                    f"linked page; add an alias matching the text's wording, link it with "
                    f"[text]({SCHEME}{entry.id}), or delete the entry."
                )

    def resolve_glossary_page(
        self, content: str, back_links: Mapping[str, Sequence[BackLink]], defer: Defer = immediately
    ) -> str:
        """Fill each entry's "Appears in" placeholder (removed when nothing links to it).

        ``defer`` is applied to each "Appears in" line: markup the search index
        should not read (see ``after_index``).
        """

        def render(match: re.Match[str]) -> str:
            links = back_links.get(html.unescape(match.group(1)), ())
            if not links:
                return ""
            parts = ["; ".join(_link_html(link) for link in links if not link.in_glossary)]
            in_glossary = [_link_html(link) for link in links if link.in_glossary]
            if in_glossary:
                parts.append(
                    ("glossary entries " if len(in_glossary) > 1 else "glossary entry ") + ", ".join(in_glossary)
                )
            items = "; ".join(part for part in parts if part)
            return defer(f'<p class="glossary-appears" data-search-exclude><em>Appears in:</em> {items}</p>\n')

        return _APPEARS_PLACEHOLDER.sub(render, content)


def _link_html(link: BackLink) -> str:
    return f'<a href="{html.escape(link.href)}">{html.escape(link.label, quote=False)}</a>'


def back_link_labels(page_title: str, mentions: Sequence[Mention]) -> list[str]:
    """Labels for a page's mentions of one entry: 'Page' or 'Page › Section', numbered if repeated."""
    labels: list[str] = []
    for mention in mentions:
        label = page_title
        if mention.section_title and mention.section_title != page_title:
            label = f"{page_title} › {mention.section_title}"
        repeat = labels.count(label) + sum(1 for other in labels if other.startswith(label + " ("))
        labels.append(f"{label} ({repeat + 1})" if repeat else label)
    return labels


@dataclasses.dataclass
class _DocumentState(SourceLines):
    """Per-conversion state shared by the processors of one ``Markdown`` instance."""

    mentions: list[Mention] = dataclasses.field(default_factory=list)

    def reset(self, lines: list[str]) -> None:
        """Start a new conversion of ``lines``."""
        super().reset(lines)
        self.mentions = []


def _classes(element: etree.Element) -> set[str]:
    return set(element.get("class", "").split())


def _text_of(element: etree.Element) -> str:
    """The visible text of a heading, without the permalink."""
    parts = [element.text or ""]
    for child in element:
        if "headerlink" not in _classes(child):
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


class _GlossaryPageProcessor(Treeprocessor):
    """On the glossary page: sort entries, add the A–Z index, "See also" and placeholders."""

    def __init__(self, extension: GlossaryExtension, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        if not self.extension.is_glossary_page:
            return
        glossary = self.extension.glossary
        children = list(root)
        intro: list[etree.Element] = []
        groups: list[tuple[GlossaryEntry, list[etree.Element]]] = []
        for child in children:
            if child.tag == "h2":
                entry = glossary.by_key.get(term_key(_text_of(child)))
                if entry is not None:
                    child.set("id", entry.id)
                    groups.append((entry, [child]))
                    continue
            if child.tag == "h1" and groups:
                groups.append((GlossaryEntry(term="", id="", line=0), [child]))  # ends the entry above
            elif groups:
                groups[-1][1].append(child)
            else:
                intro.append(child)
        if not any(entry.id for entry, _ in groups):
            return
        for child in children:
            root.remove(child)
        root.extend(intro)
        trailing = [group for group in groups if not group[0].id]
        entries = sorted((group for group in groups if group[0].id), key=lambda group: sort_key(group[0].term))
        root.append(self._index([entry for entry, _ in entries]))
        for entry, elements in entries:
            root.extend(self._entry(entry, elements))
        for _, elements in trailing:
            root.extend(elements)

    @staticmethod
    def _index(entries: Sequence[GlossaryEntry]) -> etree.Element:
        nav = etree.Element(
            "nav",
            # Material's search leaves out elements marked data-search-exclude (and drops the mark).
            {"class": "glossary-index", "aria-label": "Glossary entries by letter", "data-search-exclude": "true"},
        )
        nav.text = nav.tail = "\n"
        first: dict[str, GlossaryEntry] = {}
        for entry in entries:
            first.setdefault(entry.letter, entry)
        letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
        if "#" in first:
            letters.insert(0, "#")
        for letter in letters:
            if letter in first:
                item = etree.SubElement(nav, "a", {"href": f"#{first[letter].id}"})
            else:
                item = etree.SubElement(nav, "span", {"class": "glossary-index-empty", "aria-hidden": "true"})
            item.text = letter
            item.tail = "\n"
        return nav

    def _entry(self, entry: GlossaryEntry, elements: list[etree.Element]) -> list[etree.Element]:
        heading, body = elements[0], elements[1:]
        # The *Also:*, *Short:* and *See also:* paragraphs come first; they are rebuilt here.
        while body and body[0].tag == "p" and not (body[0].text or "").strip() and len(body[0]):
            label = body[0][0]
            if label.tag not in ("em", "i") or not _META.match(f"*{label.text or ''}*"):
                break
            body.pop(0)
        result = [heading]
        if entry.aliases:
            also = etree.Element("p", {"class": "glossary-aliases"})
            etree.SubElement(also, "em").text = "Also:"
            also[0].tail = " " + "; ".join(entry.aliases)
            also.tail = "\n"
            result.append(also)
        result.extend(body)
        targets = [found for name in entry.see_also if (found := self.extension.glossary.find(name)) is not None]
        if targets:
            see_also = etree.Element("p", {"class": "glossary-see-also"})
            etree.SubElement(see_also, "em").text = "See also:"
            see_also[0].tail = " "
            for position, target in enumerate(targets):
                link = etree.SubElement(see_also, "a", {"href": f"#{target.id}"})
                link.text = target.term
                link.tail = "; " if position < len(targets) - 1 else ""
            see_also.tail = "\n"
            result.append(see_also)
        appears = etree.Element("p", {"class": "glossary-appears", "data-glossary-appears": entry.id})
        appears.tail = "\n"
        result.append(appears)
        return result


class _Linker(Treeprocessor):
    """Links the first mention of each term and resolves ``glossary:`` links, in document order."""

    def __init__(self, extension: GlossaryExtension, state: _DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, root: etree.Element) -> None:
        extension = self.extension
        self.glossary = extension.glossary
        self.linked: set[str] = set()
        self.counts: dict[str, int] = {}
        self.section = ("", "")
        #: Elements to replace by their content, with the nodes to put before and after it.
        self.unwrap: list[tuple[etree.Element, etree.Element, list[etree.Element]]] = []
        auto = (extension.link or extension.is_glossary_page) and bool(self.glossary.by_key)
        self._walk(root, auto)
        for parent, element, around in reversed(self.unwrap):
            _unwrap(parent, element, *around)

    def _walk(self, element: etree.Element, auto: bool) -> None:
        if auto and element.text and not isinstance(element.text, AtomicString):
            element.text, links = self._link_text(element.text)
            element[0:0] = links
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            if child.tag in _HEADINGS:
                self._enter_section(child)
            if child.tag == "a" and child.get("href", "").startswith(SCHEME):
                self._resolve(element, child)
            else:
                self._walk(child, auto and child.tag not in _SKIP_TAGS and not _classes(child) & _SKIP_CLASSES)
            if auto and child.tail and not isinstance(child.tail, AtomicString):
                child.tail, links = self._link_text(child.tail)
                if links:
                    index = list(element).index(child) + 1
                    element[index:index] = links

    def _enter_section(self, heading: etree.Element) -> None:
        self.section = (heading.get("id", ""), _text_of(heading))
        if self.extension.is_glossary_page and heading.get("id", "") in self.glossary.by_id:
            # On the glossary page each entry is its own scope, and never links to itself.
            self.linked = {heading.get("id", "")}

    def _link_text(self, text: str) -> tuple[str, list[etree.Element]]:
        """Split ``text`` around first mentions: the text before the first, and the nodes to follow it."""
        head = text
        nodes: list[etree.Element] = []
        last_end = 0
        linked = self.linked
        for match in self.glossary.matches(text):
            entry = self.glossary.entry_named(match.group("term"))
            if entry is None or entry.id in linked:
                continue
            start, end = match.span()
            if nodes:
                nodes[-1].tail = text[last_end:start]
            else:
                head = text[:start]
            nodes += self._link(entry, text[start:end])
            last_end = end
        if nodes:
            nodes[-1].tail = text[last_end:]
        return head, nodes

    def _link(self, entry: GlossaryEntry, text: str) -> list[etree.Element]:
        """The link to ``entry`` around ``text``: an ``<a>`` element, or its tags held back from search.

        Held back (under the MkDocs hook), the start and end tags are comment
        placeholders and the text lies between them; the URL is already final,
        so MkDocs need not resolve it.
        """
        if not self.extension.deferred:
            element = etree.Element("a", self._attributes(entry))
            element.text = text
            return [element]
        start, end = self._tag_comments(entry)
        start.tail = text
        return [start, end]

    def _attributes(self, entry: GlossaryEntry) -> dict[str, str]:
        """The attributes of the next link to ``entry``, which is recorded as a mention."""
        count = self.counts.get(entry.id, 0) + 1
        self.counts[entry.id] = count
        anchor = f"glossary-ref-{entry.id}" + (f"-{count}" if count > 1 else "")
        href = f"#{entry.id}" if self.extension.is_glossary_page else f"{self.extension.href}#{entry.id}"
        self.linked.add(entry.id)
        self.state.mentions.append(Mention(entry.id, anchor, *self.section))
        return {"class": "glossary-link", "href": href, "id": anchor, "title": tooltip_text(entry.short)}

    def _tag_comments(self, entry: GlossaryEntry) -> tuple[etree.Element, etree.Element]:
        """Placeholders for the start and end tags of the next link to ``entry``."""
        attributes = self._attributes(entry)
        # As Python-Markdown's serializer writes the element: attributes in lexical order.
        start_tag = (
            f'<a class="glossary-link" href="{_attribute_value(attributes["href"])}" '
            f'id="{_attribute_value(attributes["id"])}" title="{_title_attribute(entry.short)}">'
        )
        return self.extension.after_index.comment(start_tag), self.extension.after_index.comment("</a>")

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
            where = location(self.extension.source_name, line, self.extension.line_offset)
            self.extension.logger.warning(
                f"{where}: unknown glossary term '{name}' in the link [{text}]({SCHEME}{target}); "
                f"{self.glossary.suggest(name)}"
            )
            element.tag = "span"
            element.attrib.clear()
            title = tooltip_text(f"Unknown glossary term: {name}")
            element.attrib.update({"class": "glossary-unresolved", "title": title})
            return
        self.state.line_of(f"({SCHEME}{target})")  # keep occurrence counting in step
        if self.extension.deferred:
            self.unwrap.append((parent, element, list(self._tag_comments(entry))))
        else:
            element.attrib.clear()
            element.attrib.update(self._attributes(entry))


def _attribute_value(value: str) -> str:
    """``value`` escaped as Python-Markdown's serializer escapes attribute values (entities kept)."""
    if "&" in value:
        value = _BARE_AMPERSAND.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@functools.lru_cache(maxsize=4096)
def _title_attribute(short: str) -> str:
    """A short definition as a link's escaped ``title``: the same few hundred on every page."""
    return _attribute_value(tooltip_text(short))


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


class _GlossaryFinisher(Postprocessor):
    def __init__(self, extension: GlossaryExtension, state: _DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, text: str) -> str:
        if self.extension.deferred:
            self.extension.pages[self.extension.source_name] = list(self.state.mentions)
            return text
        if not self.extension.is_glossary_page:
            return text
        back_links: dict[str, list[BackLink]] = {}
        for mention in self.state.mentions:
            label = mention.section_title or "this page"
            back_links.setdefault(mention.entry_id, []).append(BackLink(f"#{mention.anchor}", label, True))
        return self.extension.resolve_glossary_page(text, back_links)


def makeExtension(**kwargs: Any) -> GlossaryExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["annotated_essay.glossary"])``."""
    return GlossaryExtension(**kwargs)


__all__ = [
    "SCHEME",
    "SUPPRESS",
    "BackLink",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "GlossaryExtension",
    "Mention",
    "back_link_labels",
    "load_glossary",
    "makeExtension",
    "parse_glossary",
    "term_key",
]
