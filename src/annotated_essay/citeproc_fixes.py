"""Workarounds for citeproc-py 0.11 defects, each small, named and tested (tests/test_citeproc_fixes.py).

Kept apart from formatting (``references``): each fix says which CSL rule
citeproc-py breaks and what it does instead. Patches to citeproc-py's classes
are applied only inside :func:`fixed_citeproc` (the formatter's loop), and
undone after it.

- A variable rendered as a substitute (APA's title or editors in place of a
  missing author) is suppressed in the rest of the output, as CSL 1.0 says;
  citeproc-py does so only for a substitute naming a text variable directly,
  so editor-only books printed their editors twice.
- A label (``cs:label``) is rendered only when its variable is set, and in the
  style's ``text-case`` (APA's "(Ed.)", "(Eds.)"; citeproc-py wrote "(ed.)").
- BibTeX's ``and others`` ends the name list with the style's "et al.".
- A year written with a letter (``2010a``) keeps it ("2010a").
- A date range prints the parts both dates share once ("2025, February–March"),
  whichever parts the style's date element shows; citeproc-py dropped the year.
- A localized date format keeps its own delimiter ("2025 Feb 27", not "2025Feb27").
- A literal date ("in press") is printed once, not by every date element.
- With ``second-field-align`` (numbered styles), the number is set apart as
  CSL processors do: ``<span class="csl-left-margin">[3]</span>``.
- ``is-numeric="locator"`` looks at the citation's locator ("chapter 3", not "3").
- A page range keeps its last page whole unless both pages have as many digits ("1–10").

What citeproc-py is given and what it returns are prepared and tidied in
``citeproc_input``; its look-ups are memoized in ``citeproc_speed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .citeproc_input import OTHERS_LITERAL
from .citeproc_speed import Patch, memoized_lookups, reference_memoized

_DATE_PARTS = ("year", "month", "day")


class NarrativeCapture:
    """While active (see :func:`fixed_citeproc`), the first name list of a citation is taken out.

    What is left is the citation without its authors ("(2010)"); ``names`` holds
    the authors as the style's citation prints them ("Vámos et al."). This is
    Pandoc's author-in-text form, which citeproc-py does not offer.
    """

    def __init__(self) -> None:
        self.active = False
        self.names: str | None = None
        self.depth = 0


@contextmanager
def fixed_citeproc(
    style_memo: dict[tuple[Any, str], Any], capture: NarrativeCapture | None = None, labels: bool = True
) -> Iterator[None]:
    """citeproc-py with the fixes above, for the body of the ``with``; ``style_memo`` holds one style's look-ups.

    ``labels=False`` leaves out the number that ``second-field-align`` sets apart (a
    reference shown alone, such as the essay's own, has no number in the list).
    """
    from citeproc import model as csl_model

    after_sorting: list[Callable[[], None]] = []
    patches = [
        *memoized_lookups(style_memo, csl_model),
        *_substitutes_suppressed(csl_model),
        *_labels_only_with_variables(csl_model),
        *_labels_cased(csl_model),
        *_et_al_for_others(csl_model),
        *_dates_fixed(csl_model, after_sorting),
        *_page_ranges_fixed(csl_model),
        *_locator_numeric_test(csl_model),
        *_second_field_aligned(csl_model, labels),
        *reference_memoized(),
        *(_narrative(capture, csl_model) if capture is not None else []),
        *_sorting_apart(csl_model, capture, after_sorting),
    ]
    originals = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for owner, name, original in reversed(originals):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def _substitutes_suppressed(csl_model: Any) -> list[Patch]:
    """Variables rendered in ``cs:substitute`` (through macros too, names too) are suppressed afterwards."""
    original_render = csl_model.Substitute.render
    original_variable = csl_model.Text._variable
    original_names = csl_model.Names.process
    recorders: list[list[tuple[str, str]]] = []

    def recording_variable(self: Any, item: Any, context: Any) -> Any:
        text = original_variable(self, item, context)
        if text is not None and recorders:
            recorders[-1].append((self.tag, self.get("variable")))
        return text

    def names_process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        layout = (context if context is not None else self).get_layout()
        repressed = set(layout.repressed.get("names", ()))
        roles = self.get("variable", "").split()
        shown = [role for role in roles if role not in repressed]
        if repressed and len(shown) < len(roles):
            if not shown:
                raise csl_model.VariableError
            self.set("variable", " ".join(shown))
            try:
                text = original_names(self, item, names_context, context, **kwargs)
            finally:
                self.set("variable", " ".join(roles))
        else:
            text = original_names(self, item, names_context, context, **kwargs)
        if recorders and text is not None:
            recorders[-1].extend(("names", role) for role in shown if role in item.reference)
        return text

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        recorders.append([])
        try:
            text = original_render(self, item, context=context, **kwargs)
        finally:
            rendered = recorders.pop()
        if text and context is not None:
            repressed = context.get_layout().repressed
            for tag, variable in rendered:
                repressed.setdefault(tag, []).append(variable)
        return text

    return [
        (csl_model.Substitute, "render", render),
        (csl_model.Text, "_variable", recording_variable),
        (csl_model.Names, "process", names_process),
    ]


def _labels_only_with_variables(csl_model: Any) -> list[Patch]:
    """CSL renders a ``cs:label`` only when its variable is set; citeproc-py printed Chicago's "edition" always."""
    original_label = csl_model.Label.process

    def label_only_with_variable(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        name = variable or self.get("variable")
        if name not in (None, "locator", "page") and _missing(item, name):
            return None
        return original_label(self, item, variable, *args, **kwargs)

    return [(csl_model.Label, "process", label_only_with_variable)]


def _labels_cased(csl_model: Any) -> list[Patch]:
    """A label follows its ``text-case``; citeproc-py title-cases only text it is told is English, never a label.

    Labels are terms of the style's locale, so the locale's language decides
    (CSL title-cases English only).
    """

    def label_markup(self: Any, text: Any) -> Any:
        if not text:
            return None
        language = str(self.get_root().get("default-locale") or "en")[:2]
        return self.wrap(self.format(self.case(self.strip_periods(text), language)))

    return [(csl_model.Label, "markup", label_markup)]


def _missing(item: Any, variable: str) -> bool:
    try:
        return not item.reference[variable.replace("-", "_")]
    except Exception:  # citeproc-py raises its VariableError for unset variables
        return True


def _et_al_for_others(csl_model: Any) -> list[Patch]:
    """A name list ending in the ``and others`` marker is cut before it, followed by the style's "et al."."""
    original = csl_model.Name.process

    def process(
        self: Any, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kwargs: Any
    ) -> Any:
        names = item.reference.get(variable, [])
        if not names or names[-1].get("literal") != OTHERS_LITERAL:
            return original(self, item, variable, context, sort_options, **kwargs)
        named = len(names) - 1
        style_min = self.get_option("et-al-min", context, sort_options)
        style_first = self.get_option("et-al-use-first", context, sort_options)
        options = dict(sort_options or {})
        options["et-al-use-last"] = "false"  # the marker is no last name to show
        if not (style_min and len(names) >= style_min and style_first <= named):
            options["et-al-min"] = str(len(names))
            options["et-al-use-first"] = str(max(named, 1))
        return original(self, item, variable, context, options, **kwargs)

    return [(csl_model.Name, "process", process)]


def _sorting_apart(csl_model: Any, capture: NarrativeCapture | None, after: list[Callable[[], None]]) -> list[Patch]:
    """Sort keys render names and dates before the citation itself: not counted as shown, not captured."""
    original = csl_model.Sort.sort

    def sort(self: Any, *args: Any, **kwargs: Any) -> Any:
        active = capture.active if capture is not None else False
        if capture is not None:
            capture.active = False
        try:
            return original(self, *args, **kwargs)
        finally:
            if capture is not None:
                capture.active = active
            for forget in after:
                forget()

    return [(csl_model.Sort, "sort", sort)]


def _locator_numeric_test(csl_model: Any) -> list[Patch]:
    """``is-numeric="locator"`` tests the citation's locator; citeproc-py looked for it in the reference.

    So APA printed "(2010, 3)" for chapter 3, taking the branch for non-numeric locators.
    """
    original = csl_model.If._is_numeric

    def is_numeric(self: Any, item: Any) -> list[Any]:
        results = list(original(self, item))
        for index, variable in enumerate(self.get("is-numeric").split()):
            if variable == "locator" and item.has_locator:
                results[index] = self.re_numeric.match(str(item.locator.identifier)) is not None
        return results

    return [(csl_model.If, "_is_numeric", is_numeric)]


def _page_ranges_fixed(csl_model: Any) -> list[Patch]:
    """A page range "1--10" is "1–10" in every page-range format; citeproc-py's minimal forms printed "1–0".

    CSL's minimal formats drop the leading digits the last page shares with the
    first only when both have as many digits; otherwise the last page is whole.
    """
    original = csl_model.FormatNumber._format_last_page

    def format_last_page(self: Any, first: str, last: str) -> Any:
        if len(first) != len(last) or not (first.isdigit() and last.isdigit()) or first == last:
            return last
        return original(self, first, last)

    return [(csl_model.FormatNumber, "_format_last_page", format_last_page)]


def _dates_fixed(csl_model: Any, after_sorting: list[Callable[[], None]]) -> list[Patch]:
    """Year letters kept, ranges collapsed as CSL says, literal dates printed once per reference."""
    from citeproc.source import LiteralDate

    original_part = csl_model.Date_Part.process
    original_date = csl_model.Date.process
    # By item (kept alive here, so that its id is never another's): the literal dates printed.
    shown_literals: dict[int, tuple[Any, set[str]]] = {}
    after_sorting.append(shown_literals.clear)

    def part_process(self: Any, date: Any, context: Any = None) -> Any:
        text = original_part(self, date, context)
        if self.get("name") == "year" and text is not None and date.get("year_letter"):
            return f"{text}{date['year_letter']}"
        return text

    def date_process(
        self: Any, item: Any, variable: Any = None, show_parts: Any = None, context: Any = None, **kwargs: Any
    ) -> Any:
        name = variable if variable is not None else self.get("variable")
        value = item.reference.get(str(name).replace("-", "_")) if name else None
        # (A localized date element is the second step of the same date: not counted again.)
        if isinstance(value, LiteralDate) and not self.is_locale_date():
            shown = shown_literals.setdefault(id(item), (item, set()))[1]
            if name in shown:
                return None
            shown.add(name)
        return original_date(self, item, variable, show_parts, context, **kwargs)

    def render_date_range(self: Any, date_range: Any, show_parts: Any = None, context: Any = None) -> Any:
        show = list(show_parts or _DATE_PARTS)
        here = [child.get("name") for child in self.iterchildren() if child.get("name") in show]
        begin, end = date_range.begin, date_range.end
        dash = self.unicode_character("EN DASH")
        if end.is_nil():  # an open range: "2020–"
            start = self.render_single_date(begin, list(show), context)
            return None if start is None else str(start).rstrip(", ") + dash
        differing = next((part for part in _DATE_PARTS if part in here and begin.get(part) != end.get(part)), None)
        if differing is None:
            return self.render_single_date(begin, list(show), context)
        level = _DATE_PARTS.index(differing)
        varying = [part for part in here if _DATE_PARTS.index(part) >= level]
        shared = [part for part in here if part not in varying]
        first = self.render_single_date(begin, list(varying), context)
        last = self.render_single_date(end, list(varying), context)
        if first is None or last is None:
            return None
        text = str(first).rstrip(", ") + dash + str(last)
        if not shared:
            return text
        common = self.render_single_date(end, list(shared), context)
        joiner = context if context is not None else self
        order = [text, common] if here[0] in varying else [common, text]
        return joiner.join([part for part in order if part])

    original_single = csl_model.Date.render_single_date

    def render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
        # A localized date format's delimiter ("2025 Feb 27") is its own; citeproc-py took the caller's.
        if context is not None and context is not self and self.get("delimiter") is not None and self.is_locale_date():
            parts = self.parts(date, show_parts, context)
            return self.join(parts) if parts else None
        return original_single(self, date, show_parts, context)

    return [
        (csl_model.Date, "render_single_date", render_single_date),
        (csl_model.Date_Part, "process", part_process),
        (csl_model.Date, "process", date_process),
        (csl_model.Date, "render_date_range", render_date_range),
    ]


def _second_field_aligned(csl_model: Any, labels: bool) -> list[Patch]:
    """With ``second-field-align``, the first field (the number) in its own span, as citeproc-js does."""
    original = csl_model.Layout.render_bibliography

    def render_bibliography(self: Any, citation_items: Any) -> Any:
        children = list(self.iterchildren())
        if self.getparent().get("second-field-align") is None or len(children) < 2:
            return original(self, citation_items)
        output = []
        for item in citation_items:
            self.repressed = {}
            label = _render_some(self, item, children[:1], csl_model)
            body = _render_some(self, item, children[1:], csl_model)
            if body is None:
                continue
            text = str(self.format(self.wrap(body)))
            if label is not None and labels:
                text = f'<span class="csl-left-margin">{label}</span> <span class="csl-right-inline">{text}</span>'
            output.append(text)
        return output

    return [(csl_model.Layout, "render_bibliography", render_bibliography)]


def _render_some(layout: Any, item: Any, children: list[Any], csl_model: Any) -> Any:
    """``Parent.render_children`` for some of ``layout``'s children."""
    from citeproc.string import join

    output = []
    for child in children:
        try:
            text = child.render(item, delimiter="") if isinstance(child, csl_model.Choose) else child.render(item)
        except csl_model.VariableError:
            continue
        if text is not None:
            output.append(text)
    return join(output, layout.get("delimiter", "")) if output else None


def _narrative(capture: NarrativeCapture, csl_model: Any) -> list[Patch]:
    """While ``capture.active``, the first top-level name list rendered is kept aside instead of printed."""
    original = csl_model.CitationStylesElement.render

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not capture.active or capture.names is not None:
            return original(self, *args, **kwargs)
        capture.depth += 1
        try:
            text = original(self, *args, **kwargs)
        finally:
            capture.depth -= 1
        if capture.depth == 0 and capture.names is None and text:
            capture.names = str(text)
            return None
        return text

    return [(csl_model.Names, "render", render)]
