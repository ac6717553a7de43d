"""Generated text kept out of the inline patterns: same HTML as with the inline pass, plain strings after it."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import pytest
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from annotated_essay.generated_text import skip_inline

#: Texts an extension might generate: plain ones, and ones each of several inline patterns acts on.
TEXTS = [
    "Plain words, 1969–1972 · and more",
    "*emphasis* and _under_",
    "`code`",
    "a [link](https://example.org) and [@doe2021]",
    "Tom & Jerry, &amp; an entity, &#169;",
    "<b>raw</b> and <https://example.org>",
    "escaped \\* star",
    "line  \nbreak",
    "@doe2021 says",
    ", ",
    ", ",
]


class _Generate(BlockProcessor):
    def __init__(self, parser: markdown.blockparser.BlockParser, md: markdown.Markdown, skip: bool) -> None:
        super().__init__(parser)
        self.md, self.skip = md, skip

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == "GENERATE"

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        blocks.pop(0)
        wrapper = etree.SubElement(parent, "div")
        for text in TEXTS:
            paragraph = etree.SubElement(wrapper, "p")
            paragraph.text = text
            etree.SubElement(paragraph, "span").tail = text
        etree.SubElement(wrapper, "p").text = AtomicString("*kept as written*")
        if self.skip:
            skip_inline(self.md, wrapper)
        return True


class _Check(Treeprocessor):
    """After the inline pass: which texts are AtomicString (only those that were before)."""

    def run(self, root: etree.Element) -> None:
        self.md.atomic = [  # type: ignore[attr-defined]
            text for element in root.iter() for text in (element.text, element.tail) if isinstance(text, AtomicString)
        ]


class _Extension(Extension):
    def __init__(self, skip: bool) -> None:
        super().__init__()
        self.skip = skip

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.parser.blockprocessors.register(_Generate(md.parser, md, self.skip), "generate", 75)
        md.treeprocessors.register(_Check(md), "check", 15)  # after "inline" (20) and the restore (19.999)


def _convert(skip: bool, *extensions: str) -> tuple[str, list[str]]:
    md = markdown.Markdown(extensions=[*extensions, _Extension(skip)])
    html = md.convert("Intro *here*.\n\nGENERATE\n\nAfter [@doe2021].\n")
    return html, md.atomic  # type: ignore[attr-defined]


@pytest.mark.parametrize("extensions", [(), ("footnotes", "attr_list", "toc", "annotated_essay.citations")])
def test_same_html_as_the_inline_pass_and_plain_strings_after_it(extensions: tuple[str, ...]) -> None:
    with_skip, atomic = _convert(True, *extensions)
    without, atomic_before = _convert(False, *extensions)
    assert with_skip == without
    assert "<em>emphasis</em>" in with_skip and "<code>code</code>" in with_skip  # the others still went through
    assert "*kept as written*" in with_skip
    # Only what was AtomicString before the skip is AtomicString after the inline pass.
    assert atomic == atomic_before
    assert "Plain words, 1969–1972 · and more" not in atomic


def test_marks_only_texts_no_pattern_matches() -> None:
    md = markdown.Markdown()
    root = etree.Element("div")
    for text in TEXTS:
        etree.SubElement(root, "p").text = text
    skip_inline(md, root)
    marked = [element.text for element in root if isinstance(element.text, AtomicString)]
    # Plain Python-Markdown has no pattern for '@' (the citations extension adds one).
    assert marked == ["Plain words, 1969–1972 · and more", "@doe2021 says", ", ", ", "]
    md = markdown.Markdown(extensions=["annotated_essay.citations"])
    root = etree.Element("div")
    for text in TEXTS:
        etree.SubElement(root, "p").text = text
    skip_inline(md, root)
    assert [element.text for element in root if isinstance(element.text, AtomicString)] == [TEXTS[0], ", ", ", "]


def test_marks_read_back_give_the_same_tree_and_marks() -> None:
    """``skipped_texts`` then ``skip_again`` on a copy (as the timeline kept between builds): the same marks."""
    from annotated_essay.generated_text import skip_again, skipped_texts
    from annotated_essay.kept_trees import tree_from_text, tree_text

    def tree() -> etree.Element:
        root = etree.Element("div")
        for text in TEXTS:
            paragraph = etree.SubElement(root, "p")
            paragraph.text = text
            etree.SubElement(paragraph, "span").tail = text
        return root

    md = markdown.Markdown(extensions=["annotated_essay.citations"])
    root = tree()
    skip_inline(md, root)
    marks = skipped_texts(md, root)
    assert len(marks) == 6  # the plain text and the two ", ", each as a text and as a tail
    kept = tree_text(root)
    assert kept is not None
    again = markdown.Markdown(extensions=["annotated_essay.citations"])
    copy = tree_from_text(kept)
    skip_again(again, copy, marks)

    def shape(root: etree.Element) -> list[tuple[object, ...]]:
        return [
            (element.tag, element.text, type(element.text), element.tail, type(element.tail)) for element in root.iter()
        ]

    assert shape(copy) == shape(root)
    assert etree.tostring(copy) == etree.tostring(root)
