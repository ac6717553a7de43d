"""The parsed bibliography, and text derived from it, kept between builds in the project's cache folder.

Parsing a large BibTeX file with bibtexparser takes a second or more (2,000
entries); loading the pickled result takes milliseconds. The cache file's name
is a digest of the file's path and bytes, of the parsing code and of the
versions of the libraries it uses, so a stale result is never used. A missing,
unreadable or foreign cache file counts as a miss; a failed write is ignored.

Every build touches the files it reads, and deletes those of ours nobody has
used for :data:`UNUSED_FOR` (:func:`prune`): each edit of the ``.bib`` leaves a
file behind, and a large bibliography's are megabytes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import os
import pickle
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from . import bibliography as bibliography_module
from .bibliography import Bibliography, load_bibliography

#: The last bibliography loaded through the cache in this process, by path: (digest, result).
_LOADED: dict[str, tuple[str, Bibliography]] = {}
#: How the names of our cache files start (the folder may be shared with other tools).
OUR_FILES = ("bibliography-", "references-", "scholar-references-")
#: Seconds after which a cache file nobody has read or written is deleted (30 days).
UNUSED_FOR = 30 * 24 * 3600


def load_bibliography_cached(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str]) -> Bibliography:
    """As :func:`~annotated_essay.bibliography.load_bibliography`, through ``cache_dir``.

    Raises:
        BibliographyError: The file cannot be used (never cached).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return load_bibliography(path)  # which names the problem
    digest = hashlib.sha256(_code_digest().encode() + str(path).encode() + b"\0" + raw).hexdigest()[:24]
    if str(path) in _LOADED and _LOADED[str(path)][0] == digest:
        return _LOADED[str(path)][1]
    cache_file = Path(cache_dir) / f"bibliography-{digest}.pickle"
    try:
        loaded = pickle.loads(read_cache_file(cache_file))
    except Exception:  # missing, truncated or from other code: parse again
        loaded = None
    if not isinstance(loaded, Bibliography):
        loaded = load_bibliography(path)
        write_quietly(cache_file, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    _LOADED[str(path)] = (digest, loaded)
    return loaded


@functools.cache
def _code_digest() -> str:
    source = Path(bibliography_module.__file__ or "")
    digest = hashlib.sha256(source.read_bytes())
    # The parser's own module, found beside it without importing it (and bibtexparser with it).
    digest.update(source.with_name("bibtex_reading.py").read_bytes())
    for package in ("bibtexparser", "pylatexenc"):
        digest.update(importlib.metadata.version(package).encode())
    return digest.hexdigest()


def cached_text(
    cache_dir: str | os.PathLike[str] | None,
    kind: str,
    key: Iterable[str],
    compute: Callable[[], str],
    *,
    code: Iterable[ModuleType] = (),
) -> str:
    """``compute()``, or what it returned before for the same ``key`` and ``code``.

    For text derived from the whole bibliography on every build (the CSL-JSON
    file, Google Scholar's tags): tens of milliseconds on a large file, a file
    read when found. The file name holds a digest of ``key`` and of the source
    of the ``code`` modules that compute it. Without ``cache_dir``, or on any
    problem with the file, the text is computed.
    """
    if not cache_dir:
        return compute()
    digest = hashlib.sha256()
    for module in code:
        digest.update(_source_digest(module.__file__ or "").encode())
    for part in key:
        digest.update(part.encode() + b"\0")
    path = Path(cache_dir) / f"{kind}-{digest.hexdigest()[:24]}.txt"
    try:
        return read_cache_file(path).decode("utf-8")
    except (OSError, ValueError):
        pass
    text = compute()
    write_quietly(path, text.encode())
    return text


def read_cache_file(path: Path) -> bytes:
    """A cache file's bytes; the file counts as used (see :func:`prune`).

    Raises:
        OSError: The file cannot be read.
    """
    data = path.read_bytes()
    with contextlib.suppress(OSError):  # a read-only checkout: the file stays as old as it is
        os.utime(path)
    return data


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


@functools.cache
def _source_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
