"""Glue between the Markdown extensions and Zensical: warnings, failures and ``--strict``.

Zensical 0.0.73 runs Python-Markdown extensions but no hooks, so what MkDocs'
hooks and ``--strict`` do for a build is done from here, installed once per
process the first time an extension sees Zensical's page context
(:func:`annotated_essay.page_context.current_page`):

- Warnings. Zensical configures no Python logging (records reach logging's
  last-resort handler, message only) and its ``--strict`` counts only its own
  link checks (``zensical/main.py``: "abort the build on warnings"). A handler
  on the root logger prints records as Zensical prints its own
  (``WARNING -  message``) and counts warnings and errors from the loggers
  MkDocs would count (``mkdocs.*``, see :mod:`annotated_essay.build_log`) and
  from Python-Markdown's. When ``zensical build`` ends, any such record with
  ``--strict`` (or ``strict: true`` in the configuration) makes it print
  ``Aborted ...``, empty the site folder and exit with status 1, as
  ``mkdocs build --strict`` with the project's site guard does. An error
  record fails the build without ``--strict`` too. ``zensical serve`` only prints.
- Failures. An exception from an extension reaches Zensical's command line as
  ``RuntimeError("Python error: <type>: <message>", newline, traceback)`` (raised by
  its Rust core around ``zensical.markdown.render.render``). An exception hook
  prints ``ERROR -  <message>`` without the traceback when the exception was
  raised in this package (the message names ``file:line`` and the remedy), and
  empties the site folder. Zensical's own ``--strict`` abort (``RuntimeError:
  Aborted because --strict flag is set``, after the issues it listed) is shown
  as that line, also without a traceback.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from annotated_essay import content_cache

#: Loggers whose warnings fail a strict build (MkDocs counts ``mkdocs.*``; extensions may use ``markdown.*``).
COUNTED_LOGGERS = ("mkdocs", "markdown", "annotated_essay")
#: Zensical's prefix for Python errors it passes on (``RuntimeError: Python error: ...``).
PYTHON_ERROR = "Python error: "

_installed: _Wiring | None = None


class _Wiring(logging.Handler):
    """The handler, the exit check and the exception hook of one Zensical process."""

    def __init__(self, site_dir: Path, command: str, strict: bool) -> None:
        super().__init__(logging.WARNING)
        self.site_dir = site_dir
        self.command = command
        self.strict = strict
        self.warnings = 0
        self.errors = 0
        self.previous_hook = sys.excepthook

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in COUNTED_LOGGERS:
            if record.levelno >= logging.ERROR:
                self.errors += 1
            else:
                self.warnings += 1
        print(f"{record.levelname} -  {record.getMessage()}", file=sys.stderr, flush=True)

    def at_exit(self) -> None:
        """Save the cache's tables; fail ``zensical build`` as MkDocs' ``--strict`` would (status 1, empty site)."""
        content_cache.save_tables()  # what the citations' hook does in on_post_build under MkDocs
        if self.command != "build" or not (self.errors or (self.strict and self.warnings)):
            return
        counts = (
            f"{self.warnings} warning(s) and {self.errors} error(s)" if self.errors else f"{self.warnings} warning(s)"
        )
        reason = "in strict mode" if not self.errors else "from the annotated_essay extensions"
        print(f"Aborted with {counts} {reason}.", file=sys.stderr, flush=True)
        discard_site(self.site_dir)
        sys.stdout.flush()
        os._exit(1)  # sys.exit() from an exit handler cannot change the status any more

    def excepthook(self, kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        """Print an extension's own failure as its message, not as a traceback; empty the site folder."""
        text = str(error)
        if isinstance(error, RuntimeError) and text.startswith(PYTHON_ERROR):
            message, _, details = text[len(PYTHON_ERROR) :].partition("\nTraceback")
            last_frame = details.rsplit('File "', 1)[-1]
            if f"{os.sep}annotated_essay{os.sep}" in last_frame:
                _, _, message = message.partition(": ")  # drop the exception's class name
                print(f"ERROR -  {message}", file=sys.stderr, flush=True)
                print("Aborted: the build failed.", file=sys.stderr, flush=True)
                if self.command == "build":
                    discard_site(self.site_dir)
                return
        if self.command == "build":
            discard_site(self.site_dir)
        if isinstance(error, RuntimeError) and text.startswith("Aborted because"):
            # Zensical's own --strict abort after the issues it printed: its message, not a traceback.
            print(text, file=sys.stderr, flush=True)
            return
        self.previous_hook(kind, error, traceback)


def install(config: dict[str, Any], argv: list[str] | None = None) -> None:
    """Set up warnings, strictness and failures for this Zensical process (once; later calls do nothing).

    Args:
        config: Zensical's parsed configuration (``root_dir``, ``site_dir``, ``strict``).
        argv: The command line (default ``sys.argv``), for ``build``/``serve`` and ``--strict``.
    """
    global _installed
    if _installed is not None:
        return
    args = sys.argv if argv is None else argv
    command = next((arg for arg in args[1:] if arg in ("build", "serve")), "")
    strict = bool(config.get("strict")) or any(_is_strict_flag(arg) for arg in args[1:])
    root = Path(str(config.get("root_dir") or "."))
    site_dir = (root / str(config.get("site_dir") or "site")).resolve()
    wiring = _Wiring(site_dir, command, strict)
    logging.getLogger().addHandler(wiring)
    atexit.register(wiring.at_exit)
    sys.excepthook = wiring.excepthook
    _installed = wiring


def discard_site(site_dir: Path) -> None:
    """Empty ``site_dir`` so a failed build never leaves a complete-looking site (as ``hooks/mkdocs_site_guard.py``)."""
    if not site_dir.is_dir() or not any(site_dir.iterdir()):
        return
    for entry in site_dir.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    print(
        f"INFO -  the build failed, so {site_dir} was emptied; fix the errors above and build again.", file=sys.stderr
    )


def _is_strict_flag(arg: str) -> bool:
    # click accepts --strict, -s and combined short flags such as -cs.
    return arg == "--strict" or (arg.startswith("-") and not arg.startswith("--") and "s" in arg[1:] and "f" not in arg)
