"""Unit tests of the timeline: the data file's reader and the rendering, Markdown in, exact HTML out."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import NoReturn

import markdown
import pytest

from annotated_essay.timeline import TimelineExtension
from annotated_essay.timeline_data import When, date_range_text, parse_timeline

REPO = Path(__file__).resolve().parents[1]

ONE_EVENT = """\
- date: 1969-03-02
  end: 1969-03-15
  title: Clashes on *Zhenbao* Island
  text: Border troops fight.
  uncertain: The number of dead.
  glossary: zhenbao
  essay: essay/step.md#zhenbao-1969
"""


def convert(tmp_path: Path, data: str, source: str = "::: timeline\n") -> str:
    path = tmp_path / "timeline.yml"
    path.write_text(data, encoding="utf-8")
    extension = TimelineExtension(data=str(path), first_year=1960, last_year=1970)
    return markdown.Markdown(extensions=[extension]).convert(source)


def test_one_event_exact_html(tmp_path: Path) -> None:
    html = convert(tmp_path, ONE_EVENT)
    events = html[html.index('<h2 class="timeline-decade"') :]
    assert events == "\n".join(
        [
            '<h2 class="timeline-decade" id="decade-1960">1960s</h2>',
            '<ol class="timeline-events">',
            '<li class="timeline-event">',
            '<h3 id="1969-03-02-clashes-on-zhenbao-island">Clashes on <em>Zhenbao</em> Island</h3>',
            '<p class="timeline-date"><time datetime="1969-03-02">2–15 March 1969</time></p>',
            "<p>Border troops fight.</p>",
            '<p class="timeline-uncertain"><strong>Uncertain:</strong> The number of dead.</p>',
            '<p class="timeline-links"><span>Glossary: <a href="glossary:zhenbao">zhenbao</a></span> · '
            '<span>In the essay: <a href="essay/step.md#zhenbao-1969">essay/step.md</a></span></p>',
            "</li>",
            "</ol>",
            "</div>",
        ]
    )
    # The overview: an axis from 1960 to 1970 with one dot, described for screen readers.
    overview = html[: html.index("<h2")]
    assert overview.startswith('<div class="timeline">\n<figure class="timeline-overview"><svg ')
    assert 'aria-label="Overview: 1 event from 1960 to 1970, one dot each; the most in 1969."' in overview
    assert overview.count("<circle") == 1 and overview.count('class="timeline-year"') == 2


def test_events_are_sorted_and_grouped_by_decade(tmp_path: Path) -> None:
    data = "- {date: '2001-07-16', title: B}\n- {date: '1950', title: A}\n- {date: 1950-02, title: C}\n"
    html = convert(tmp_path, data)
    assert re.findall(r"<h3 [^>]*>(\w)</h3>", html) == ["A", "C", "B"]
    assert re.findall(r'<h2 class="timeline-decade" id="decade-(\d+)">', html) == ["1950", "2000"]
    assert '<time datetime="1950">1950</time>' in html and '<time datetime="1950-02">February 1950</time>' in html


def test_ids_given_and_repeated(tmp_path: Path) -> None:
    data = "- {date: '1950', title: Same}\n- {date: '1950', title: Same}\n- {date: '1951', title: X, id: my-id}\n"
    html = convert(tmp_path, data)
    assert re.findall(r'<h3 id="([^"]+)"', html) == ["1950-same", "1950-same-2", "my-id"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (When(1971, 7, 9), When(1971, 7, 11), "9–11 July 1971"),
        (When(1972, 2, 21), When(1972, 3, 3), "21 February – 3 March 1972"),
        (When(1963, 9), When(1964, 7), "September 1963 – July 1964"),
        (When(1963, 9), When(1963, 11), "September – November 1963"),
        (When(1966), When(1976), "1966–1976"),
        (When(1971, 12, 30), When(1972, 1, 2), "30 December 1971 – 2 January 1972"),
        (When(1953, 9), None, "September 1953"),
    ],
)
def test_date_ranges_read_naturally(start: When, end: When | None, expected: str) -> None:
    assert date_range_text(start, end) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("- date: 1969-02-30\n  title: X\n", "t.yml:1: '1969-02-30' is not a real date"),
        ("- date: March 1969\n  title: X\n", "t.yml:1: 'March 1969' is not a date; write YYYY"),
        ("- title: X\n", "t.yml:1: the event has no usable date; add it"),
        ("- date: 1969\n  title: X\n  colour: red\n", "t.yml:3: unknown field 'colour'; use one of"),
        ("- date: 1969\n  title: X\n  title: Y\n", "t.yml:3: the field 'title' is given twice"),
        ("- date: 1969\n  end: 1968\n  title: X\n", "t.yml:2: 'end' (1968) is before 'date' (1969)"),
        ("- date: 1969\n  title: X\n  essay: opening.md\n", "t.yml:3: 'opening.md' is not a link to a passage"),
        ("- date: 1969\n  title: X\n  id: Not An Id\n", "t.yml:3: the id 'Not An Id' is not usable"),
        ("- date: 1969\n  title: [a, b]\n", "t.yml:2: 'title' must be a single piece of text"),
        ("- date: 1969\n  title: X\n  glossary: {a: b}\n", "t.yml:3: 'glossary' takes a name or a list"),
        ("- just text\n", "t.yml:1: an event must be a mapping"),
        ("date: 1969\n", "t.yml:1: the timeline must be a YAML list"),
        ("- date: 1969\n  title: 'X\n", "t.yml:3: the file is not valid YAML"),
        ("", "t.yml:1: the timeline is empty"),
    ],
)
def test_bad_data_is_reported_at_its_line(data: str, expected: str) -> None:
    warnings = parse_timeline(data, "t.yml").warnings
    assert any(warning.startswith(expected) for warning in warnings), warnings


def test_missing_data_file_is_reported(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    extension = TimelineExtension(data=str(tmp_path / "absent.yml"))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.annotated_essay.timeline"):
        markdown.Markdown(extensions=[extension]).convert("::: timeline\n")
    assert "the timeline's data file cannot be read (FileNotFoundError); create it" in caplog.text


def test_the_editions_timeline_is_clean_and_large_enough() -> None:
    timeline = parse_timeline((REPO / "docs" / "timeline.yml").read_text(encoding="utf-8"), "docs/timeline.yml")
    assert timeline.warnings == []
    assert len(timeline.events) >= 25
    years = [event.when.year for event in timeline.events]
    assert min(years) == 1949 and max(years) == 2025
    dates = {event.when.iso: event.title for event in timeline.events}
    for iso in ("1950-02-14", "1956-02-14", "1960-07", "1969-03-02", "1969-08-13", "1971-04-10", "1971-07-09"):
        assert iso in dates, iso
    for iso in ("1972-02-21", "1989-05-15", "2001-07-16", "2022-02-04", "2023-03-20"):
        assert iso in dates, iso
    for iso in ("2025-02-12", "2025-02-14", "2025-02-18", "2025-02-24"):
        assert iso in dates, iso


def _build_in_new_process(
    data: str, tmp_path: Path, cache: Path | None, caplog: pytest.LogCaptureFixture
) -> tuple[str, list[str]]:
    """The timeline page converted from ``data`` as a new process would: only the cache folder kept.

    Returns its HTML and the timeline's warnings.
    """
    from annotated_essay import content_cache
    from annotated_essay.citations import CitationsExtension

    bib = tmp_path / "refs.bib"
    bib.write_text("@book{doe2019, author = {Doe, Jane}, title = {A Book}, year = {2019}}\n", encoding="utf-8")
    path = tmp_path / "timeline.yml"
    path.write_text(data, encoding="utf-8")
    for kind in ("timeline", "drawn-timeline"):
        content_cache._MEMORY.pop(kind, None)  # a new process: only the folder is kept
    citations = CitationsExtension(bibliography=str(bib), cache_dir=str(cache or ""), nocite=["doe2019"])
    extension = TimelineExtension(data=str(path), first_year=1960, last_year=1970)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.annotated_essay.timeline"):
        html = markdown.Markdown(extensions=[citations, extension]).convert("::: timeline\n")
    return html, [record.getMessage() for record in caplog.records if record.name.endswith(".timeline")]


def test_warm_build_reads_the_kept_timeline_and_warns_again(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the project's cache folder the data file is read once; its warnings come again on every build."""
    from annotated_essay import timeline

    cache = tmp_path / "cache"

    def build(data: str) -> tuple[str, list[str]]:
        return _build_in_new_process(data, tmp_path, cache, caplog)

    data = ONE_EVENT + "- date: 1969-13\n  title: A month that is not\n"
    cold = build(data)
    assert any("'1969-13' is not a real date" in warning for warning in cold[1])
    assert len(list(cache.glob("timeline-*.pickle"))) == 1

    def not_again(text: str, name: str) -> NoReturn:
        raise AssertionError("the data file was read again")

    monkeypatch.setattr(timeline, "parse_timeline", not_again)
    assert build(data) == cold
    monkeypatch.undo()
    edited = build(data.replace("Border troops fight.", "Border troops clash."))
    assert "Border troops clash." in edited[0]
    assert len(list(cache.glob("timeline-*.pickle"))) == 2


def test_warm_build_draws_the_kept_timeline_the_same_and_warns_again(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drawing kept in the cache folder gives the page and the warnings of drawing it (cached path = live one)."""
    from annotated_essay import timeline

    data = ONE_EVENT + "- date: 1969-13\n  title: A month that is not\n- date: 1965\n  title: Plain *and* marked\n"

    def build(cache: Path | None) -> tuple[str, list[str]]:
        return _build_in_new_process(data, tmp_path, cache, caplog)

    live = build(None)
    assert any("'1969-13' is not a real date" in warning for warning in live[1])
    assert "Plain <em>and</em> marked" in live[0]
    cache = tmp_path / "cache"
    assert build(cache) == live
    assert len(list(cache.glob("drawn-timeline-*.pickle"))) == 1

    def not_again(*args: object) -> NoReturn:
        raise AssertionError("the timeline was drawn again")

    monkeypatch.setattr(timeline, "render", not_again)
    monkeypatch.setattr(timeline, "parse_timeline", not_again)
    assert build(cache) == live
    monkeypatch.undo()
    data = data.replace("Border troops fight.", "Border troops clash.")
    edited = build(cache)
    assert "Border troops clash." in edited[0]
    assert len(list(cache.glob("drawn-timeline-*.pickle"))) == 2
