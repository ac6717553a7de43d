"""Patterns compiled on first use (``lazy_regex``) match as ``re.compile`` would, and every one compiles."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import annotated_essay
from annotated_essay import citation_syntax
from annotated_essay.lazy_regex import _OnFirstUse, on_first_use


def test_a_pattern_is_compiled_when_first_used_and_answers_as_re() -> None:
    written = r"(?P<word>\w+)-(\d+)"
    lazy = on_first_use(written, re.IGNORECASE)
    compiled = re.compile(written, re.IGNORECASE)
    assert "match" not in vars(lazy)  # nothing compiled yet
    text = "see Page-12 and Chap-3, PP-4"
    assert lazy.search(text, 4).groupdict() == compiled.search(text, 4).groupdict()  # type: ignore[union-attr]
    assert "match" in vars(lazy)  # compiled once: later calls go to the compiled pattern's methods
    assert lazy.match(text) is None and compiled.match(text) is None
    assert lazy.fullmatch("a-1").group(0) == "a-1"  # type: ignore[union-attr]
    assert lazy.sub(r"<\1>", text) == compiled.sub(r"<\1>", text)
    assert lazy.split(text) == compiled.split(text)
    assert lazy.findall(text) == compiled.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert (lazy.pattern, lazy.flags, lazy.groups) == (compiled.pattern, compiled.flags, compiled.groups)
    assert lazy.groupindex == compiled.groupindex  # not kept: read through the compiled pattern


def _lazy_patterns() -> list[tuple[str, _OnFirstUse]]:
    found = []
    for module in pkgutil.iter_modules(annotated_essay.__path__):
        loaded = importlib.import_module(f"annotated_essay.{module.name}")
        found += [
            (f"{module.name}.{name}", value) for name, value in vars(loaded).items() if isinstance(value, _OnFirstUse)
        ]
    return found


def test_every_pattern_compiled_on_first_use_compiles() -> None:
    """A mistake in one would otherwise surface only on the page (or slip) that first needs it."""
    patterns = _lazy_patterns()
    assert len(patterns) >= 15
    for name, pattern in patterns:
        assert isinstance(pattern.pattern, str), name  # reading it compiles it (re.error otherwise)


@pytest.mark.parametrize(
    "text",
    ["@a", "-@a", "@{https://x.org/y}", "@a.", "x@a", "@@a", "@", "-@", "@Vámos2010", "@a:b", "@a//b", " @a", "@a-"],
)
def test_a_bare_key_is_matched_as_by_its_own_pattern(text: str) -> None:
    """``_ONLY_KEY`` is ``_AT_KEY`` (one pattern fewer): with ``fullmatch`` the lookbehind always holds."""
    own = re.compile(rf"(?P<minus>-?)@{citation_syntax.KEY_PATTERN}")
    expected = own.fullmatch(text)
    found = citation_syntax._ONLY_KEY.fullmatch(text)
    assert (found.groupdict() if found else None) == (expected.groupdict() if expected else None)
