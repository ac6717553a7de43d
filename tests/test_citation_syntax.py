"""Pandoc's citation syntax as parsed (no Markdown), and the linear bracket matching against Python-Markdown's."""

from __future__ import annotations

import unicodedata

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotated_essay.citation_syntax import (
    CitedItem,
    ParsedCitation,
    find_key,
    is_citation_bracket,
    key_of,
    only_key,
    parse_bracket,
)
from annotated_essay.linear_brackets import make_link_processors_linear


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("@doe/2021", "doe/2021"),
        ("@a+b", "a+b"),
        ("@x:y.z$2&4-5+6?7<8>9~0", "x:y.z$2&4-5+6?7<8>9~0"),
        ("@doe2021.", "doe2021"),  # a full stop ends the sentence, not the key
        ("@doe2021, p. 3", "doe2021"),
        ("@_under", "_under"),
        ("@{https://example.org/a?b=1}", "https://example.org/a?b=1"),
        ("@http://example.org", "http://example.org"),
        ("@" + unicodedata.normalize("NFD", "vámos2010"), unicodedata.normalize("NFD", "vámos2010")),
    ],
)
def test_keys_follow_pandocs_rule(text: str, key: str) -> None:
    found = find_key(text)
    assert found is not None
    assert key_of(found) == key


@pytest.mark.parametrize("text", ["me@example.org", "a@b", "@", "@ key", "@-x", "@.x"])
def test_no_key(text: str) -> None:
    assert find_key(text) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@a", [CitedItem("a")]),
        ("see @a, p. 33", [CitedItem("a", prefix="see", locator="33", label="page")]),
        (
            "@a, pp. 33-35, 38-39 and passim",
            [CitedItem("a", locator="33-35, 38-39", label="page", suffix="and passim")],
        ),
        ("@a, 33", [CitedItem("a", locator="33", label="page")]),
        ("@a chap. 3", [CitedItem("a", locator="3", label="chapter")]),
        ("@a, sections 2-4", [CitedItem("a", locator="2-4", label="section")]),
        ("@a, § 4", [CitedItem("a", locator="4", label="section")]),
        ("@a, vol. iv", [CitedItem("a", locator="iv", label="volume")]),
        (
            "@a, p. {iv, vi-xi, (xv)-(xvii)} with more",
            [CitedItem("a", locator="iv, vi-xi, (xv)-(xvii)", label="page", suffix="with more")],
        ),
        ("@a, and elsewhere", [CitedItem("a", suffix="and elsewhere")]),
        ("-@a", [CitedItem("a", suppress_author=True)]),
        ("see -@a, p. 3", [CitedItem("a", prefix="see", locator="3", label="page", suppress_author=True)]),
        ("@a; @b", [CitedItem("a"), CitedItem("b")]),
    ],
)
def test_items_prefixes_locators_suffixes(body: str, expected: list[CitedItem]) -> None:
    parsed = parse_bracket(body)
    assert list(parsed.items) == expected
    assert parsed.problems == ()
    assert not parsed.empty_key


@pytest.mark.parametrize(
    ("item", "note"),
    [
        (CitedItem("a", prefix="see", locator="33", label="page"), "see p. 33"),
        (CitedItem("a", locator="33-35", label="page"), "pp. 33-35"),
        (CitedItem("a", locator="2", label="chapter", suffix="and passim"), "chap. 2 and passim"),
        (CitedItem("a", locator="1, 4", label="figure"), "figs. 1, 4"),
        (CitedItem("a"), ""),
    ],
)
def test_note_text(item: CitedItem, note: str) -> None:
    assert item.note_text() == note


@pytest.mark.parametrize(
    ("body", "keys", "problem"),
    [
        ("@a, @b", ["a", "b"], "',' between keys ('@a, @b')"),
        ("@a,@b", ["a", "b"], "',' between keys"),
        ("see @a and @b", ["a", "b"], "'and' between keys ('@a and @b')"),
        ("@a & @b", ["a", "b"], "'&' between keys"),
        ("@a, p. 3 compare @b", ["a", "b"], "two keys in one part"),
        ("@a; and more", ["a"], "the part 'and more' of this citation names no source"),
    ],
)
def test_slips_are_named_and_no_source_is_lost(body: str, keys: list[str], problem: str) -> None:
    parsed = parse_bracket(body)
    assert [item.key for item in parsed.items] == keys
    assert any(problem in message for message in parsed.problems), parsed.problems


@pytest.mark.parametrize(
    ("body", "keys", "suppressed", "empty_key"),
    [
        ("@a", ["a"], [False], False),
        ("-@a", ["a"], [True], False),
        (" @a ;\t-@b\u00a0", ["a", "b"], [False, True], False),
        ("@a; @{b;c}", ["a"], [False], False),  # ';' splits even braces: '@{b' names no key
        # A braced key holding a bare '@': the general rule reports an empty key, as for '[@]'.
        ("@{.5:a:@//p}", [".5:a:@//p"], [False], True),
        ("@x; @{@}", ["x", "@"], [False, False], True),
    ],
)
def test_brackets_of_keys_alone_parse_as_any_other(
    body: str, keys: list[str], suppressed: list[bool], empty_key: bool
) -> None:
    """Keys alone between ';' take a shorter path: the same items and slips as the general one."""
    parsed = parse_bracket(body)
    assert [item.key for item in parsed.items] == keys
    assert [item.suppress_author for item in parsed.items] == suppressed
    assert all(not (item.prefix or item.locator or item.label or item.suffix) for item in parsed.items)
    assert parsed.empty_key is empty_key


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="@-{}; ,.:/ab1\u0301", max_size=16))
def test_the_short_path_for_a_key_alone_gives_what_the_general_one_does(body: str) -> None:
    """``only_key`` (the inline processor's short path) answers only for a key alone, exactly as ``parse_bracket``."""
    item = only_key(body)
    if item is not None:
        assert is_citation_bracket(body)
        assert parse_bracket(body) == ParsedCitation((item,))


@pytest.mark.parametrize(("body", "item"), [("@a", CitedItem("a")), ("-@b:c", CitedItem("b:c", suppress_author=True))])
def test_a_key_alone_takes_the_short_path(body: str, item: CitedItem) -> None:
    assert only_key(body) == item


def test_text_between_keys_is_kept_when_it_is_more_than_a_separator() -> None:
    (first, _) = parse_bracket("@a, p. 3 compare @b").items
    assert first.note_text() == "p. 3 compare"


@pytest.mark.parametrize(
    ("body", "citation"),
    [("@a", True), ("see @", True), ("me@example.org", False), ("plain", False), ("x @ y", True)],
)
def test_what_counts_as_a_citation_bracket(body: str, citation: bool) -> None:
    assert is_citation_bracket(body) is citation


def linear(text: str) -> str:
    md = markdown.Markdown(extensions=["footnotes"])
    make_link_processors_linear(md)
    return md.convert(text)


BRACKETY = st.text(alphabet="[]()!@;: ab\n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(BRACKETY, st.booleans())
def test_linear_brackets_render_exactly_as_python_markdown(text: str, with_reference: bool) -> None:
    """The closing-bracket table gives Python-Markdown's own results: links, images, references alike."""
    if with_reference:
        text += "\n\n[a]: https://example.org/a\n[b]: https://example.org/b"
    assert linear(text) == markdown.Markdown(extensions=["footnotes"]).convert(text)


def test_scans_kept_for_the_next_build_read_back_the_same() -> None:
    from annotated_essay.citation_notes import CitationRecord, PageCitations
    from annotated_essay.citation_site import _from_json, _scanned, _to_json

    page = PageCitations(
        [
            CitationRecord("citation-1", (CitedItem("a", "see", "3", "page", "and passim", False),)),
            CitationRecord("citation-2", (CitedItem("b/ü:1", suppress_author=True), CitedItem("a"))),
        ],
        has_bibliography=True,
    )
    kept = _from_json(_to_json(_scanned(page)))
    assert kept.records == page.records
    assert kept.cited_keys() == page.cited_keys() == ["a", "b/ü:1"]
    assert kept.has_bibliography
