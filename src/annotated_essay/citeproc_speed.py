"""citeproc-py made fast enough for thousands of references: look-ups in the style memoized.

Applied with the fixes (``citeproc_fixes.fixed_citeproc``) and undone after.
Neither changes what is printed (``tests/test_references.py`` compares).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Patch = tuple[type, str, Any]


def memoized_lookups(memo: dict[tuple[Any, str], Any], csl_model: Any) -> list[Patch]:
    """Memoize citeproc-py's XPath look-ups in the style.

    citeproc-py finds every macro, layout and inherited option with an XPath
    query each time it renders an element: about 260 queries per reference with
    APA, most of the formatting time. The style and locale trees never change,
    so each (element, query) result is computed once per style and process.
    The memo keeps the elements alive, so lxml hands out the same objects again.
    """

    def memoized(original: Callable[..., Any], name: str) -> Callable[..., Any]:
        def lookup(self: Any, *args: str) -> Any:
            key = (self, args[0] if args else name)
            found = memo.get(key)
            if found is None:
                found = memo[key] = original(self, *args)
            return found

        return lookup

    # calls_variable() (does an element render a variable?) only depends on the
    # style too; citeproc-py recomputes it through every macro for each group.
    owners = [
        (csl_model.CitationStylesElement, "xpath_search"),
        (csl_model.Parent, "calls_variable"),
        (csl_model.Text, "calls_variable"),
    ]
    return [(owner, name, memoized(owner.__dict__[name], f"{name}()")) for owner, name in owners]


def reference_memoized() -> list[Patch]:
    """An item's reference, looked up through three properties some 300 times per reference, kept."""
    from citeproc import CitationItem

    reference_property = CitationItem.__dict__["reference"]
    last: list[Any] = [None, None]

    def reference(self: Any) -> Any:
        # It cannot change while the item is rendered; the item is kept too, so it is never mistaken for another.
        if last[0] is not self:
            last[1] = reference_property.fget(self)
            last[0] = self
        return last[1]

    return [(CitationItem, "reference", property(reference))]
