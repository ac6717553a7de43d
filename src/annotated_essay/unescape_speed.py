"""Python-Markdown's ``unescape`` treeprocessor, the same texts at less cost on the many that hold no escape.

A backslash escape (a backslash before ``*``) stays in the tree as ``STX``,
the character's code and ``ETX`` until the ``unescape`` treeprocessor, the last
of the built-in ones, turns it back into the character in every text, tail and
attribute value. It runs its pattern (with a Python function per match) over
each of them, and a page with citations and glossary links has many: the
superscripts' ``id``, ``href`` and ``class`` among them. On the 100-page
benchmark corpus that is some 25,000 values a build, almost none with an escape.

:class:`QuickUnescape` asks first whether a value holds ``STX`` at all (a
substring test in C) and runs the pattern only where it does. Everything else
is Python-Markdown's: the same pattern and replacement, and what it gives back
is the same, to the type (Python-Markdown's pass turns an ``AtomicString`` into
a plain string, and so does this one).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import UnescapeTreeprocessor
from markdown.util import STX

#: The name and priority Python-Markdown registers its ``unescape`` treeprocessor under.
_NAME, _PRIORITY = "unescape", 0


class QuickUnescape(UnescapeTreeprocessor):
    """Restore escaped characters, as Python-Markdown does, where a text holds any."""

    def run(self, root: etree.Element) -> None:
        """Unescape every text, tail and attribute value of ``root`` that holds an escape."""
        unescape = self.unescape
        for element in root.iter():
            text = element.text
            if text and element.tag != "code":
                if STX in text:
                    element.text = unescape(text)
                elif type(text) is not str:  # an AtomicString: Python-Markdown's pass gives a str
                    element.text = str(text)
            tail = element.tail
            if tail:
                if STX in tail:
                    element.tail = unescape(tail)
                elif type(tail) is not str:
                    element.tail = str(tail)
            for key, value in element.items():
                if value is None:  # a valueless attribute: nothing to unescape
                    continue
                if STX in value:
                    element.set(key, unescape(value))
                elif type(value) is not str:
                    element.set(key, str(value))


def install(md: Markdown) -> None:
    """Serve ``md``'s pages with :class:`QuickUnescape` where Python-Markdown's own ``unescape`` is registered.

    Left alone if another extension replaced it (that one serves, as before).
    Registered under the same name and priority, which keeps it last among the
    built-in treeprocessors and before MkDocs' ``relpath`` (also 0), added later.
    """
    registered = md.treeprocessors[_NAME] if _NAME in md.treeprocessors else None  # noqa: SIM401 (no .get)
    if type(registered) is UnescapeTreeprocessor:
        md.treeprocessors.register(QuickUnescape(md), _NAME, _PRIORITY)
