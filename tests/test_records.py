"""Record classes (``records``) behave as the dataclasses they replace: repr, equality, hash, immutability."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import annotated_essay
from annotated_essay.bibtex_model import BibEntry, Bibliography, Person
from annotated_essay.records import FrozenRecord, Record
from annotated_essay.site_index import SiteIndex, SitePage
from annotated_essay.timeline_data import Event, Timeline, When

#: Parameters a record keeps but neither shows nor compares (``field(repr=False, compare=False)`` before).
HIDDEN: dict[type, set[str]] = {SiteIndex: {"config", "_by_uri"}}


def _records() -> list[type[Record]]:
    for module in pkgutil.iter_modules(annotated_essay.__path__):
        importlib.import_module(f"annotated_essay.{module.name}")
    found: list[type[Record]] = []
    pending: list[type[Record]] = [Record]
    while pending:
        cls = pending.pop()
        found.extend(sub for sub in cls.__subclasses__() if sub.__module__.startswith("annotated_essay."))
        pending.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda cls: cls.__qualname__)


def _twin(cls: type[Record]) -> type:
    """The dataclass ``cls`` stands for: its fields, shown and compared as ``cls`` says."""
    parameters = list(inspect.signature(cls).parameters.values())
    compared = set(cls._fields if cls._compared is None else cls._compared)
    fields: list[Any] = []
    for parameter in parameters:
        default = {} if parameter.default is inspect.Parameter.empty else {"default": parameter.default}
        shown = parameter.name in cls._fields
        fields.append(
            (parameter.name, Any, dataclasses.field(repr=shown, compare=parameter.name in compared, **default))
        )
    twin = dataclasses.make_dataclass(cls.__name__, fields, frozen=issubclass(cls, FrozenRecord))
    twin.__qualname__ = cls.__qualname__
    return twin


def test_every_record_names_each_parameter_of_its_init_once() -> None:
    """A field left out of ``_fields`` would drop out of repr and equality unnoticed."""
    records = _records()
    assert len(records) >= 16
    for cls in records:
        if "_fields" not in vars(cls):  # a subclass with an __init__ of its own, using its base's fields
            continue
        parameters = list(inspect.signature(cls).parameters)
        assert len(set(cls._fields)) == len(cls._fields), cls
        assert [name for name in parameters if name not in HIDDEN.get(cls, set())] == list(cls._fields), cls
        assert set(cls._compared or ()) <= set(cls._fields), cls


SAMPLES: list[tuple[Any, Any]] = [
    (When(1969, 3, 2), When(1969, 3)),
    (Event(4, When(1969), "Zhenbao", text="t"), Event(4, When(1969), "Zhenbao", text="u")),
    (Timeline("t.yml"), Timeline("t.yml", warnings=["w"])),
    (
        SitePage("a.md", "a/", None, "# A", 0, Path("/d/a.md"), True, {"title": "A"}, "1"),
        SitePage("a.md", "a/", None, "# A", 0, Path("/d/a.md"), True, {"title": "B"}, "2"),
    ),
    (
        BibEntry("k", "book", {"title": "T"}, {"author": (Person("Vámos"),)}, 3),
        BibEntry("k", "book", {"title": "T"}, {"author": (Person("Vámos"),)}, 3, parent="p"),
    ),
    (
        SiteIndex(Path("/m.yml"), Path("/d"), Path("/s"), None, True, (), {}, (("toc", {}),), {"a": 1}, "d"),
        SiteIndex(Path("/m.yml"), Path("/d"), Path("/s"), "u", True, (), {}, (), {"a": 1}, "d", {}),
    ),
]


@pytest.mark.parametrize(("one", "other"), SAMPLES, ids=lambda value: type(value).__name__)
def test_records_repr_compare_and_hash_as_their_dataclass(one: Any, other: Any) -> None:
    cls = type(one)
    twin = _twin(cls)

    def as_twin(record: Any) -> Any:
        return twin(**{name: getattr(record, name) for name in inspect.signature(cls).parameters})

    for record in (one, other):
        assert repr(record) == repr(as_twin(record))
        copy = as_twin(record)
        assert (record == record) is (copy == copy) is True
    assert (one == other) is (as_twin(one) == as_twin(other))
    assert (one != other) is (as_twin(one) != as_twin(other))
    assert one != as_twin(one)  # another class: never equal, as dataclasses
    for record in (one, other):
        try:
            expected: object = hash(as_twin(record))
        except TypeError as error:
            expected = type(error)
        try:
            got: object = hash(record)
        except TypeError as error:
            got = type(error)
        assert got == expected
    if issubclass(cls, FrozenRecord):
        with pytest.raises(dataclasses.FrozenInstanceError):
            one.line = 1
        with pytest.raises(dataclasses.FrozenInstanceError):
            del one.line
    assert pickle.loads(pickle.dumps(one)) == one


def test_site_page_compares_without_its_front_matter_and_site_index_without_its_config() -> None:
    page = SitePage("a.md", "a/", None, "# A", 0, Path("/d/a.md"), True, {"title": "A"}, "1")
    same = SitePage("a.md", "a/", None, "# A", 0, Path("/d/a.md"), True, {"title": "B"}, "1")
    assert page == same and hash(page) == hash(same)
    assert "meta={'title': 'A'}" in repr(page)

    def index(config: dict[str, Any]) -> SiteIndex:
        return SiteIndex(Path("/m.yml"), Path("/d"), Path("/s"), None, True, (page,), {}, (), config, "d")

    assert index({"a": 1}) == index({"b": 2})
    assert " config=" not in repr(index({"a": 1})) and "_by_uri" not in repr(index({}))


def test_a_pickled_bibliography_loads_as_equal_records() -> None:
    entry = BibEntry("k", "book", {"title": "T"}, {"author": (Person("Vámos"),)}, 3)
    bibliography = Bibliography("refs.bib", {"k": entry}, ("a warning",))
    loaded = pickle.loads(pickle.dumps(bibliography))
    assert loaded == bibliography and loaded.digest == bibliography.digest
    assert loaded.entries["k"] == entry and loaded.entries["k"].fields == {"title": "T"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.path = "other.bib"
