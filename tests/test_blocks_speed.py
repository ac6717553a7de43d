"""The quicker pymdownx blocks processor gives what pymdownx's own gives: same HTML, same options, same refusals."""

from __future__ import annotations

import markdown
import pytest
from markdown.extensions import Extension
from pymdownx.blocks import BlocksProcessor, get_frontmatter

from annotated_essay.blocks_speed import QuickBlocksProcessor, options
from annotated_essay.editors_notes import EditorsNotesExtension

#: Pages mixing the editors' blocks with pymdownx's own (admonition, details) and the cases
#: where pymdownx keeps a block open across paragraphs, lists and nesting.
DOCUMENTS = [
    "Plain text, no blocks.\n\nA second paragraph with a slash / and // two.",
    "The author wrote this and that.\n\n/// editors-note | and that\nThe editors say so.\n///\n",
    "The author wrote this and that.\n\n/// editors-note | and that\n    id: and-that\n\nFirst.\n\nSecond.\n///\n",
    "Words on Zhenbao Island here.\n\n/// passage | on Zhenbao Island\n    id: zhenbao-1969\n///\n",
    "Text here.\n\n/// passage | Text\n    id: [not, a, string]\n///\n",
    "Text here.\n\n/// passage | Text\n    id: 'unclosed\n///\n",
    "Text here.\n\n/// passage | Text\n    - a list\n///\n",
    "Text here.\n\n/// passage | Text\n    id: a\n    ---\n    id: b\n///\n",
    "/// admonition | Note\n    type: warning\n\nInside *it*.\n\n/// details | More\nNested.\n///\n\nAfter.\n///\n",
    "- item one\n- item two\n\n    /// admonition | In a list\n    Text.\n    ///\n\nEnd.",
    "Before.\n/// admonition | Glued to a paragraph\nText.\n///\nAfter.",
    "//// admonition | Four\n\n/// details | Three\nInner.\n///\n\n////\n",
    "/// unknown-block | x\nText.\n///\n",
    "/// admonition\nNever closed.\n\nStill inside?",
    "> quoted\n>\n> /// admonition | In a quote\n> Text.\n> ///\n",
    # In a list item each indented paragraph reaches the processor on its own, the middle ones without '///'.
    "- item\n\n    /// admonition | In an item\n    One.\n\n    Two.\n\n    Three.\n    ///\n\nAfter.",
    # Found by fuzzing: an old-style admonition leaks out of the open block and pymdownx takes it back.
    "////\n//// admonition | F\n```\n!!! note\n1. one\n    - nested",
    "- item\n\n    Words in the item.\n\n    /// editors-note | in the item\n    One.\n\n    Two.\n    ///\n",
    "Text and that.\n\n/// editors-note | and that\n\n```\ncode ///\n```\n\n///\n",
]


def convert(source: str, ours_first: bool) -> str:
    """``source`` with our blocks and pymdownx's; whichever extension comes first installs the processor."""
    pymdownx: list[str | Extension] = ["pymdownx.blocks.admonition", "pymdownx.blocks.details"]
    ours: list[str | Extension] = [EditorsNotesExtension()]
    extensions = [*ours, *pymdownx] if ours_first else [*pymdownx, *ours]
    md = markdown.Markdown(extensions=["attr_list", "toc", "fenced_code", "admonition", "md_in_html", *extensions])
    processor = md.parser.blockprocessors["blocks"]
    assert isinstance(processor, QuickBlocksProcessor) is ours_first
    return md.convert(source)


@pytest.mark.parametrize("source", DOCUMENTS)
def test_same_html_as_pymdownx_processor(source: str) -> None:
    assert convert(source, ours_first=True) == convert(source, ours_first=False)


def test_the_quick_processor_serves_other_block_extensions() -> None:
    md = markdown.Markdown(extensions=[EditorsNotesExtension(), "pymdownx.blocks.admonition"])
    assert type(md.parser.blockprocessors["blocks"]) is QuickBlocksProcessor
    html = md.convert("/// admonition | Title\n    type: tip\n\nBody.\n///\n")
    assert '<div class="admonition tip">' in html
    assert "<p>Body.</p>" in html


@pytest.mark.parametrize(
    "text",
    [
        "id: zhenbao-1969\n",
        "id: 'quoted value'\n",
        "id: 1969\n",
        "id: yes\n",
        "id: null\n",
        "type: warning\nattrs: {class: x}\n",
        "id: [a, b]\n",
        "- a\n- b\n",
        "plain words\n",
        "",
        "# only a comment\n",
        "id: 'unclosed\n",
        "id: a\n---\nid: b\n",
        "id: \x07bell\n",
        "a: b: c\n",
        "\tid: tab\n",
        "id: &anchor x\nother: *anchor\n",
        "id: !!python/object:os.system x\n",
    ],
)
def test_options_as_pymdownx_reads_them(text: str) -> None:
    assert options(text) == get_frontmatter(text)


def test_blocks_processor_is_pymdownx_subclass() -> None:
    """Everything but the two quicker steps stays pymdownx's own code."""
    overridden = {name for name in vars(QuickBlocksProcessor) if not name.startswith("__")}
    assert overridden == {"test", "split_header"}
    assert issubclass(QuickBlocksProcessor, BlocksProcessor)
