"""What is kept between builds in the cache folder: the parsed bibliography and text derived from it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotated_essay import disk_cache, essay_meta
from annotated_essay.bibliography import Bibliography, load_bibliography, parse_bibliography
from annotated_essay.citations import CitationRecord, CitedItem, PageCitations

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
    first = disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    assert [path.suffix for path in (tmp_path / "cache").iterdir()] == [".pickle"]
    monkeypatch.setattr(disk_cache, "_LOADED", {})  # as a new process would start

    def no_parsing(path: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(disk_cache, "load_bibliography", no_parsing)
    again = disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    assert again == first == load_bibliography(bib)
    assert again.digest == first.digest  # carried in the pickle, not recomputed


def test_a_damaged_cache_file_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    (pickled,) = (tmp_path / "cache").iterdir()
    pickled.write_bytes(b"not a pickle")
    monkeypatch.setattr(disk_cache, "_LOADED", {})
    assert disk_cache.load_bibliography_cached(bib, tmp_path / "cache") == load_bibliography(bib)


def test_bibliography_digest_follows_entries_and_their_order() -> None:
    first = parse_bibliography(BIB)
    assert parse_bibliography(BIB).digest == first.digest
    assert parse_bibliography(BIB.replace("Fine", "Finer")).digest != first.digest
    assert parse_bibliography(TWO + OK).digest != first.digest


def test_derived_text_is_computed_once_per_key(tmp_path: Path) -> None:
    compute = Counting("derived")
    for _ in range(2):
        assert disk_cache.cached_text(tmp_path, "kind", ["a", "b"], compute, code=[essay_meta]) == "derived"
    assert compute.calls == 1
    assert disk_cache.cached_text(tmp_path, "kind", ["a", "c"], compute, code=[essay_meta]) == "derived"
    assert disk_cache.cached_text(tmp_path, "kind", ["a", "b"], compute, code=[disk_cache]) == "derived"
    assert compute.calls == 3  # another key, other code: computed again
    assert sorted(path.name.rsplit("-", 1)[0] for path in tmp_path.iterdir()) == ["kind"] * 3


def test_derived_text_without_a_usable_folder_is_computed(tmp_path: Path) -> None:
    compute = Counting("derived")
    assert disk_cache.cached_text(None, "kind", ["a"], compute) == "derived"
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    assert disk_cache.cached_text(blocked, "kind", ["a"], compute) == "derived"
    assert compute.calls == 2


def test_cited_references_and_csl_json_come_from_the_cache_unchanged(tmp_path: Path) -> None:
    bibliography = parse_bibliography(BIB)
    page = PageCitations()
    page.records.append(CitationRecord("citation-1", (CitedItem("two"), CitedItem("ok2020"))))
    uncached = essay_meta.cited_references(bibliography, [page])
    assert uncached[0].startswith("citation_title=A & B; citation_author=Müller, Hans")
    for _ in range(2):
        assert essay_meta.cited_references(bibliography, [page], str(tmp_path)) == uncached
        assert essay_meta.references_csl_json(bibliography, str(tmp_path)) == essay_meta.references_csl_json(
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


def _loaded_twice(bib: Path, tmp_path: Path) -> Bibliography:
    disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    disk_cache._LOADED.clear()  # as a new process would start
    return disk_cache.load_bibliography_cached(bib, tmp_path / "cache")


def test_unused_cache_files_of_ours_are_deleted_after_a_month(tmp_path: Path) -> None:
    month = disk_cache.UNUSED_FOR
    names = ["bibliography-a.pickle", "references-b.json", "references-json-c.txt", "scholar-references-d.txt"]
    names += [".references-b.json.123.tmp", "other-tool.json"]
    for name in [*names, "bibliography-fresh.pickle"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "references-folder").mkdir()
    now = time.time()
    for name in names:
        os.utime(tmp_path / name, (now - month - 60, now - month - 60))
    deleted = disk_cache.prune(tmp_path, now=now)
    assert sorted(path.name for path in deleted) == sorted(names[:-1])
    kept = sorted(path.name for path in tmp_path.iterdir())
    assert kept == ["bibliography-fresh.pickle", "other-tool.json", "references-folder"]
    assert disk_cache.prune(tmp_path / "missing") == []


def test_reading_a_cache_file_counts_as_using_it(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    (pickled,) = (tmp_path / "cache").iterdir()
    old = time.time() - disk_cache.UNUSED_FOR - 60
    os.utime(pickled, (old, old))
    disk_cache._LOADED.clear()  # as a new process would start
    disk_cache.load_bibliography_cached(bib, tmp_path / "cache")
    assert pickled.stat().st_mtime > old + 60
    assert disk_cache.prune(tmp_path / "cache") == []
