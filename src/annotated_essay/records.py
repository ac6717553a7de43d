"""Record classes without ``dataclasses``' start-up cost: the same repr, equality, hash and immutability.

``dataclasses.dataclass`` writes each class's ``__init__``, ``__repr__`` and
``__eq__`` (and, frozen, ``__setattr__``, ``__delattr__`` and ``__hash__``) as
source text and compiles it when the module is imported: 0.15-0.5 ms a class
(Python 3.11), about 5 ms for the package's records, paid by every build and
every ``mkdocs serve`` start before a page is read. Here the methods are
written once, in these two base classes; a record writes its ``__init__`` and
names its fields, and behaves as the dataclass did:

- ``repr(r)`` is ``Name(field=value, ...)`` over :attr:`Record._fields`;
- ``==`` compares records of the same class field by field
  (:attr:`Record._compared`, all fields unless a record says otherwise) and
  mutable records are unhashable, as ``@dataclass`` makes them;
- a :class:`FrozenRecord` refuses assignment and deletion with
  ``dataclasses.FrozenInstanceError`` and hashes its compared fields, as
  ``@dataclass(frozen=True)``; its ``__init__`` fills ``vars(self)`` directly.

Instances keep a ``__dict__``, so they pickle (``content_cache``) and take
``functools.cached_property`` as before.
"""

from __future__ import annotations

import dataclasses
import reprlib
from typing import Any, ClassVar, NoReturn


class Record:
    """Base of a mutable record: ``repr`` and ``==`` over its fields, unhashable (a dataclass's defaults)."""

    __slots__ = ()
    #: The fields in ``__init__``'s order: what ``repr`` shows.
    _fields: ClassVar[tuple[str, ...]] = ()
    #: The fields ``==`` (and a frozen record's hash) compare; None: all of :attr:`_fields`.
    _compared: ClassVar[tuple[str, ...] | None] = None

    def _values(self) -> tuple[Any, ...]:
        names = self._fields if self._compared is None else self._compared
        return tuple(getattr(self, name) for name in names)

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)  # for mypy: the same class
        return self._values() == other._values()

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable and compared by value: unhashable


class FrozenRecord(Record):
    """Base of an immutable record: as :class:`Record`, hashable, and refusing assignment after ``__init__``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]  # Record is unhashable; a frozen one is hashable
        return hash(self._values())
