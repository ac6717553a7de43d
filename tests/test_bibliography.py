"""BibTeX loading: one test per failure kind, each message names file, line and remedy."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotated_essay.bibliography import (
    BibliographyError,
    load_bibliography,
    parse_bibliography,
    parse_bibliography_file,
)

GOOD = "@book{ok2020,\n  author = {Ok, Anna},\n  title = {Fine},\n  year = {2020}\n}\n"


def error_of(text: str) -> str:
    with pytest.raises(BibliographyError) as caught:
        parse_bibliography(text, "refs.bib")
    return str(caught.value)


def test_parses_fields_people_and_lines() -> None:
    text = (
        GOOD
        + '\n@article{two,\n  author = {M{\\"u}ller, Hans and {World Bank}},\n'
        + "  title = {A \\& B --- C},\n  year = 1999}\n"
    )
    bibliography = parse_bibliography(text, "refs.bib")
    assert list(bibliography.entries) == ["ok2020", "two"]
    two = bibliography.entries["two"]
    assert two.line == 7
    assert two.fields["title"] == "A & B — C"
    assert [(p.family, p.given, p.literal) for p in two.people["author"]] == [
        ("Müller", "Hans", ""),
        ("", "", "World Bank"),
    ]


def test_unclosed_brace() -> None:
    message = error_of(GOOD + "@book{bad,\n  title = {Open,\n  year = {2020}\n")
    assert message.startswith("refs.bib:6: cannot parse this block")
    assert "check its braces, quotes and commas" in message


def test_missing_comma_after_key() -> None:
    message = error_of("@book{bad\n  title = {T}, year = {2020}}\n" + GOOD)
    assert message.startswith("refs.bib:1: cannot parse this block (")


def test_duplicate_entry_key() -> None:
    message = error_of(GOOD + GOOD)
    assert message == "refs.bib:6: duplicate entry key 'ok2020'; rename one of the entries or delete the copy."


def test_duplicate_field() -> None:
    message = error_of("@book{twice,\n  title = {A},\n  year = {2020},\n  title = {B}\n}\n")
    assert message == "refs.bib:4: entry 'twice' repeats the field(s) title; keep one of each."


def test_undefined_string_macro() -> None:
    message = error_of("@book{m,\n  title = {T},\n  publisher = pressname,\n  year = {2020}\n}\n")
    assert message.startswith("refs.bib:3: entry 'm' field 'publisher' uses the undefined @string macro 'pressname'")


def test_defined_string_macro_and_month_macro_are_fine() -> None:
    text = '@string{press = "Big Press"}\n@book{m, title = {T}, publisher = press, month = aug, year = {2020}}\n'
    entry = parse_bibliography(text, "refs.bib").entries["m"]
    assert entry.fields["publisher"] == "Big Press"
    assert entry.fields["month"] == "aug"


def test_unknown_entry_type() -> None:
    message = error_of("@gadget{g, title = {T}, year = {2020}}\n")
    assert message.startswith("refs.bib:1: entry 'g' has unknown type @gadget; use one of @article, @book")


def test_empty_file() -> None:
    assert error_of("% only a comment\n") == (
        "refs.bib:1: the bibliography holds no entries; add at least one @type{key, ...}."
    )


def test_missing_fields_are_warnings_not_errors() -> None:
    bibliography = parse_bibliography("@book{n,\n  author = {A, B}\n}\n", "refs.bib")
    assert bibliography.warnings == (
        "refs.bib:1: entry 'n' lacks title, year, which the citation style needs; "
        "add the field(s) to the entry (or a biblatex date).",
    )


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes(GOOD.encode() + "@book{x, title = {Caf\u00e9}, year = {2020}}\n".encode("latin-1"))
    with pytest.raises(BibliographyError) as caught:
        parse_bibliography_file(str(path))
    assert str(caught.value).startswith(f"{path}:6: the file is not valid UTF-8 (byte 0xe9)")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BibliographyError) as caught:
        load_bibliography(tmp_path / "nowhere.bib")
    assert "nowhere.bib: bibliography file not found" in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.bib"
    folder.mkdir()
    with pytest.raises(BibliographyError) as caught:
        load_bibliography(folder)
    assert "cannot read the bibliography" in str(caught.value)


def test_all_failures_are_reported_together() -> None:
    message = error_of(GOOD + GOOD + "@book{twice, title = {A}, title = {B}, year = {1}}\n")
    assert len(message.splitlines()) == 2


def test_parse_is_reused_while_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(GOOD, encoding="utf-8")
    first = load_bibliography(path)
    assert load_bibliography(path) is first
    path.write_text(GOOD.replace("Fine", "Changed, longer"), encoding="utf-8")
    assert load_bibliography(path).entries["ok2020"].fields["title"] == "Changed, longer"
