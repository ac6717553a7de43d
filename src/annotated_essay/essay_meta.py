"""The essay's own metadata: landing page, "Cite this essay", citation files, meta tags, print view.

One block, ``extra.essay`` in ``mkdocs.yml``, describes the essay (title,
subtitle, author, place, language, where its pages live). From it and the
edition's date this module derives everything a reader who cites or shares the
essay sees: the landing page's header, the essay's own reference (formatted by
the same CSL machinery as the works cited), BibTeX, RIS and CSL-JSON files,
``citation_*`` and Open Graph tags, and a single print view of the whole essay
assembled from the rendered pages. Nothing here depends on MkDocs objects
except through plain values, so every function can be tested alone.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import math
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from . import bibtex_dates, csl_json, reference_links
from .bibliography import BibEntry, Bibliography, Person
from .citations import PageCitations
from .content_cache import cached_text
from .csl_json import csl_items, to_csl_json
from .editors_notes import without_blocks

#: Marker lines an editor writes on a page, each alone in its paragraph.
HEADER_MARKER = "::: essay-header"
CITE_MARKER = "::: cite-this-essay"
PRINT_MARKER = "::: print-view"
#: What the print marker becomes in Markdown; replaced by the assembled essay in ``on_env``.
PRINT_PLACEHOLDER = '<div class="print-view" data-print-view=""></div>'

#: Where the generated citation files go in the site.
CITE_FILES = {
    "essay.bib": "cite/essay.bib",
    "essay.ris": "cite/essay.ris",
    "essay.json": "cite/essay.json",
    "references.bib": "cite/references.bib",
    "references.json": "cite/references.json",
}
#: Average silent reading speed of non-fiction in English, words per minute
#: (Brysbaert 2019 reports 238; we round down for an annotated text).
WORDS_PER_MINUTE = 230

_REQUIRED = ("key", "title", "author")
_KNOWN = frozenset(
    {
        "key",
        "title",
        "subtitle",
        "author",
        "place",
        "language",
        "folder",
        "url_path",
        "publisher",
        "written_inferred",
        "print_page",
    }
)
_LANGUAGE_NAMES = {"en": "english", "de": "german", "fr": "french", "tr": "turkish", "zh": "chinese"}
_CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
_WORD = re.compile(r"[^\W_](?:[\w’'\-.]*[^\W_])?")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]>()#+!])")


class MetaError(Exception):
    """The ``extra.essay`` block cannot be used; the message says where and what to do."""


@dataclasses.dataclass(frozen=True)
class EssayMeta:
    """What ``extra.essay`` says about the essay, plus the edition's date and address."""

    key: str
    title: str
    author: Person
    edition_date: datetime.date
    subtitle: str = ""
    place: str = ""
    language: str = "en"
    #: Folder (inside ``docs/``) holding the essay's pages, e.g. ``essay/``.
    folder: str = "essay/"
    #: The essay's address below ``site_url``; ``""`` is the landing page.
    url_path: str = ""
    publisher: str = ""
    #: When the essay was written, as inferred by the editors (shown labelled as such).
    written_inferred: str = ""
    #: The page that holds the print view, relative to ``docs/``.
    print_page: str = "print.md"
    #: The essay's full URL; empty when ``site_url`` is not set.
    url: str = ""

    @property
    def author_name(self) -> str:
        """The author as written in a byline: given name first."""
        return " ".join(part for part in (self.author.given, self.author.family) if part)

    @property
    def author_inverted(self) -> str:
        """The author as ``Family, Given`` (BibTeX, RIS, Google Scholar)."""
        return ", ".join(part for part in (self.author.family, self.author.given) if part)

    @property
    def full_title(self) -> str:
        """Title and subtitle joined as a reference list writes them."""
        subtitle = self.subtitle.strip().rstrip(".")
        if not subtitle:
            return self.title
        separator = " " if self.title.rstrip()[-1:] in {"?", "!", "."} else ": "
        return f"{self.title.rstrip()}{separator}{subtitle}"


def read_meta(
    settings: object,
    *,
    source: str,
    line: int,
    edition_date: datetime.date,
    site_url: str | None,
    warn: Callable[[str], None],
) -> EssayMeta:
    """Check the ``extra.essay`` mapping and turn it into :class:`EssayMeta`.

    ``source`` and ``line`` locate the block in messages. Unknown keys are
    reported through ``warn`` (a typo should not pass silently).

    Raises:
        MetaError: The block is missing, not a mapping, or lacks a required field.
    """
    where = f"{source}:{line}"
    if not isinstance(settings, Mapping):
        raise MetaError(
            f"{where}: the hook hooks/essay_meta.py needs an 'essay' mapping under 'extra' in mkdocs.yml "
            "with at least key, title and author (see README.md)."
        )
    for name in sorted(set(settings) - _KNOWN):
        warn(f"{where}: extra.essay has an unknown field '{name}'; use one of {', '.join(sorted(_KNOWN))}.")
    missing = [name for name in _REQUIRED if not settings.get(name)]
    if missing:
        raise MetaError(f"{where}: extra.essay lacks {', '.join(missing)}; add the field(s) in mkdocs.yml.")
    author = settings["author"]
    if isinstance(author, Mapping) and author.get("family"):
        person = Person(family=str(author["family"]), given=str(author.get("given", "")))
    else:
        raise MetaError(
            f"{where}: extra.essay.author must be a mapping with 'family' and 'given', "
            "as in author: {family: Göktürk, given: Orçun}."
        )
    values = {name: str(settings[name]) for name in _KNOWN - {"author"} if settings.get(name) is not None}
    folder = values.get("folder", "essay/").strip("/")
    values["folder"] = f"{folder}/" if folder else ""
    url_path = values.get("url_path", "").lstrip("/")
    values["url_path"] = url_path
    url = urljoin(site_url if site_url.endswith("/") else site_url + "/", url_path) if site_url else ""
    return EssayMeta(author=person, edition_date=edition_date, url=url, **values)


def config_line(config_path: str | None, key: str = "essay") -> int:
    """Line of ``key:`` in ``mkdocs.yml`` (1 when it cannot be found), for messages."""
    if not config_path:
        return 1
    try:
        lines = Path(config_path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    return next((number for number, text in enumerate(lines, start=1) if pattern.match(text)), 1)


def edition_date(project_dir: str, environ: Mapping[str, str] | None = None) -> tuple[datetime.date, str]:
    """The date of this edition and where it came from, reproducibly.

    ``SOURCE_DATE_EPOCH`` wins (reproducible-builds.org); then the date of the
    last git commit of the project; only outside git and without the variable
    does the build fall back to today's date (UTC).
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _utc_date(int(epoch)), "SOURCE_DATE_EPOCH"
    try:
        result = subprocess.run(
            ["git", "-C", project_dir, "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        result = None
    if result is not None and result.returncode == 0 and result.stdout.strip().isdigit():
        return _utc_date(int(result.stdout.strip())), "the last git commit"
    return datetime.datetime.now(datetime.UTC).date(), "today's date (no git history, no SOURCE_DATE_EPOCH)"


def _utc_date(epoch: int) -> datetime.date:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(date: datetime.date) -> str:
    """``28 November 2026``, in English whatever the locale."""
    return f"{date.day} {_MONTH_NAMES[date.month - 1]} {date.year}"


# -- the essay's own reference ----------------------------------------------------------------


def bib_entry(meta: EssayMeta) -> BibEntry:
    """The essay as a bibliography entry, for the CSL formatter and the files."""
    fields = {
        "title": meta.full_title,
        "year": str(meta.edition_date.year),
        "month": str(meta.edition_date.month),
        "day": str(meta.edition_date.day),
        "language": meta.language,
    }
    if meta.publisher:
        fields["organization"] = meta.publisher
    if meta.url:
        fields["url"] = meta.url
    return BibEntry(key=meta.key, entry_type="online", fields=fields, people={"author": (meta.author,)}, line=0)


def essay_csl_json(meta: EssayMeta) -> str:
    """The essay's reference as a CSL-JSON file (a list with one item)."""
    return _json([to_csl_json(bib_entry(meta), meta.key)])


def works_csl(bibliography: Bibliography, cited: Iterable[PageCitations] | None = None) -> list[dict[str, Any]]:
    """Works as CSL-JSON items, ids being the BibTeX keys.

    With ``cited`` (pages in reading order): the works they cite, in order of
    first citation; without it: every entry of the bibliography, in file order.
    """
    if cited is None:
        return list(csl_items(bibliography).values())
    return _works(bibliography, dict.fromkeys(key for page in cited for key in page.cited_keys()))


def _works(bibliography: Bibliography, keys: Iterable[str]) -> list[dict[str, Any]]:
    items = csl_items(bibliography)
    return [items[key] for key in keys if key in items]


def references_csl_json(bibliography: Bibliography, cache_dir: str | None = None) -> str:
    """Every work in the bibliography as a CSL-JSON file (kept in ``cache_dir`` between builds)."""
    return cached_text(
        cache_dir,
        "references-json",
        [bibliography.digest],
        lambda: _json(works_csl(bibliography)),
        code=[sys.modules[__name__], csl_json, bibtex_dates, reference_links],
    )


def cited_references(
    bibliography: Bibliography, cited: Iterable[PageCitations], cache_dir: str | None = None
) -> list[str]:
    """The ``citation_reference`` contents of the works ``cited`` (pages in reading order), in order of first citation.

    Kept in ``cache_dir`` between builds, by the bibliography and the keys cited.
    """
    keys = list(dict.fromkeys(key for page in cited for key in page.cited_keys()))
    text = cached_text(
        cache_dir,
        "scholar-references",
        [bibliography.digest, *keys],
        lambda: json.dumps([scholar_reference(item) for item in _works(bibliography, keys)], ensure_ascii=False),
        code=[sys.modules[__name__], csl_json, bibtex_dates, reference_links],
    )
    return list(json.loads(text))


def _json(items: list[dict[str, Any]]) -> str:
    # One item per line: readable, and each item goes through json's C encoder
    # (``indent`` would switch the whole file to the pure-Python one, slow at 2,000 items).
    return "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n]\n"


def essay_bibtex(meta: EssayMeta) -> str:
    """The essay's reference as a biblatex ``@online`` entry (UTF-8)."""
    date = meta.edition_date
    fields = [
        ("author", _bib_escape(meta.author_inverted)),
        # Double braces keep the capitals of the title as written.
        ("title", "{" + _bib_escape(meta.title) + "}"),
        ("subtitle", _bib_escape(meta.subtitle.strip().rstrip("."))),
        ("organization", _bib_escape(meta.publisher)),
        ("date", date.isoformat()),
        ("year", str(date.year)),
        ("month", str(date.month)),
        ("day", str(date.day)),
        ("langid", _LANGUAGE_NAMES.get(meta.language, meta.language)),
        ("url", meta.url),
    ]
    present = [(name, value) for name, value in fields if value]
    width = max(len(name) for name, _ in present)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in present)
    return f"@online{{{meta.key},\n{body}\n}}\n"


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text).replace("{", r"\{").replace("}", r"\}")


def essay_ris(meta: EssayMeta) -> str:
    """The essay's reference as an RIS record (lines end in CR LF, as the format asks)."""
    date = meta.edition_date
    lines = [
        ("TY", "ELEC"),
        ("AU", meta.author_inverted),
        ("TI", meta.full_title),
        ("PY", str(date.year)),
        ("DA", f"{date:%Y/%m/%d}/"),
        ("PB", meta.publisher),
        ("CY", meta.place),
        ("LA", meta.language),
        ("UR", meta.url),
        ("ID", meta.key),
    ]
    records = [f"{tag}  - {value}" for tag, value in lines if value]
    return "\r\n".join([*records, "ER  - ", ""])


# -- the landing page -------------------------------------------------------------------------


class SourceFile(Protocol):
    """What :func:`essay_words` needs of a file (MkDocs' ``File`` has it)."""

    @property
    def src_uri(self) -> str: ...

    @property
    def content_string(self) -> str: ...


def essay_words(files: Iterable[SourceFile], folder: str) -> int:
    """Words in the Markdown files inside ``folder``, front matter excluded."""
    total = 0
    for file in files:
        if file.src_uri.startswith(folder) and file.src_uri.endswith(".md"):
            body, _ = get_data(file.content_string)
            total += count_words(body)
    return total


def count_words(markdown: str) -> int:
    """Words a reader reads in ``markdown`` (front matter already removed; citations and editors' notes skipped)."""
    text = _CITATION.sub(" ", without_blocks(markdown))
    text = re.sub(r"^\s*\{[^}]*\}\s*$", " ", text, flags=re.MULTILINE)  # attribute lists
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at :data:`WORDS_PER_MINUTE`, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def header_html(meta: EssayMeta, words: int, print_href: str | None = None) -> str:
    """Subtitle, byline and the edition line (title not included), as an HTML block."""
    minutes = reading_minutes(words)
    parts = [
        f'<p class="essay-subtitle">{_e(meta.subtitle)}</p>' if meta.subtitle else "",
        f'<p class="essay-byline">By <span class="essay-author">{_e(meta.author_name)}</span>'
        + (f", {_e(meta.place)}" if meta.place else "")
        + "</p>",
    ]
    details = [
        f'Annotated edition of <time datetime="{meta.edition_date.isoformat()}">'
        f"{_e(long_date(meta.edition_date))}</time>",
    ]
    if meta.written_inferred:
        details.append(f"written in {_e(meta.written_inferred)} (inferred from the sources it cites)")
    details.append(f"{minutes} min read ({words:,} words)")
    if print_href:
        details.append(f'<a href="{_e(print_href)}">print or save as PDF</a>')
    parts.append('<p class="essay-details">' + " · ".join(details) + "</p>")
    return '<div class="essay-header">\n' + "\n".join(part for part in parts if part) + "\n</div>"


def header_markdown(meta: EssayMeta, words: int, print_href: str | None = None) -> str:
    """What ``::: essay-header`` becomes: the title as a Markdown heading, then :func:`header_html`."""
    return f"# {markdown_escape(meta.title)}\n\n{header_html(meta, words, print_href)}\n"


def markdown_escape(text: str) -> str:
    """Backslash-escape Markdown syntax so ``text`` shows as written."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def cite_box_html(meta: EssayMeta, reference_html: str, links: Mapping[str, str]) -> str:
    """The "Cite this essay" box: the APA reference and download links.

    ``links`` maps each name of :data:`CITE_FILES` to its URL relative to the page.
    """

    def download(name: str, label: str, kind: str) -> str:
        filename = posixpath.basename(CITE_FILES[name])
        return f'<a href="{_e(links[name])}" download="{_e(filename)}" type="{kind}">{label}</a>'

    return (
        '<div class="essay-cite">\n'
        f'<p class="essay-cite__reference">{reference_html}</p>\n'
        '<p class="essay-cite__downloads">This essay: '
        + download("essay.bib", "BibTeX", "application/x-bibtex")
        + " · "
        + download("essay.ris", "RIS", "application/x-research-info-systems")
        + " · "
        + download("essay.json", "CSL-JSON", "application/vnd.citationstyles.csl+json")
        + "<br>Works cited: "
        + download("references.bib", "BibTeX", "application/x-bibtex")
        + " · "
        + download("references.json", "CSL-JSON", "application/vnd.citationstyles.csl+json")
        + "</p>\n</div>"
    )


def cite_markdown(meta: EssayMeta, reference_html: str, links: Mapping[str, str]) -> str:
    """What ``::: cite-this-essay`` becomes: a heading and :func:`cite_box_html`."""
    return f"## Cite this essay\n\n{cite_box_html(meta, reference_html, links)}\n"


def replace_marker(markdown: str, marker: str, replacement: str | Callable[[], str]) -> tuple[str, int]:
    """Replace every line consisting of ``marker`` alone; return the text and the count.

    ``replacement`` may be a function, called only when the marker is present.
    """
    if marker not in markdown:  # most pages: no regular expression needed
        return markdown, 0
    pattern = re.compile(rf"^[ ]{{0,3}}{re.escape(marker)}[ \t]*$", re.MULTILINE)
    found = len(pattern.findall(markdown))
    if not found:
        return markdown, 0
    text = replacement() if callable(replacement) else replacement
    return pattern.sub(lambda _: text, markdown), found


# -- meta tags --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MetaTag:
    """One ``<meta>`` element: ``<meta {attribute}="{name}" content="{content}">``."""

    attribute: str
    name: str
    content: str


def scholar_tags(meta: EssayMeta, works_cited: Iterable[str] = ()) -> list[MetaTag]:
    """Google Scholar's ``citation_*`` tags for the essay, with one ``citation_reference`` per work.

    ``works_cited`` are the works' ``citation_reference`` contents (:func:`cited_references`).
    """
    date = f"{meta.edition_date:%Y/%m/%d}"
    tags = [
        MetaTag("name", "citation_title", meta.full_title),
        MetaTag("name", "citation_author", meta.author_inverted),
        MetaTag("name", "citation_publication_date", date),
        MetaTag("name", "citation_online_date", date),
        MetaTag("name", "citation_language", meta.language),
    ]
    if meta.publisher:
        tags.append(MetaTag("name", "citation_publisher", meta.publisher))
    if meta.url:
        tags.append(MetaTag("name", "citation_public_url", meta.url))
    tags.extend(MetaTag("name", "citation_reference", reference) for reference in works_cited)
    return tags


def scholar_reference(item: Mapping[str, Any]) -> str:
    """A CSL-JSON item as the ``key=value; …`` string ``citation_reference`` expects."""
    pairs: list[tuple[str, str]] = []
    if item.get("title"):
        pairs.append(("citation_title", str(item["title"])))
    for person in item.get("author", ()):
        name = person.get("literal") or ", ".join(p for p in (person.get("family"), person.get("given")) if p)
        pairs.append(("citation_author", name))
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        pairs.append(("citation_publication_date", "/".join(f"{part:02d}" for part in issued)))
    if item.get("container-title"):
        name = "citation_journal_title" if item.get("type") == "article-journal" else "citation_publisher"
        pairs.append((name, str(item["container-title"])))
    for csl, scholar in (("volume", "citation_volume"), ("issue", "citation_issue")):
        if item.get(csl):
            pairs.append((scholar, str(item[csl])))
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        pairs.append(("citation_firstpage", first))
        if last:
            pairs.append(("citation_lastpage", last))
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in pairs)


def open_graph_tags(*, title: str, description: str, site_name: str, url: str | None) -> list[MetaTag]:
    """Open Graph tags for one page (``og:url`` only when the page's full URL is known)."""
    tags = [
        MetaTag("property", "og:type", "article"),
        MetaTag("property", "og:title", title),
        MetaTag("property", "og:site_name", site_name),
    ]
    if description:
        tags.insert(2, MetaTag("property", "og:description", description))
    if url:
        tags.append(MetaTag("property", "og:url", url))
    return tags


# -- the print view ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PrintSection:
    """One rendered page to include in the print view."""

    src_uri: str
    url: str
    title: str
    content: str

    @property
    def slug(self) -> str:
        """The section's id in the print view, from its source path: ``essay-opening``."""
        stem = self.src_uri[: -len(".md")] if self.src_uri.endswith(".md") else self.src_uri
        return re.sub(r"[^\w-]+", "-", stem).strip("-").lower() or "section"


_ID_ATTRIBUTES = frozenset({"id", "for"})
_ID_LIST_ATTRIBUTES = frozenset({"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_ATTRIBUTE = re.compile(
    r"(?<=\s)(?P<name>id|for|href|src|aria-labelledby|aria-describedby|aria-controls|aria-owns)"
    r'="(?P<value>[^"]*)"'
)
_HEADING_TAG = re.compile(r"<(/?)h([1-5])(?=[\s>])")


def rebase_section(section: PrintSection, print_url: str, targets: Mapping[str, str]) -> str:
    """``section.content`` with ids prefixed by the section's slug and links made to work on the print page.

    ``targets`` maps the URL of every page in the print view to its slug: a link
    to such a page becomes an in-page link; other relative links are rewritten
    relative to ``print_url``; absolute links stay as they are.
    """
    prefix = section.slug + "-"

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group("name"), html.unescape(match.group("value"))
        if name in _ID_ATTRIBUTES:
            value = prefix + value
        elif name in _ID_LIST_ATTRIBUTES:
            value = " ".join(prefix + part for part in value.split())
        else:
            value = _rebase_url(value, section, print_url, targets)
            if name == "href" and urlsplit(value).scheme in {"http", "https"}:
                # Print CSS shows this address after the link text; links inside the
                # site are left out (Material makes every href absolute at run time).
                return f'href="{html.escape(value)}" data-print-url="{html.escape(value)}"'
        return f'{name}="{html.escape(value)}"'

    return _ATTRIBUTE.sub(attribute, section.content)


def _rebase_url(url: str, section: PrintSection, print_url: str, targets: Mapping[str, str]) -> str:
    if url.startswith("#"):
        return f"#{section.slug}-{url[1:]}" if len(url) > 1 else f"#{section.slug}"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/") or not url:
        return url
    resolved = urlsplit(urljoin("/" + section.url, url))
    path = resolved.path.lstrip("/")
    for candidate in (path, path.removesuffix("index.html")):
        if candidate in targets:
            slug = targets[candidate]
            return f"#{slug}-{resolved.fragment}" if resolved.fragment else f"#{slug}"
    rebased = get_relative_url(path or "./", print_url)
    query = f"?{resolved.query}" if resolved.query else ""
    fragment = f"#{resolved.fragment}" if resolved.fragment else ""
    return f"{rebased}{query}{fragment}"


def demote_headings(content: str) -> str:
    """``h1``–``h5`` become ``h2``–``h6``, so sections nest under the print view's title."""
    return _HEADING_TAG.sub(lambda match: f"<{match.group(1)}h{int(match.group(2)) + 1}", content)


def print_view_html(meta: EssayMeta, sections: Sequence[PrintSection], print_url: str, words: int) -> str:
    """The whole essay on one page: header, contents, then every section in order."""
    targets = {section.url: section.slug for section in sections}
    for section in sections:
        targets.setdefault(section.url + "index.html", section.slug)
    contents = "\n".join(f'<li><a href="#{section.slug}">{_e(section.title)}</a></li>' for section in sections)
    blocks = [
        f'<h1 id="print-title">{_e(meta.title)}</h1>',
        header_html(meta, words),
        f'<p class="print-view__hint">{_e(_print_hint(meta, sections))}</p>',
        f'<nav class="print-view__contents" aria-label="Contents">\n<ol>\n{contents}\n</ol>\n</nav>',
    ]
    for section in sections:
        body = demote_headings(rebase_section(section, print_url, targets))
        heading = "" if "<h1" in section.content else f'<h2 id="{section.slug}-title">{_e(section.title)}</h2>\n'
        blocks.append(
            f'<section class="print-section" id="{section.slug}" data-source="{_e(section.src_uri)}">\n'
            f"{heading}{body}\n</section>"
        )
    return '<div class="print-view">\n' + "\n".join(blocks) + "\n</div>"


def _print_hint(meta: EssayMeta, sections: Sequence[PrintSection]) -> str:
    extra = [section.title for section in sections if not section.src_uri.startswith(meta.folder)]
    after = f", then {' and '.join([', '.join(extra[:-1]), extra[-1]] if len(extra) > 1 else extra)}" if extra else ""
    return (
        f"This page holds the whole essay, every section with its notes{after}. "
        "Use your browser’s print command to print it or save it as PDF."
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


__all__ = [
    "CITE_FILES",
    "CITE_MARKER",
    "HEADER_MARKER",
    "PRINT_MARKER",
    "PRINT_PLACEHOLDER",
    "WORDS_PER_MINUTE",
    "EssayMeta",
    "MetaError",
    "MetaTag",
    "PrintSection",
    "bib_entry",
    "cite_markdown",
    "cited_references",
    "config_line",
    "count_words",
    "demote_headings",
    "edition_date",
    "essay_bibtex",
    "essay_csl_json",
    "essay_ris",
    "essay_words",
    "header_markdown",
    "long_date",
    "open_graph_tags",
    "print_view_html",
    "reading_minutes",
    "rebase_section",
    "references_csl_json",
    "replace_marker",
    "scholar_reference",
    "scholar_tags",
    "works_csl",
]
