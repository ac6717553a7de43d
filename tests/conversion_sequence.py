"""A Markdown extension for tests: each conversion in the process ends with its sequence number.

``<p class="conversion-sequence">N</p>`` at the end of the page: which
conversion in the build's process made the HTML a page (or a print section)
shows, so a test can tell a page converted once from one converted again.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_SEQUENCE = itertools.count(1)


class _Stamp(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        etree.SubElement(root, "p", {"class": "conversion-sequence"}).text = str(next(_SEQUENCE))


class ConversionSequence(Extension):
    """Stamps each conversion with its number in the process."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the stamp."""
        # Priority 30: before "inline" (20), which leaves the digits as they are; any place in the tree does.
        md.treeprocessors.register(_Stamp(md), "conversion_sequence", 30)


def makeExtension(**kwargs: Any) -> ConversionSequence:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown.Markdown(extensions=["tests.conversion_sequence"])``."""
    return ConversionSequence(**kwargs)
