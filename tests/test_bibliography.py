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


# -- what the fields become, and what is reported (issue 11) ---------------------------------


def one(body: str, kind: str = "book", key: str = "x") -> tuple[dict[str, str], tuple[str, ...]]:
    """The fields of one entry with ``body`` (lines of fields after the key) and the warnings."""
    bibliography = parse_bibliography(f"@{kind}{{{key},\n{body}\n}}\n", "refs.bib")
    return bibliography.entries[key].fields, bibliography.warnings


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Why 50% of Voters Stay Home", "Why 50% of Voters Stay Home"),
        ('10\\% and 50%, {\\"o}', "10% and 50%, ö"),
        ("\\& \\$ \\# \\_ \\{\\}", "& $ # _ {}"),
        ("Caf{\\'e} \\c{c}a {\\ss} {\\o} \\v{s}", "Café ça ß ø š"),
        ("1--2 --- x", "1–2 — x"),
        ("a~b", "a\u00a0b"),
        ("\\emph{it} and \\textbf{bold}", "it and bold"),
        ("See \\url{https://example.org/a_b%20c}", "See https://example.org/a_b%20c"),
        ("The $\\alpha$ of $O(n^2)$", "The α of O(n^2)"),
        ("{U.S.} \\LaTeX{} and \\TeX", "U.S. LaTeX and TeX"),
    ],
    ids=["percent", "percent-and-escaped", "escapes", "accents", "dashes", "tie", "emphasis", "url", "math", "logos"],
)
def test_latex_becomes_the_text_it_shows(written: str, shown: str) -> None:
    fields, warnings = one(f"  title = {{{written}}},\n  year = {{2020}}")
    assert fields["title"] == shown
    assert warnings == ()


@pytest.mark.parametrize(
    ("written", "shown", "problem"),
    [
        ("A reply to \\cite{smith}", "A reply to [smith]", "uses \\cite{smith}, a citation inside a reference"),
        ("The \\foo{bar} affair", "The bar affair", "uses the LaTeX command \\foo, which cannot be shown"),
        ("See \\ref{fig}", "See fig", "uses the LaTeX command \\ref"),
        ("Costs $5 only", "Costs 5 only", "has an unmatched '$'"),
    ],
    ids=["cite", "unknown-command", "meaningless-command", "unmatched-dollar"],
)
def test_latex_that_cannot_be_shown_is_reported_with_its_line(written: str, shown: str, problem: str) -> None:
    fields, warnings = one(f"  year = {{2020}},\n  title = {{{written}}}")
    assert fields["title"] == shown  # nothing dropped while the editor fixes it
    (warning,) = warnings
    assert warning.startswith(f"refs.bib:3: entry 'x' field 'title' {problem}")


def test_and_others_is_the_et_al_marker() -> None:
    bibliography = parse_bibliography("@book{x, author = {V{\\'a}mos, P. and others}, title = {T}, year = {2010}}")
    people = bibliography.entries["x"].people["author"]
    assert [(person.family, person.others) for person in people] == [("Vámos", False), ("", True)]


@pytest.mark.parametrize(
    ("fields", "problem", "line"),
    [
        ("year = {2020},\n  month = {13},\n  day = {45}", "month '13' is not a month; write 1 to 12", 4),
        (
            "year = {2020},\n  month = feb,\n  day = {30}",
            "day '30' does not exist in February 2020; fix the day (1 to 29)",
            5,
        ),
        ("year = {2020},\n  day = {3}", "day '3' is given without a month", 4),
        ("date = {2025-13-01}", "date '2025-13-01' has month 13, which does not exist", 3),
        ("date = {2023-02-29}", "date '2023-02-29' has day 29, which February 2023 does not have", 3),
        ("date = {Feb 2025}", "date 'Feb 2025' is not a date biblatex reads", 3),
        ("date = {2025-21}", "date '2025-21' gives a season (21-24), which is not supported", 3),
        ("date = {2025},\n  urldate = {2025-02-30}", "urldate '2025-02-30' has day 30", 4),
    ],
    ids=["month-13", "february-30", "day-without-month", "iso-month", "iso-leap-day", "prose", "season", "urldate"],
)
def test_impossible_dates_are_reported_with_the_line(fields: str, problem: str, line: int) -> None:
    _, warnings = one(f"  title = {{T}},\n  {fields}")
    assert (
        [warning for warning in warnings if problem in warning]
        == [warning for warning in warnings if warning.startswith(f"refs.bib:{line}: entry 'x' {problem}")]
        != []
    )


def test_a_biblatex_date_stands_for_the_year() -> None:
    for date in ("2025", "2025-02", "2025-02-27", "2025-02/2025-03", "2020/", "2020~"):
        _, warnings = one(f"  title = {{T}},\n  date = {{{date}}}")
        assert warnings == (), date


def test_a_year_with_a_letter_is_kept() -> None:
    fields, warnings = one("  title = {T},\n  year = {2010a}")
    assert (fields["year"], warnings) == ("2010a", ())


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("url", "https://example.org/a b", "url 'https://example.org/a b' contains white space"),
        ("url", "www.example.org", "url 'www.example.org' is not an http(s) address"),
        ("url", "javascript:alert(1)", "url 'javascript:alert(1)' is not an http(s) address"),
        ("doi", "javascript:alert(1)", "doi 'javascript:alert(1)' is not a DOI"),
        ("eprint", "12345", "has an eprint without a known eprinttype"),
    ],
    ids=["url-space", "url-without-scheme", "url-script", "doi", "eprint-without-type"],
)
def test_addresses_and_identifiers_are_checked(field: str, value: str, problem: str) -> None:
    fields, warnings = one(f"  title = {{T}},\n  year = {{2020}},\n  {field} = {{{value}}}", "misc")
    assert fields[field] == value  # kept as written: a space is reported, never removed
    (warning,) = warnings
    assert warning.startswith(f"refs.bib:4: entry 'x' {problem}")


def test_url_command_and_escapes_in_url_fields() -> None:
    fields, warnings = one("  title = {T},\n  year = {2020},\n  url = {\\url{https://example.org/a\\_b\\%20}}", "misc")
    assert (fields["url"], warnings) == ("https://example.org/a_b%20", ())


def test_two_different_addresses_are_reported() -> None:
    _, warnings = one(
        "  title = {T},\n  year = {2020},\n  url = {https://a.example},\n  howpublished = {\\url{https://b.example}}",
        "misc",
    )
    assert warnings == (
        "refs.bib:5: entry 'x' gives an address in howpublished and another in url; keep one of them in url.",
    )


CHAPTER = (
    "@book{book,\n  editor = {Smith, John},\n  title = {Big Book},\n  subtitle = {Parts},\n"
    "  shorttitle = {Big},\n  publisher = {Press},\n  year = {2001},\n  ids = {bb}\n}\n"
    "@incollection{chapter,\n  author = {Doe, Jane},\n  title = {Chapter},\n  crossref = {book},\n"
    "  publisher = {Own Press}\n}\n"
)


def test_crossref_inherits_as_biber_does() -> None:
    bibliography = parse_bibliography(CHAPTER, "refs.bib")
    chapter = bibliography.entries["chapter"]
    assert chapter.fields["title"] == "Chapter"
    assert chapter.fields["booktitle"] == "Big Book"  # the book's title, renamed
    assert chapter.fields["booksubtitle"] == "Parts"
    assert chapter.fields["year"] == "2001"
    assert chapter.fields["publisher"] == "Own Press"  # the child's own field wins
    assert "shorttitle" not in chapter.fields and "ids" not in chapter.fields  # never inherited
    assert [person.family for person in chapter.people["editor"]] == ["Smith"]
    assert chapter.parent == "book"
    assert bibliography.crossref_parents == {"book"}
    assert bibliography.warnings == ()  # the chapter has its year from the book


def test_crossref_of_an_inbook_gives_the_book_author_as_bookauthor() -> None:
    text = "@book{b, author = {Roe, R.}, title = {B}, year = {1999}}\n@inbook{c, title = {C}, crossref = {b}}\n"
    chapter = parse_bibliography(text).entries["c"]
    assert [p.family for p in chapter.people["author"]] == [p.family for p in chapter.people["bookauthor"]] == ["Roe"]


def test_crossref_to_an_unknown_key_and_cycles_are_reported() -> None:
    text = (
        "@incollection{a,\n  title = {A},\n  year = {2020},\n  crossref = {Book}\n}\n"
        "@book{book, title = {B}, year = {2020}}\n"
        "@book{c1,\n  title = {C},\n  year = {2020},\n  crossref = {c2}\n}\n"
        "@book{c2,\n  title = {D},\n  year = {2020},\n  crossref = {c1}\n}\n"
    )
    warnings = parse_bibliography(text, "refs.bib").warnings
    assert warnings[0] == (
        "refs.bib:4: entry 'a' names 'Book' in crossref, which is not in the file; did you mean 'book'?"
    )
    assert warnings[1] == "refs.bib:15: entry 'c2' is part of a crossref cycle (c1 -> c2 -> c1); remove one crossref."


def test_one_list_of_entry_types() -> None:
    from annotated_essay import bibliography, bibtex_model, csl_json

    assert set(bibtex_model.ENTRY_TYPES) == bibliography.KNOWN_ENTRY_TYPES
    assert not hasattr(csl_json, "_CSL_TYPES")  # the CSL types come from the same mapping


def test_modules_import_in_one_direction() -> None:
    """The data model imports nothing of ours but the record bases; the reader never imports the loader."""
    import ast

    source = Path(__file__).resolve().parents[1] / "src" / "annotated_essay"

    def ours(module: str) -> set[str]:
        tree = ast.parse((source / f"{module}.py").read_text(encoding="utf-8"))
        return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}

    assert ours("bibtex_model") == {"records"} and ours("records") == set()
    assert ours("bibtex_dates") == ours("reference_links") == ours("latex_text") == set()
    assert "bibliography" not in ours("bibtex_reading") | ours("bibtex_crossref")


def test_fields_never_read_are_reported_and_metadata_is_not() -> None:
    _, warnings = one("  title = {T},\n  year = {2020},\n  keywords = {a, b},\n  bdsk-url-1 = {x},\n  jornal = {Typo}")
    assert warnings == (
        "refs.bib:6: entry 'x' field 'jornal' is not read by this site, so it never reaches the page; "
        "remove it, or use a field README lists under 'BibTeX and biblatex'.",
    )


def test_every_field_read_is_documented_in_the_readme() -> None:
    from annotated_essay.csl_json import READ_FIELDS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## BibTeX and biblatex", 1)[1].split("\n## ", 1)[0]
    assert [name for name in sorted(READ_FIELDS) if f"`{name}`" not in section] == []


@pytest.mark.parametrize(
    ("written", "escaped"),
    [("50%", "50\\%"), ("10\\% and 50%", "10\\% and 50\\%"), ("a\\\\%b", "a\\\\\\%b"), ("no percent", "no percent")],
    ids=["bare", "escaped-kept", "after-a-line-break", "none"],
)
def test_percent_as_text_escapes_only_bare_percent_signs(written: str, escaped: str) -> None:
    """The named workaround for pylatexenc, which reads every % as a comment."""
    from annotated_essay.latex_text import percent_as_text

    assert percent_as_text(written) == escaped
