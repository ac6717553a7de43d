"""The essay's metadata: what ``extra.essay`` says, and the edition's date.

One block, ``extra.essay`` in ``mkdocs.yml``, describes the essay (title,
subtitle, author, dateline, editors, where its pages live). Everything a reader
who cites or shares the essay sees is derived from it and from the edition's
date: the landing page (``landing_page``), the citation files
(``essay_exports``), the ``<meta>`` tags (``head_tags``) and the print view
(``print_view``). Two dates are kept apart on purpose: when the *essay* was
written (2025, inferred by the editors: the text carries no date) and when
this *edition* last changed (the last commit that touched its content).
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

from .bibliography import Person
from .wording import MONTH_NAMES

#: The editors of the edition when ``extra.essay.editors`` names none: a collective, never invented people.
DEFAULT_EDITORS = ("The editors",)
#: The same as people (literal names), the default of :attr:`EssayMeta.editors`.
_DEFAULT_EDITOR_PEOPLE = tuple(Person(family="", literal=name) for name in DEFAULT_EDITORS)
#: What the edition's content is, relative to ``mkdocs.yml``, when ``extra.essay.content`` is not set:
#: the pages, the bibliography and the data files editors edit (a path that does not exist is ignored).
DEFAULT_CONTENT = ("docs", "bib", "data")

_REQUIRED = ("key", "title", "author")
_KNOWN = frozenset(
    {
        "key",
        "title",
        "subtitle",
        "author",
        "editors",
        "dateline",
        "language",
        "folder",
        "url_path",
        "publisher",
        "written",
        "written_inferred",
        "written_basis",
        "print_page",
        "content",
    }
)


class MetaError(Exception):
    """The ``extra.essay`` block cannot be used; the message says where and what to do."""


class EssayMeta(NamedTuple):
    """What ``extra.essay`` says about the essay, plus the edition's date and address."""

    key: str
    title: str
    author: Person
    edition_date: datetime.date
    subtitle: str = ""
    #: The author's dateline ("Beijing / China"): where the author wrote from, not a place of publication.
    dateline: str = ""
    #: The edition's editors; a literal :class:`Person` for a collective such as "The editors".
    editors: tuple[Person, ...] = _DEFAULT_EDITOR_PEOPLE
    language: str = "en"
    #: Folder (inside ``docs/``) holding the essay's pages, e.g. ``essay/``.
    folder: str = "essay/"
    #: The essay's address below ``site_url``; ``""`` is the landing page.
    url_path: str = ""
    #: Who publishes the edition, written exactly as every export spells it.
    publisher: str = ""
    #: The year the essay was written (a four-digit year; empty when unknown).
    written: str = ""
    #: Whether the editors inferred :attr:`written` (the text states no date).
    written_inferred: bool = False
    #: Why the editors inferred that year, for readers ("it cites sources of 27 February 2025").
    written_basis: str = ""
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
    def editor_names(self) -> list[str]:
        """The editors as a byline writes them."""
        return [editor.literal or " ".join(p for p in (editor.given, editor.family) if p) for editor in self.editors]

    @property
    def full_title(self) -> str:
        """Title and subtitle joined as a reference list writes them."""
        subtitle = self.subtitle.strip().rstrip(".")
        if not subtitle:
            return self.title
        separator = " " if self.title.rstrip()[-1:] in {"?", "!", "."} else ": "
        return f"{self.title.rstrip()}{separator}{subtitle}"

    @property
    def written_label(self) -> str:
        """The year the essay was written, as EDTF and biblatex mark an uncertain date (``2025?``) when inferred.

        Citation styles print it as "ca. 2025"; the files' notes say why.
        """
        if not self.written:
            return ""
        return f"{self.written}?" if self.written_inferred else self.written


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
        MetaError: The block is missing, not a mapping, or lacks or misspells a required field.
    """
    where = f"{source}:{line}"
    if not isinstance(settings, Mapping):
        raise MetaError(
            f"{where}: the essay's metadata needs an 'essay' mapping under 'extra' in mkdocs.yml "
            "with at least key, title and author (see README.md)."
        )
    for name in sorted(set(settings) - _KNOWN):
        hint = " (the author's dateline is 'dateline')" if name == "place" else ""
        warn(f"{where}: extra.essay has an unknown field '{name}'{hint}; use one of {', '.join(sorted(_KNOWN))}.")
    missing = [name for name in _REQUIRED if not settings.get(name)]
    if missing:
        raise MetaError(f"{where}: extra.essay lacks {', '.join(missing)}; add the field(s) in mkdocs.yml.")
    author = settings["author"]
    if not (isinstance(author, Mapping) and author.get("family")):
        raise MetaError(
            f"{where}: extra.essay.author must be a mapping with 'family' and 'given', "
            "as in author: {family: Göktürk, given: Orçun}."
        )
    person = Person(family=str(author["family"]), given=str(author.get("given", "")))
    text_fields = ("key", "title", "subtitle", "dateline", "language", "publisher", "written_basis", "print_page")
    values: dict[str, str] = {name: str(settings[name]) for name in text_fields if settings.get(name) is not None}
    folder = str(settings.get("folder") or "essay/").strip("/")
    url_path = str(settings.get("url_path") or "").lstrip("/")
    url = urljoin(site_url if site_url.endswith("/") else site_url + "/", url_path) if site_url else ""
    written, inferred = _written(settings, where)
    return EssayMeta(
        author=person,
        editors=_editors(settings.get("editors"), where),
        edition_date=edition_date,
        folder=f"{folder}/" if folder else "",
        url_path=url_path,
        url=url,
        written=written,
        written_inferred=inferred,
        **values,
    )


def _written(settings: Mapping[str, object], where: str) -> tuple[str, bool]:
    stated, inferred = settings.get("written"), settings.get("written_inferred")
    if stated is not None and inferred is not None:
        raise MetaError(
            f"{where}: extra.essay has both 'written' and 'written_inferred'; keep 'written' when the text "
            "states the year, 'written_inferred' when the editors inferred it."
        )
    value = stated if stated is not None else inferred
    if value is None:
        return "", False
    year = str(value).strip()
    if not re.fullmatch(r"\d{4}", year):
        name = "written" if stated is not None else "written_inferred"
        raise MetaError(f"{where}: extra.essay.{name} is '{value}'; write a four-digit year such as 2025.")
    return year, inferred is not None


def _editors(value: object, where: str) -> tuple[Person, ...]:
    if value is None:
        return tuple(Person(family="", literal=name) for name in DEFAULT_EDITORS)
    items = [value] if isinstance(value, str | Mapping) else value
    if not isinstance(items, Sequence) or not items:
        raise MetaError(f"{where}: extra.essay.editors must list names, as in editors: [The editors].")
    editors = []
    for item in items:
        if isinstance(item, str) and item.strip():
            editors.append(Person(family="", literal=item.strip()))
        elif isinstance(item, Mapping) and item.get("family"):
            editors.append(Person(family=str(item["family"]), given=str(item.get("given", ""))))
        else:
            raise MetaError(
                f"{where}: extra.essay.editors has an entry '{item}' that is neither a name nor "
                "{family: …, given: …}; write the editors' names (or 'The editors'), never invent people."
            )
    return tuple(editors)


def content_paths(settings: object) -> tuple[str, ...]:
    """What counts as the edition's content for its date (``extra.essay.content``, else :data:`DEFAULT_CONTENT`)."""
    configured = settings.get("content") if isinstance(settings, Mapping) else None
    if isinstance(configured, str):
        return (configured,)
    if isinstance(configured, Sequence) and configured and all(isinstance(path, str) for path in configured):
        return tuple(configured)
    return DEFAULT_CONTENT


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


def edition_date(
    project_dir: str | os.PathLike[str],
    paths: Sequence[str] = DEFAULT_CONTENT,
    environ: Mapping[str, str] | None = None,
) -> tuple[datetime.date, str]:
    """The date of this edition and where it came from, reproducibly.

    ``SOURCE_DATE_EPOCH`` wins (reproducible-builds.org); then the committer
    date of the last git commit that changed the edition's content (``paths``,
    relative to ``project_dir``), so that a commit touching only tests, the
    build or the cache leaves the date alone; only outside git and without the
    variable does the build fall back to today's date (UTC).
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date(), "SOURCE_DATE_EPOCH"
    if not _in_git_repository(Path(project_dir)):
        return datetime.datetime.now(datetime.UTC).date(), "today's date (no git history of the content)"
    try:
        result = subprocess.run(
            ["git", "-C", str(project_dir), "log", "-1", "--format=%cI", "--", *paths],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        result = None
    stamp = result.stdout.strip() if result is not None and result.returncode == 0 else ""
    if stamp:
        # The committer's own calendar date: the day the change was made where it was made.
        return datetime.date.fromisoformat(stamp[:10]), f"the last git commit that changed {', '.join(paths)}"
    return datetime.datetime.now(datetime.UTC).date(), "today's date (no git history of the content)"


def _in_git_repository(project_dir: Path) -> bool:
    """Whether git could find a repository for ``project_dir``; if not, the build spares itself running git.

    A superset of git's own search (``setup_git_directory_gently``): ``GIT_DIR`` or
    ``GIT_WORK_TREE`` set, or a ``.git`` (folder or file) or a bare repository in
    the folder or above it. Ceilings and file-system boundaries only narrow git's
    search, so where this finds nothing git finds nothing either.
    """
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    try:
        folder = project_dir.resolve()
    except OSError:
        return True  # let git say
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return True
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir() and (candidate / "refs").is_dir():
            return True
    return False


def long_date(date: datetime.date) -> str:
    """``28 November 2026``, in English whatever the locale."""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"


__all__ = [
    "DEFAULT_CONTENT",
    "DEFAULT_EDITORS",
    "EssayMeta",
    "MetaError",
    "config_line",
    "content_paths",
    "edition_date",
    "long_date",
    "read_meta",
]
