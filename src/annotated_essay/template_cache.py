"""The theme's templates compiled once, not in every build: Jinja's bytecode cache in the project's cache folder.

For MkDocs only (Zensical renders its templates itself); the citations hook wires it.

MkDocs compiles the theme's templates anew in every build: Material's ``main.html``,
``base.html`` and its partials, with ``overrides/``, cost about 80 ms of CPU time
before the first page is written, a fifth of a stock build of the essay. Jinja keeps
compiled templates in a bytecode cache when the environment has one
(``jinja2.FileSystemBytecodeCache``); it checks each against a digest of the
template's source, so an edited template is compiled again. What the compiled code
depends on besides the source (the versions of Jinja, MkDocs, Material and Python,
and the environment's syntax settings and extensions) names the files, so that a
change of any of them starts afresh. The site is the same either way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import content_cache

if TYPE_CHECKING:
    from jinja2.bccache import Bucket

#: The files' names start so (``content_cache.OUR_FILES``: deleted when unused for a month).
PREFIX = "jinja-"

#: Settings of a Jinja environment that shape the code it compiles a template to.
_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def use_bytecode_cache(env: jinja2.Environment, cache_dir: str | None) -> None:
    """Give ``env`` a bytecode cache in ``cache_dir`` (nothing when None, or when it has one already)."""
    if not cache_dir or env.bytecode_cache is not None:
        return
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no folder, no cache: the templates are compiled as without it
    env.bytecode_cache = _QuietCache(cache_dir, f"{PREFIX}{_key(env)}-%s.cache")


def _key(env: jinja2.Environment) -> str:
    chooser = env.autoescape
    # A function decides per template: its name, not its address.
    autoescape = f"{chooser.__module__}.{chooser.__qualname__}" if callable(chooser) else repr(chooser)
    settings = [(name, getattr(env, name, None)) for name in _SYNTAX]
    return content_cache.digest(
        content_cache.versions_digest("jinja2", "mkdocs", "mkdocs-material"),
        sys.version,
        repr(settings),
        autoescape,
        repr(sorted(env.extensions)),
    )


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, but a file that cannot be written is skipped, as the project's other caches do."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            return
