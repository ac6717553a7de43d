"""Dates of BibTeX and biblatex entries as CSL-JSON dates, with what is wrong with them.

biblatex writes dates in ISO 8601 (``date = {2025-02-27}``; year only, year and
month, full; ranges ``2025-02/2025-03``; open ranges ``2020/``; ``~`` or ``?``
for approximate or uncertain dates); BibTeX writes ``year``, ``month`` and
``day``. Both become CSL-JSON's ``{"date-parts": [...]}``. A year with a letter
(``2010a``, the editor's own disambiguation) keeps its letter as CSL's
``year-suffix``; a year that is not a number ("in press") is a literal date,
shown as written. Months and days that do not exist are reported.

No imports from this package: the reader reports problems with their line,
the CSL conversion converts, both through :func:`entry_date`.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
from typing import Any

_MONTH_NAMES = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_ISO_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?([~?%]?)")
_YEAR = re.compile(r"(\d{1,4})([a-z]?)")
_YEAR_RANGE = re.compile(r"(\d{1,4})\s*(?:--?|–|/)\s*(\d{1,4})")
#: What an editor should write instead of a date we cannot read.
DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or a range such as 2025-02/2025-03"


@dataclasses.dataclass(frozen=True)
class EntryDate:
    """A CSL-JSON date (``None``: the entry has none) and the problems found reading it."""

    csl: dict[str, Any] | None
    year_suffix: str = ""
    problems: tuple[str, ...] = ()


def entry_date(fields: dict[str, str], field: str = "date") -> EntryDate:
    """The date in ``field`` (``date``, ``urldate``, ``eventdate``, ``origdate``).

    For ``date``, BibTeX's ``year``, ``month`` and ``day`` stand in when the
    entry has no ``date`` field, as in biblatex.
    """
    written = fields.get(field, "").strip()
    if written:
        return _iso_date(field, written)
    if field != "date":
        return EntryDate(None)
    return _bibtex_date(fields)


def _iso_date(field: str, written: str) -> EntryDate:
    begin_text, slash, end_text = written.partition("/")
    begin = _ISO_DATE.fullmatch(begin_text.strip())
    end = _ISO_DATE.fullmatch(end_text.strip()) if end_text.strip() not in ("", "..") else None
    if begin is None or (slash and end is None and end_text.strip() not in ("", "..")):
        return EntryDate(None, problems=(f"{field} '{written}' is not a date biblatex reads; write {DATE_FORMS}",))
    problems: list[str] = []
    parts = [_checked_parts(field, begin, problems)]
    if end is not None:
        parts.append(_checked_parts(field, end, problems))
    elif slash:
        parts.append([0])  # an open range: CSL marks its missing end with year 0
    csl: dict[str, Any] = {"date-parts": parts}
    if begin.group(4) or (end is not None and end.group(4)):
        csl["circa"] = 1
    return EntryDate(csl, problems=tuple(problems))


def _checked_parts(field: str, match: re.Match[str], problems: list[str]) -> list[int]:
    year = int(match.group(1))
    parts = [year]
    if match.group(2):
        month = int(match.group(2))
        if 21 <= month <= 24:
            problems.append(f"{field} '{match.group(0)}' gives a season (21-24), which is not supported; give months")
            return parts
        if not 1 <= month <= 12:
            problems.append(f"{field} '{match.group(0)}' has month {month}, which does not exist; give 01 to 12")
            return parts
        parts.append(month)
        if match.group(3):
            day = int(match.group(3))
            if not _day_exists(year, month, day):
                problems.append(
                    f"{field} '{match.group(0)}' has day {day}, which {calendar.month_name[month]} "
                    f"{year} does not have; fix the day (1 to {_days_in(year, month)})"
                )
                return parts
            parts.append(day)
    return parts


def _bibtex_date(fields: dict[str, str]) -> EntryDate:
    year_text = fields.get("year", "").strip()
    if not year_text:
        return EntryDate(None)
    year = _YEAR.fullmatch(year_text)
    if year is None:
        span = _YEAR_RANGE.fullmatch(year_text)
        if span is not None:
            return EntryDate({"date-parts": [[int(span.group(1))], [int(span.group(2))]]})
        # "in press", "forthcoming", "1990s": shown as written.
        return EntryDate({"literal": year_text})
    parts = [int(year.group(1))]
    problems: list[str] = []
    month_text = fields.get("month", "").strip()
    if month_text:
        month = _month_number(month_text)
        if month is None:
            problems.append(f"month '{month_text}' is not a month; write 1 to 12 or a name such as feb")
        else:
            parts.append(month)
    day_text = fields.get("day", "").strip()
    if day_text:
        if len(parts) < 2:
            if not month_text:
                problems.append(f"day '{day_text}' is given without a month; add the month or delete the day")
            elif not (day_text.isdigit() and 1 <= int(day_text) <= 31):
                problems.append(f"day '{day_text}' does not exist in any month; fix the day (1 to 31)")
        elif not day_text.isdigit() or not _day_exists(parts[0], parts[1], int(day_text)):
            problems.append(
                f"day '{day_text}' does not exist in {calendar.month_name[parts[1]]} {parts[0]}; "
                f"fix the day (1 to {_days_in(parts[0], parts[1])})"
            )
        else:
            parts.append(int(day_text))
    return EntryDate({"date-parts": [parts]}, year_suffix=year.group(2), problems=tuple(problems))


def _month_number(text: str) -> int | None:
    lowered = text.lower().rstrip(".")
    if lowered.isdigit():
        number = int(lowered)
        return number if 1 <= number <= 12 else None
    named = _MONTH_NAMES.get(lowered[:3])
    if named is None or not calendar.month_name[named].lower().startswith(lowered):
        return None
    return named


def _day_exists(year: int, month: int, day: int) -> bool:
    return 1 <= day <= _days_in(year, month)


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year if year > 0 else 2000, month)[1]
