"""The timeline's data file: events editors write in YAML, read with the line of every value.

Editors keep the timeline in a YAML list (``docs/timeline.yml``), one mapping per
event. The file is read through PyYAML's node tree rather than into plain Python
values, for two reasons: every mistake can name its ``file:line``, and dates stay
the text the editor wrote (PyYAML would turn ``1969-03-02`` into a ``date`` but
leave ``1969-03`` a string and ``1969`` an integer).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import yaml

from .lazy_regex import on_first_use
from .records import FrozenRecord, Record
from .wording import MONTH_NAMES

#: A date as editors write it: a year, a month or a day.
_DATE = on_first_use(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
_ID = on_first_use(r"^[a-z][a-z0-9-]*$")
_ESSAY_LINK = on_first_use(r"^(?P<page>[^#\s]+\.md)#(?P<anchor>[A-Za-z][A-Za-z0-9_:.-]*)$")
FIELDS = ("date", "end", "title", "text", "uncertain", "glossary", "essay", "id")


class When(FrozenRecord):
    """A date as precise as the editors know it: year, month and day, or fewer."""

    _fields = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        vars(self).update(year=year, month=month, day=day)

    @property
    def iso(self) -> str:
        """For ``<time datetime>``: ``1969``, ``1969-03`` or ``1969-03-02``."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Year, month, day; an unknown month or day sorts first."""
        return (self.year, self.month or 0, self.day or 0)

    def text(self) -> str:
        """``2 March 1969``, ``March 1969`` or ``1969``."""
        if self.month is None:
            return str(self.year)
        month = MONTH_NAMES[self.month - 1]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"


def date_range_text(start: When, end: When | None) -> str:
    """``9–11 July 1971``, ``21 February – 3 March 1972``, ``September 1963 – July 1964``."""
    if end is None:
        return start.text()
    same_precision = (start.month is None) == (end.month is None) and (start.day is None) == (end.day is None)
    if same_precision and start.day and end.day and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.text()}"
    if same_precision and start.year == end.year and start.month and end.month:
        head = f"{start.day} {MONTH_NAMES[start.month - 1]}" if start.day else MONTH_NAMES[start.month - 1]
        return f"{head} – {end.text()}"
    if same_precision and start.month is None:
        return f"{start.year}–{end.year}"
    return f"{start.text()} – {end.text()}"


class Event(FrozenRecord):
    """One event of the timeline, with the line it starts on."""

    _fields = ("line", "when", "title", "end", "text", "uncertain", "glossary", "essay", "id")
    line: int
    when: When
    title: str
    end: When | None
    text: str
    uncertain: str
    #: Glossary ids, each with the line it was written on.
    glossary: tuple[tuple[str, int], ...]
    #: ``(page.md, anchor, line)`` of each essay passage.
    essay: tuple[tuple[str, str, int], ...]
    id: str

    def __init__(
        self,
        line: int,
        when: When,
        title: str,
        end: When | None = None,
        text: str = "",
        uncertain: str = "",
        glossary: tuple[tuple[str, int], ...] = (),
        essay: tuple[tuple[str, str, int], ...] = (),
        id: str = "",
    ) -> None:
        vars(self).update(
            line=line,
            when=when,
            title=title,
            end=end,
            text=text,
            uncertain=uncertain,
            glossary=glossary,
            essay=essay,
            id=id,
        )


class Timeline(Record):
    """The events of a data file, sorted by date, and what was wrong with it."""

    _fields = ("path", "events", "warnings")
    path: str
    events: list[Event]
    warnings: list[str]

    def __init__(self, path: str, events: list[Event] | None = None, warnings: list[str] | None = None) -> None:
        self.path = path
        self.events = [] if events is None else events
        self.warnings = [] if warnings is None else warnings


def parse_timeline(text: str, path: str) -> Timeline:
    """Read the events in ``text`` (the file at ``path``, named in messages).

    Every problem becomes a warning naming ``path:line`` and what to do; an event
    with a problem that leaves it without a date or a title is left out, and its
    warning says so.
    """
    timeline = Timeline(path)

    def warn(line: int, message: str) -> None:
        timeline.warnings.append(f"{path}:{line}: {message}")

    try:
        # libyaml's loader when PyYAML has it: 10x faster, the same nodes and marks. A file
        # it rejects is read again by PyYAML's own, whose messages and lines warnings give.
        try:
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        warn(line, f"the file is not valid YAML ({problem}); fix the indentation or quoting there.")
        return timeline
    if root is None:
        warn(1, "the timeline is empty; add events as a YAML list ('- date: 1950-02-14').")
        return timeline
    if not isinstance(root, yaml.SequenceNode):
        warn(root.start_mark.line + 1, "the timeline must be a YAML list of events; start each with '- date: ...'.")
        return timeline
    for node in root.value:
        event = _event(node, warn)
        if event is not None:
            timeline.events.append(event)
    timeline.events.sort(key=lambda event: (event.when.sort_key, event.line))
    return timeline


def _event(node: yaml.Node, warn: Callable[[int, str], None]) -> Event | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        warn(line, "an event must be a mapping of fields ('date:', 'title:' …); this one is left out.")
        return None
    values: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in FIELDS:
            warn(key_node.start_mark.line + 1, f"unknown field '{key}'; use one of {', '.join(FIELDS)}.")
        elif key in values:
            warn(key_node.start_mark.line + 1, f"the field '{key}' is given twice; keep one.")
        else:
            values[key] = value_node

    def scalar(name: str) -> tuple[str, int] | None:
        value = values.get(name)
        if value is None:
            return None
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            warn(value.start_mark.line + 1, f"'{name}' must be a single piece of text; write it on one line.")
            return None
        return str(value.value).strip(), value.start_mark.line + 1

    date = scalar("date")
    title = scalar("title")
    if date is None or title is None:
        missing = " and ".join(name for name, value in (("date", date), ("title", title)) if value is None)
        warn(line, f"the event has no usable {missing}; add it, or the event is left out.")
        return None
    when = _when(*date, warn)
    if when is None:
        return None
    end = None
    end_value = scalar("end")
    if end_value is not None:
        end = _when(*end_value, warn, lost="the event is shown without its end")
        if end is not None and end.sort_key < when.sort_key:
            warn(end_value[1], f"'end' ({end.iso}) is before 'date' ({when.iso}); fix or swap them.")
            end = None
    event_id = scalar("id")
    if event_id is not None and not _ID.match(event_id[0]):
        warn(event_id[1], f"the id '{event_id[0]}' is not usable; write lowercase letters, digits and hyphens.")
        event_id = None
    essay: list[tuple[str, str, int]] = []
    for link, link_line in _texts(values.get("essay"), "essay", warn):
        match = _ESSAY_LINK.match(link)
        if match is None:
            warn(link_line, f"'{link}' is not a link to a passage; write it as 'essay/page.md#passage-id'.")
        else:
            essay.append((match.group("page"), match.group("anchor"), link_line))
    return Event(
        line=line,
        when=when,
        end=end,
        title=title[0],
        text=(scalar("text") or ("", 0))[0],
        uncertain=(scalar("uncertain") or ("", 0))[0],
        glossary=tuple(_texts(values.get("glossary"), "glossary", warn)),
        essay=tuple(essay),
        id=event_id[0] if event_id else "",
    )


def _texts(node: yaml.Node | None, name: str, warn: Callable[[int, str], None]) -> list[tuple[str, int]]:
    """One text or a list of texts, each with its line."""
    if node is None:
        return []
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    found: list[tuple[str, int]] = []
    for item in items:
        if isinstance(item, yaml.ScalarNode) and str(item.value).strip():
            found.append((str(item.value).strip(), item.start_mark.line + 1))
        else:
            warn(item.start_mark.line + 1, f"'{name}' takes a name or a list of names; write them as text.")
    return found


def _when(text: str, line: int, warn: Callable[[int, str], None], lost: str = "the event is left out") -> When | None:
    match = _DATE.match(text)
    if match is None:
        warn(line, f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD ({lost}).")
        return None
    year = int(match.group("year"))
    month = int(match.group("month")) if match.group("month") else None
    day = int(match.group("day")) if match.group("day") else None
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        warn(line, f"'{text}' is not a real date; check the month and the day ({lost}).")
        return None
    return When(year, month, day)
