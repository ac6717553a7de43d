"""Python-Markdown's attr_list pass, not run over pages without '{' (annotated_essay.attr_list_speed)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import UnescapeTreeprocessor

from annotated_essay import attr_list_speed
from annotated_essay.attr_list_speed import QuickAttrList
from annotated_essay.unescape_speed import QuickUnescape

SOURCES = [
    "Plain text, *emphasis* and a [link](https://example.org/).\n\n# Heading\n\n- one\n- two",
    "# Heading { #h .c }\n\nA paragraph.\n{: .note }\n\n*inline*{: .x } and [link](#a){: target=_blank }",
    "- item\n    {: .li }\n- with list\n    - nested\n\nTerm{ .x }\n\n`{: .code }` stays",
    "Braces in text { like this } and {: not-an-attr",
]


class _Quick(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        attr_list_speed.install(md)


@pytest.mark.parametrize("source", SOURCES)
def test_pages_are_converted_as_python_markdown_converts_them(source: str) -> None:
    quick = markdown.Markdown(extensions=["attr_list", "toc", _Quick()])
    assert type(quick.treeprocessors["attr_list"]) is QuickAttrList
    assert quick.convert(source) == markdown.Markdown(extensions=["attr_list", "toc"]).convert(source)


def test_a_page_without_a_brace_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[object] = []
    monkeypatch.setattr(AttrListTreeprocessor, "run", lambda self, doc: read.append(doc))
    md = markdown.Markdown(extensions=["attr_list", _Quick()])
    md.convert("No list here: *a* [b](#c).")
    assert read == []
    md.convert("One here.\n{: .x }")
    assert len(read) == 1


def test_without_attr_list_or_with_another_pass_nothing_is_installed() -> None:
    bare = markdown.Markdown(extensions=[_Quick()])
    assert "attr_list" not in bare.treeprocessors

    class Own(AttrListTreeprocessor):
        pass

    md = markdown.Markdown(extensions=["attr_list"])
    md.treeprocessors.register(Own(md), "attr_list", 8)
    attr_list_speed.install(md)
    assert type(md.treeprocessors["attr_list"]) is Own


@pytest.mark.parametrize("ours", ["annotated_essay.citations", "annotated_essay.glossary"])
def test_each_extension_that_adds_many_elements_installs_the_quick_passes(ours: str, tmp_path: Path) -> None:
    """Citations without the glossary get them too (their superscripts are most of a page's elements)."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{doe2019, author = {Doe, Jane}, title = {A Book}, year = {2019}}\n", encoding="utf-8")
    configs = {"annotated_essay.citations": {"bibliography": str(bib)}}
    md = markdown.Markdown(extensions=["attr_list", ours], extension_configs=configs)
    assert type(md.treeprocessors["attr_list"]) is QuickAttrList
    assert type(md.treeprocessors["unescape"]) is QuickUnescape
    assert type(markdown.Markdown(extensions=["attr_list"]).treeprocessors["unescape"]) is UnescapeTreeprocessor
