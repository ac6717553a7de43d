"""The glossary's finds kept between builds: keyed by the names and the code, read back as found, pruned."""

from __future__ import annotations

import json
from pathlib import Path

from annotated_essay import content_cache
from annotated_essay.glossary import parse_glossary
from annotated_essay.glossary_match_cache import KIND, MatchTable, keep_matches, page_key, save_matches
from annotated_essay.term_matching import first_finds

GLOSSARY = """# Glossary

## Pax Americana { #pax }

*Also:* US order

Peace.

## CPC

The Communist Party of China.
"""
TEXTS = ["The CPC and the pax americana; let us go.", "Nothing here.", "US order."]
FOUND = [((4, 7, "cpc"), (16, 29, "pax americana")), (), ((0, 8, "us order"),)]


def test_a_pages_finds_are_kept_in_the_folder_and_read_back(tmp_path: Path) -> None:
    content_cache._MEMORY.clear()
    glossary = parse_glossary(GLOSSARY)
    keep_matches(glossary.names, str(tmp_path))
    assert glossary.matches_in(TEXTS) == FOUND
    save_matches(glossary.names)
    [path] = tmp_path.glob(f"{KIND}-*.json")
    # Only the texts with finds: their index, then each find.
    assert json.loads(path.read_text(encoding="utf-8")) == {
        page_key(TEXTS): '[0,4,7,"cpc",0,16,29,"pax americana",2,0,8,"us order"]'
    }

    content_cache._MEMORY.clear()  # the next build, in a new process: the same names read the same file
    again = parse_glossary(GLOSSARY)
    keep_matches(again.names, str(tmp_path))
    assert again.matches_in(TEXTS) == FOUND
    assert "_lowercase" not in vars(again.names)  # looked up, not scanned: nothing compiled
    assert again.matches_in([*TEXTS[:2], "CPC."]) == [*FOUND[:2], ((0, 3, "cpc"),)]  # a text edited: scanned
    assert "_lowercase" in vars(again.names)


def test_the_key_tells_texts_apart_however_they_split() -> None:
    assert page_key(["ab", "c"]) != page_key(["a", "bc"])
    assert page_key(["a\0b"]) != page_key(["a", "b"])
    assert page_key(["a", "b"]) == page_key(["a", "b"])


def test_other_names_are_another_table(tmp_path: Path) -> None:
    content_cache._MEMORY.clear()
    first, second = parse_glossary(GLOSSARY), parse_glossary(GLOSSARY.replace("## CPC", "## Cpc"))
    assert list(first.names.keys) == list(second.names.keys)  # the same keys, but "Cpc" matches in any case
    keep_matches(first.names, str(tmp_path))
    keep_matches(second.names, str(tmp_path))
    assert first.names.memo is not second.names.memo
    assert first.matches_in(["Cpc and cpc."]) == [()]
    assert len(second.matches_in(["Cpc and cpc."])[0]) == 2
    save_matches(first.names)
    save_matches(second.names)
    assert len(list(tmp_path.glob(f"{KIND}-*.json"))) == 2


def test_pages_nobody_looked_up_are_dropped_once_they_are_the_most(tmp_path: Path) -> None:
    path = tmp_path / f"{KIND}-x.json"
    old = {f"old page {number}": "[]" for number in range(5)}
    table = MatchTable(path, {**old, page_key(["kept"]): '[0,0,4,"kept"]'})
    assert table.recall(["kept"]) == [((0, 4, "kept"),)]
    table.keep(["new"], [()])
    table.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {
        page_key(["kept"]): '[0,0,4,"kept"]',
        page_key(["new"]): "[]",
    }


def test_a_value_not_of_this_shape_is_a_miss() -> None:
    for value in ("not json", "[0,1,2]", '[5,0,1,"x"]', '[0,"a",1,"x"]', "{}"):
        assert MatchTable(None, {page_key(["text"]): value}).recall(["text"]) is None, value


def test_a_pickled_term_table_carries_no_pattern_nor_finds() -> None:
    import pickle

    glossary = parse_glossary(GLOSSARY)
    keep_matches(glossary.names, None)
    glossary.matches_in(TEXTS)
    assert "_lowercase" in vars(glossary.names)
    loaded = pickle.loads(pickle.dumps(glossary))
    assert loaded.names.memo is None
    assert "_lowercase" not in vars(loaded.names)
    assert loaded.matches_in(TEXTS) == FOUND


def test_first_finds_are_each_names_first_and_kept_apart_from_every_find(tmp_path: Path) -> None:
    content_cache._MEMORY.clear()
    glossary = parse_glossary(GLOSSARY)
    keep_matches(glossary.names, str(tmp_path))
    texts = ["CPC, cpc and US order.", "The CPC, US order and the Pax Americana.", "CPC"]
    every = glossary.matches_in(texts)
    first = glossary.matches_in(texts, first=True)
    assert first == [((0, 3, "cpc"), (13, 21, "us order")), ((26, 39, "pax americana"),), ()]
    assert first == first_finds(every)
    assert glossary.matches_in(texts) == every  # each kept under its own key
    save_matches(glossary.names)
    [path] = tmp_path.glob(f"{KIND}-*.json")
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {page_key(texts), page_key(texts, first=True)}

    content_cache._MEMORY.clear()  # the next build reads both back without scanning
    again = parse_glossary(GLOSSARY)
    keep_matches(again.names, str(tmp_path))
    assert (again.matches_in(texts, first=True), again.matches_in(texts)) == (first, every)
    assert "_lowercase" not in vars(again.names)
