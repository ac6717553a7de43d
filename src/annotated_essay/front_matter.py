"""A page's YAML front matter split from its Markdown, as MkDocs does, with the lines it took (for messages)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["split_front_matter"]

#: MkDocs' front matter pattern (``mkdocs.utils.meta.YAML_RE``).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
#: MkDocs' loader for front matter (``mkdocs.utils.meta``): libyaml's when PyYAML has it.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[str, int, Mapping[str, Any]]:
    """``(markdown, lines before it, front matter)``, as MkDocs' ``meta.get_data`` splits a page.

    Only YAML front matter between ``---`` lines is recognised (MkDocs also reads
    MultiMarkdown ``key: value`` headers; this project's pages use YAML).
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, 0, {}
    try:
        data = yaml.load(match.group(1), Loader=_LOADER)
    except Exception:  # as MkDocs' get_data: any failure (a bad date too) means no front matter
        return text, 0, {}
    if not isinstance(data, dict):
        return text, 0, {}
    rest = text[match.end() :]
    markdown = rest.lstrip("\n")
    return markdown, text[: len(text) - len(markdown)].count("\n"), data
