"""Python-Markdown's unescape pass, quicker where nothing is escaped (annotated_essay.unescape_speed)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import UnescapeTreeprocessor
from markdown.util import ETX, STX, AtomicString

from annotated_essay import unescape_speed
from annotated_essay.unescape_speed import QuickUnescape

SOURCES = [
    'Plain text, *emphasis* and a [link](https://example.org/a_b "title").',
    "Escapes: \\*not emphasis\\*, \\_under\\_, \\[brackets\\], \\` and \\\\.",
    'A [link \\*x\\*](https://example.org/a\\_b "t\\*itle") and `code \\* kept` and ![alt \\*](i.png).',
    "# Heading \\# one {: #h .c }\n\n> quote \\> text\n\n- item \\- one\n- `\\*`\n\n```\n\\* fenced\n```",
    "Footnote[^1] with \\*.\n\n[^1]: Note \\*here\\*.",
]


class _Quick(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        unescape_speed.install(md)


def _convert(source: str, *, quick: bool) -> str:
    extensions: list[str | Extension] = ["attr_list", "footnotes", "fenced_code", "toc"]
    md = markdown.Markdown(extensions=[*extensions, _Quick()] if quick else extensions)
    assert isinstance(md.treeprocessors["unescape"], QuickUnescape) is quick
    return md.convert(source)


def test_pages_are_converted_as_python_markdown_converts_them() -> None:
    for source in SOURCES:
        assert _convert(source, quick=True) == _convert(source, quick=False), source


def test_every_text_tail_and_attribute_comes_back_as_python_markdowns_pass_gives_it() -> None:
    escaped = f"a {STX}42{ETX}42 b"  # an escaped '*' in the middle
    trees = []
    for processor in (UnescapeTreeprocessor(), QuickUnescape()):
        root = etree.Element("div", {"title": escaped, "class": "plain", "data-x": AtomicString("atomic")})
        child = etree.SubElement(root, "span", {"id": "s"})
        child.text, child.tail = AtomicString("atomic text"), escaped
        code = etree.SubElement(root, "code")
        code.text = escaped  # code keeps its escapes (Python-Markdown unescapes code spans itself)
        code.tail = AtomicString("atomic tail")
        root.text = "plain"
        processor.run(root)
        trees.append(root)
    slow, quick = trees
    for before, after in zip(slow.iter(), quick.iter(), strict=True):
        values = zip(after.attrib.values(), before.attrib.values(), strict=True)
        for got, want in ((after.text, before.text), (after.tail, before.tail), *values):
            assert got == want, (got, want)
            assert type(got) is type(want), (got, want)
    assert slow.get("title") == "a *42 b"


def test_another_extensions_unescape_is_left_alone() -> None:
    class Own(UnescapeTreeprocessor):
        pass

    md = markdown.Markdown()
    md.treeprocessors.register(Own(md), "unescape", 0)
    unescape_speed.install(md)
    assert type(md.treeprocessors["unescape"]) is Own
