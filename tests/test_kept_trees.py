"""Element trees kept as XML text: the same tree back, or nothing kept when XML cannot carry it exactly."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import pytest

from annotated_essay.kept_trees import tree_from_text, tree_text


def _tree(text: str = "Border troops fight.", tail: str | None = " · ") -> etree.Element:
    root = etree.Element("div", {"class": "timeline", "data-x": 'a "quoted" <value>\n& more'})
    svg = etree.SubElement(root, "svg", {"viewBox": "0 0 1000 150", "role": "img"})
    etree.SubElement(svg, "circle", {"cx": "1.0", "cy": "2", "r": "6"})
    paragraph = etree.SubElement(root, "p")
    paragraph.text = text
    span = etree.SubElement(paragraph, "span")
    span.text = "Glossary: <a> & 1969–1972\ttab"
    span.tail = tail
    return root


def _shape(root: etree.Element) -> list[tuple[object, ...]]:
    return [(e.tag, list(e.attrib.items()), e.text, e.tail) for e in root.iter()]


def test_round_trip_gives_the_same_tree() -> None:
    root = _tree()
    kept = tree_text(root)
    assert kept is not None
    assert _shape(tree_from_text(kept)) == _shape(root)


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("a control character \x02 (Python-Markdown's placeholders)", " · "),
        ("a carriage return\r\nin a text", " · "),
        ("fine", ""),  # an empty tail would come back as None
    ],
)
def test_trees_xml_cannot_carry_are_not_kept(text: str, tail: str) -> None:
    assert tree_text(_tree(text, tail)) is None


def test_a_root_with_a_tail_is_not_kept() -> None:
    root = _tree()
    root.tail = "the parent's text"
    assert tree_text(root) is None
