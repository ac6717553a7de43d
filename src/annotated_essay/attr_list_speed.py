"""Python-Markdown's ``attr_list`` treeprocessor, not run over a page whose texts hold no ``{``.

``attr_list`` reads ``{: .class #id }`` lists from the end of a block's text, a
heading's, or the start of an inline element's tail, and asks for every
element of the page whether its tag is block-level (a Python call each) before
it looks. Citation superscripts and their parts double the elements of a page
with citations, and most pages hold no attribute list at all: on the 100-page
benchmark corpus only the glossary does.

Every list ``attr_list`` reads starts with ``{`` in some element's text or
tail, so :class:`QuickAttrList` first asks whether any text or tail of the page
holds one (a substring test in C per value) and, if one does, runs
Python-Markdown's own pass over the whole page, as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions.attr_list import AttrListTreeprocessor

#: The name and priority Python-Markdown's ``attr_list`` extension registers its treeprocessor under.
_NAME, _PRIORITY = "attr_list", 8


class QuickAttrList(AttrListTreeprocessor):
    """Python-Markdown's ``attr_list`` pass, for a page where some text or tail holds a ``{``."""

    def run(self, doc: etree.Element) -> None:
        """Read the attribute lists of ``doc`` if it may hold any (``attr_list``'s own pass)."""
        for element in doc.iter():
            text, tail = element.text, element.tail
            if (text and "{" in text) or (tail and "{" in tail):
                super().run(doc)
                return


def install(md: Markdown) -> None:
    """Serve ``md``'s pages with :class:`QuickAttrList` where Python-Markdown's ``attr_list`` pass is registered.

    Left alone without ``attr_list``, or where another extension replaced its
    pass. Registered under the same name and priority.
    """
    registered = md.treeprocessors[_NAME] if _NAME in md.treeprocessors else None  # noqa: SIM401 (no .get)
    if type(registered) is AttrListTreeprocessor:
        md.treeprocessors.register(QuickAttrList(md), _NAME, _PRIORITY)
