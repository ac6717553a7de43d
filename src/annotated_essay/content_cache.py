"""The one cache layer: results keyed by digests of everything they are computed from.

Parsing a large ``.bib`` takes a second, formatting a reference with citeproc-py
a millisecond or more; a build that finds them computed before takes
microseconds. Every cached result is found by a digest of its inputs (the
bytes of the ``.bib`` or ``.csl`` file, the code that computes it, the versions
of the libraries it uses), never by a path or a modification time, so a stale
result is never used and ``mkdocs serve`` picks up an edited ``.bib`` or
``.csl`` at once. Results live in this process (a few per kind, for
``mkdocs serve``'s rebuilds) and, given a folder, in files there (for the next
build). A missing, unreadable or foreign file counts as a miss; a failed write
is ignored.

- :func:`cached` keeps one value per digest (the parsed bibliography, text
  derived from it such as the CSL-JSON download);
- :class:`Table` keeps many small values under one digest (the formatted
  references of one style and code), saved once per build.

Every build touches the files it reads, and :func:`prune` deletes those of ours
nobody has used for :data:`UNUSED_FOR`: each edit of the ``.bib`` leaves one behind.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast

T = TypeVar("T")
Folder = str | os.PathLike[str] | None
#: How the names of our cache files start (the folder may be shared with other tools).
OUR_FILES = (
    "bibliography-",
    "references-",
    "references-json-",
    "scholar-references-",
    "reference-list-",
    "citation-scans-",
    "print-view-",
    "print-pages-",
    "word-count-",
    "glossary-mentions-",
    "glossary-table-",
    "csl-style-",
    "glossary-matches-",
    "essay-json-",
    "jinja-",  # template_cache.py: the theme's compiled templates
    "timeline-",  # timeline.py: the data file as read
    "drawn-timeline-",  # timeline.py: the timeline as drawn (XML text)
    "kept-page-",  # zensical_kept_pages.py: whole pages as Zensical converted them
)
#: Seconds after which a cache file nobody has read or written is deleted (30 days).
UNUSED_FOR = 30 * 24 * 3600
#: Results kept in this process per kind: the current one and the one before an edit.
KEPT_PER_KIND = 4

_MEMORY: dict[str, collections.OrderedDict[str, Any]] = {}


def digest(*parts: bytes | str) -> str:
    """A digest of ``parts`` (each delimited, so ("ab", "c") and ("a", "bc") differ)."""
    return _combined(hashlib.sha256(part.encode() if isinstance(part, str) else part).digest() for part in parts)


def _combined(part_digests: Iterable[bytes]) -> str:
    hashed = hashlib.sha256()
    for part_digest in part_digests:
        hashed.update(part_digest)
    return hashed.hexdigest()[:24]


@functools.cache
def source_digest(*modules: ModuleType | str) -> str:
    """A digest of the source of ``modules`` (module objects or file paths), for keys of what they compute.

    The same as ``digest`` of the files' bytes; each file is read once per process,
    however many features name it (the print view names the whole package).
    """
    paths = [module if isinstance(module, str) else module.__file__ or "" for module in modules]
    return _combined(_file_digest(path) for path in paths)


@functools.cache
def package_digest() -> str:
    """:func:`source_digest` of every module of this package, for what depends on more code than one can list.

    The print view's pages and the timeline's drawing read many of the modules.
    """
    return source_digest(*sorted(str(path) for path in Path(__file__).parent.glob("*.py")))


@functools.cache
def _file_digest(path: str) -> bytes:
    # Cached for the process, as source_digest always was: the code that runs is the code imported.
    return hashlib.sha256(Path(path).read_bytes()).digest()


@functools.cache
def versions_digest(*packages: str) -> str:
    """A digest of the installed versions of ``packages``."""
    return digest(*(f"{package}={installed_version(package)}" for package in packages))


def installed_version(package: str) -> str:
    """The version of ``package`` found first on ``sys.path``, as ``importlib.metadata.version`` gives it.

    Read from the name of its ``.dist-info`` folder (``name-version.dist-info``), which
    costs one directory listing per ``sys.path`` entry; ``importlib.metadata`` parses the
    package's METADATA file as e-mail headers, some milliseconds per package at every
    start. Anything else (an egg, a zip) is asked of ``importlib.metadata``.
    """
    version = _dist_info_versions().get(_normalized(package))
    if version is not None:
        return version
    import importlib.metadata

    return importlib.metadata.version(package)


@functools.cache
def _dist_info_versions() -> dict[str, str]:
    """``{normalized name: version}`` of the ``.dist-info`` folders on ``sys.path``, the first of each name."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a missing folder, a zip file
            continue
        for name in sorted(names):
            if not name.endswith(".dist-info"):
                continue
            # The folder's name is "{name}-{version}.dist-info", neither part containing "-".
            distribution, separator, version = name.removesuffix(".dist-info").partition("-")
            if separator and "-" not in version:
                found.setdefault(_normalized(distribution), version)
    return found


def _normalized(name: str) -> str:
    # PEP 503: runs of "-", "_" and "." are one separator, case does not count.
    return re.sub(r"[-_.]+", "-", name).lower()


def remembered(kind: str, key: str) -> Any | None:
    """The value of ``kind`` for ``key`` kept in this process, or ``None``."""
    values = _MEMORY.get(kind)
    if values is None or key not in values:
        return None
    values.move_to_end(key)
    return values[key]


def remember(kind: str, key: str, value: T) -> T:
    """Keep ``value`` in this process (the oldest of its kind beyond :data:`KEPT_PER_KIND` goes)."""
    values = _MEMORY.setdefault(kind, collections.OrderedDict())
    values[key] = value
    values.move_to_end(key)
    while len(values) > KEPT_PER_KIND:
        values.popitem(last=False)
    return value


def cached(
    kind: str,
    key: str,
    compute: Callable[[], T],
    folder: Folder = None,
    *,
    file_format: str = "pickle",
    expect: type = object,
) -> T:
    """``compute()``, or what it returned before for the same ``key``: from this process or ``folder``.

    ``file_format`` is ``"pickle"`` or ``"text"`` (the value is a ``str``); a
    file holding anything but an ``expect`` is a miss. Exceptions of ``compute``
    propagate and nothing is cached.
    """
    path = Path(folder) / f"{kind}-{key}.{'pickle' if file_format == 'pickle' else 'txt'}" if folder else None
    # The folder is part of the key: a result computed without one is still written to one.
    memory_key = f"{key}@{path}"
    found = remembered(kind, memory_key)
    if found is not None:
        return cast(T, found)
    if path is not None:
        try:
            data = read_cache_file(path)
            loaded: Any = pickle.loads(data) if file_format == "pickle" else data.decode("utf-8")
        except Exception:  # missing, truncated or from other code: compute again
            pass
        else:
            if isinstance(loaded, expect):
                return cast(T, remember(kind, memory_key, loaded))
    value = compute()
    if path is not None:
        encoded = (
            pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if file_format == "pickle" else str(value).encode()
        )
        write_quietly(path, encoded)
    return remember(kind, memory_key, value)


def cached_text(
    cache_dir: Folder,
    kind: str,
    key: Iterable[str],
    compute: Callable[[], str],
    *,
    code: Iterable[ModuleType | str] = (),
) -> str:
    """Text derived on every build (the CSL-JSON files, Google Scholar's tags), found by ``key`` and ``code``.

    ``code``: modules or their files (a file named need not be imported).
    """
    return cached(kind, digest(source_digest(*code), *key), compute, cache_dir, file_format="text")


class Table:
    """Many small text values under one digest, in this process and in one JSON file of ``folder``.

    The formatted references of one style: the table's key is a digest of the
    style file and the code, each value's key a digest of one entry. Shared by
    every user of the same key in this process (``mkdocs serve``'s rebuilds).
    """

    def __init__(self, path: Path | None, values: dict[str, str]) -> None:
        self.path = path
        self.values = values
        self.unsaved = False

    @classmethod
    def open(cls, kind: str, key: str, folder: Folder = None) -> Table:
        """The table ``kind`` for ``key`` (read from ``folder`` on first use in this process)."""
        path = Path(folder) / f"{kind}-{key}.json" if folder else None
        memory_key = f"{key}:{path}"
        table = remembered(f"table:{kind}", memory_key)
        if table is None:
            table = remember(f"table:{kind}", memory_key, cls(path, _read_json_table(path)))
        return cast(Table, table)

    def get(self, key: str) -> str | None:
        """The value for ``key``, if any."""
        return self.values.get(key)

    def put(self, items: Iterable[tuple[str, str]]) -> None:
        """Add values (written to the folder by :meth:`save`)."""
        self.values.update(items)
        self.unsaved = True

    def save(self) -> None:
        """Rewrite the file (atomically) if values were added: once per build, not per page."""
        if not self.unsaved or self.path is None:
            return
        self.unsaved = False
        write_quietly(self.path, json.dumps(self.values, ensure_ascii=False).encode())


def save_tables() -> None:
    """Save every table of this process and prune the folders they live in (Zensical, at the end of a build).

    Zensical runs no hook after the last page; the tables, shared in the process,
    are what its pages' extensions added to.
    """
    folders = set()
    for kind, entries in _MEMORY.items():
        if kind.startswith("table:"):
            for table in entries.values():
                table.save()
                if table.path is not None:
                    folders.add(table.path.parent)
    for folder in sorted(folders):
        prune(folder)


def _read_json_table(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        loaded = json.loads(read_cache_file(path).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    valid = isinstance(loaded, dict) and all(isinstance(value, str) for value in loaded.values())
    return loaded if valid else {}


def read_cache_file(path: Path) -> bytes:
    """A cache file's bytes; the file counts as used (see :func:`prune`).

    Raises:
        OSError: The file cannot be read.
    """
    data = path.read_bytes()
    with contextlib.suppress(OSError):  # a read-only checkout: the file stays as old as it is
        os.utime(path)
    return data


def write_quietly(path: Path, data: bytes) -> None:
    """Write a cache file atomically (a build reading it meanwhile sees the old one or none).

    A failure is ignored: a read-only checkout still builds, only without the cache.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass


def prune(cache_dir: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Delete our files in ``cache_dir`` that nobody has used for :data:`UNUSED_FOR`; return them.

    Other files and folders are left alone, as is everything on any error.
    """
    cutoff = (time.time() if now is None else now) - UNUSED_FOR
    deleted: list[Path] = []
    try:
        candidates = list(Path(cache_dir).iterdir())
    except OSError:
        return deleted
    for path in candidates:
        name = path.name.removeprefix(".")  # also what an interrupted write left (".name.pid.tmp")
        if not name.startswith(OUR_FILES):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                deleted.append(path)
        except OSError:
            continue
    return deleted
