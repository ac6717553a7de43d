"""pymdownx's blocks processor installed on demand gives the HTML it gives installed at once; unused, unimported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import markdown
import pytest
from markdown.extensions import Extension

from annotated_essay import blocks_speed
from annotated_essay.blocks_on_demand import BlocksOnDemand
from annotated_essay.editors_notes import EditorsNotesExtension

from .test_blocks_speed import DOCUMENTS

#: Pages of the editors' blocks only (pymdownx's own blocks are not configured here), and escapes.
OURS = [document for document in DOCUMENTS if "admonition" not in document and "details" not in document] + [
    "A slash escaped \\/ and a backslash \\\\ with no block on the page.",
    "Escaped \\/ before.\n\n/// editors-note | before\nNote.\n///\n\nEscaped \\/ after.",
    "Two blocks.\n\n/// passage | Two\n    id: two\n///\n\n/// editors-note | blocks\nN.\n///\n",
]


class _InstalledFirst(Extension):
    """pymdownx's processor (the quick one) installed before the editors' blocks ask for it."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        blocks_speed.block_manager(md)


def _html(source: str, at_once: bool) -> str:
    first: list[Extension] = [_InstalledFirst()] if at_once else []
    md = markdown.Markdown(extensions=["attr_list", "toc", "fenced_code", *first, EditorsNotesExtension()])
    assert isinstance(md.parser.blockprocessors["blocks"], BlocksOnDemand) is not at_once
    return md.convert(source)


@pytest.mark.parametrize("source", OURS)
def test_same_html_as_the_processor_installed_at_once(source: str) -> None:
    assert _html(source, at_once=False) == _html(source, at_once=True)


def test_installed_by_the_first_block_and_kept_for_the_next_pages() -> None:
    md = markdown.Markdown(extensions=[EditorsNotesExtension()])
    md.convert("No block.")
    assert isinstance(md.parser.blockprocessors["blocks"], BlocksOnDemand)
    first = md.reset().convert("Said this.\n\n/// editors-note | this\nA note.\n///\n")
    assert type(md.parser.blockprocessors["blocks"]) is blocks_speed.QuickBlocksProcessor
    assert 'class="editors-note-ref"' in first
    again = md.reset().convert("Said this.\n\n/// editors-note | this\nA note.\n///\n")
    assert again == first


def test_a_site_without_blocks_never_imports_pymdownx_blocks() -> None:
    """The point of it: pymdownx.blocks brings urllib.request, http.client and ssl (some 9 ms)."""
    script = textwrap.dedent(
        """
        import sys, markdown
        from annotated_essay.editors_notes import EditorsNotesExtension
        md = markdown.Markdown(extensions=[EditorsNotesExtension()])
        md.convert("A page with a slash / and // but no block.\\n\\nAnother \\\\/ paragraph.")
        print(sorted(name for name in ("pymdownx.blocks", "pymdownx.util", "urllib.request") if name in sys.modules))
        md.reset().convert("Said this.\\n\\n/// editors-note | this\\nA note.\\n///\\n")
        print("pymdownx.blocks" in sys.modules)
        """
    )
    lines = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert lines == ["[]", "True"]
