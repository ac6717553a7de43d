"""How a glossary link is written: its start and end tags, as Python-Markdown's serializer would write them.

The linker holds a link's tags back from the search index as placeholders
(``after_index``) and writes them itself, so they must come out exactly as
the serializer writes an ``<a>`` element: attributes in lexical order, values
escaped as it escapes them (entities kept), and the tooltip's ``<`` kept text
for Material's ``content.tooltips``.
"""

from __future__ import annotations

import functools
import re

from .lazy_regex import on_first_use

#: An ampersand that does not start an entity (Python-Markdown's serializer escapes only these).
_BARE_AMPERSAND = on_first_use(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


def tooltip_text(text: str) -> str:
    """``text`` for a ``title`` attribute that Material's ``content.tooltips`` shows.

    Material puts a title into its tooltip through ``innerHTML``, so a ``<`` in
    a definition would start a tag there (and Python-Markdown keeps entities in
    attributes as they are, so escaping twice does not survive). An invisible
    word joiner after each ``<`` keeps it text: a tag needs a letter, ``/``,
    ``!`` or ``?`` right after the ``<``.
    """
    return text.replace("<", "<\u2060")


def attribute_value(value: str) -> str:
    """``value`` escaped as Python-Markdown's serializer escapes attribute values (entities kept)."""
    if "&" in value:
        value = _BARE_AMPERSAND.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def link_start_tag(href: str, anchor: str, short: str) -> str:
    """A glossary link's start tag, as Python-Markdown's serializer writes the element: attributes in lexical order."""
    return (
        f'<a class="glossary-link" href="{attribute_value(href)}" '
        f'id="{attribute_value(anchor)}" title="{title_attribute(short)}">'
    )


def link_end_tag() -> str:
    """A glossary link's end tag."""
    return "</a>"


@functools.lru_cache(maxsize=4096)
def title_attribute(short: str) -> str:
    """A short definition as a link's escaped ``title``: the same few hundred on every page."""
    return attribute_value(tooltip_text(short))
