"""Unit tests for markup held back from the search index (annotated_essay.after_index)."""

from __future__ import annotations

from types import SimpleNamespace

from annotated_essay.after_index import AfterIndex, fill_all, immediately


def test_placeholders_are_comments_filled_with_the_markup() -> None:
    held_back = AfterIndex("notes")
    first = held_back.defer("<ol><li>one</li></ol>")
    second = held_back.defer("<p>two</p>")
    assert first == "<!--annotated-essay:notes:0-->"
    assert second == "<!--annotated-essay:notes:1-->"
    assert held_back.fill(f"<p>text</p>{second}{first}") == "<p>text</p><p>two</p><ol><li>one</li></ol>"


def test_fill_leaves_other_extensions_placeholders_and_plain_pages_alone() -> None:
    notes, lines = AfterIndex("notes"), AfterIndex("lines")
    content = notes.defer("N") + lines.defer("L") + "<!-- an editor's comment -->"
    assert notes.fill(content) == "N<!--annotated-essay:lines:0--><!-- an editor's comment -->"
    extensions = [object(), SimpleNamespace(after_index=notes), SimpleNamespace(after_index=lines)]
    assert fill_all(content, extensions) == "NL<!-- an editor's comment -->"
    assert notes.fill("<p>no placeholders</p>") == "<p>no placeholders</p>"


def test_reset_starts_numbering_again() -> None:
    held_back = AfterIndex("notes")
    held_back.defer("old")
    held_back.reset()
    assert held_back.defer("new") == "<!--annotated-essay:notes:0-->"
    assert held_back.fill("<!--annotated-essay:notes:0-->") == "new"


def test_immediately_keeps_the_markup() -> None:
    assert immediately("<p>x</p>") == "<p>x</p>"
