"""The glossary's finds kept between builds: keyed by the names and the code, read back as found, pruned."""

from __future__ import annotations

import json
from pathlib import Path

from annotated_essay import content_cache
from annotated_essay.glossary import parse_glossary
from annotated_essay.glossary_match_cache import KIND, MatchTable, keep_matches, save_matches

GLOSSARY = """# Glossary

## Pax Americana { #pax }

*Also:* US order

Peace.

## CPC

The Communist Party of China.
"""
TEXT = "The CPC and the pax americana; let us go."


def test_finds_are_kept_in_the_folder_and_read_back(tmp_path: Path) -> None:
    content_cache._MEMORY.clear()
    glossary = parse_glossary(GLOSSARY)
    keep_matches(glossary.names, str(tmp_path))
    found = glossary.matches(TEXT)
    assert [(match.start, match.end, match.term) for match in found] == [(4, 7, "cpc"), (16, 29, "pax americana")]
    save_matches(glossary.names)
    [path] = tmp_path.glob(f"{KIND}-*.json")
    assert json.loads(path.read_text(encoding="utf-8")) == {TEXT: "4,7,7;16,29,29"}

    content_cache._MEMORY.clear()  # the next build, in a new process: the same names read the same file
    again = parse_glossary(GLOSSARY)
    keep_matches(again.names, str(tmp_path))
    assert again.matches(TEXT) == found
    assert "_lowercase" not in vars(again.names)  # looked up, not scanned: nothing compiled


def test_other_names_are_another_table(tmp_path: Path) -> None:
    content_cache._MEMORY.clear()
    first, second = parse_glossary(GLOSSARY), parse_glossary(GLOSSARY.replace("## CPC", "## Cpc"))
    assert list(first.names.keys) == list(second.names.keys)  # the same keys, but "Cpc" matches in any case
    keep_matches(first.names, str(tmp_path))
    keep_matches(second.names, str(tmp_path))
    assert first.names.memo is not second.names.memo
    assert first.matches("Cpc and cpc.") == ()
    assert len(second.matches("Cpc and cpc.")) == 2
    save_matches(first.names)
    save_matches(second.names)
    assert len(list(tmp_path.glob(f"{KIND}-*.json"))) == 2


def test_texts_nobody_looked_up_are_dropped_once_they_are_the_most(tmp_path: Path) -> None:
    path = tmp_path / f"{KIND}-x.json"
    old = {f"old text {number}": "" for number in range(5)}
    table = MatchTable(path, {**old, "kept": ""})
    assert table.recall("kept") == ()
    table.keep("new", ())
    table.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"kept": "", "new": ""}


def test_a_pickled_term_table_carries_no_pattern_nor_finds() -> None:
    import pickle

    glossary = parse_glossary(GLOSSARY)
    keep_matches(glossary.names, None)
    glossary.matches(TEXT)
    assert "_lowercase" in vars(glossary.names)
    loaded = pickle.loads(pickle.dumps(glossary))
    assert loaded.names.memo is None
    assert "_lowercase" not in vars(loaded.names)
    assert loaded.matches(TEXT) == glossary.matches(TEXT)
