"""The timeline page: events from a YAML data file, drawn at build time as HTML and SVG.

A line ``::: timeline`` on a page puts the timeline there: an overview drawn as
SVG (one dot per event on an axis of years), then the events grouped by decade,
each a heading (so the search index has one section per event) with its date,
the editors' text, what is uncertain about it, and links to its glossary entries
and to the passage of the essay that mentions it. Nothing runs in the reader's
browser; the page prints and reads at 375 px as plain HTML (``assets/timeline.css``).

Links are checked when the site is known (MkDocs through its hook, Zensical
itself, see ``annotated_essay.page_context``): a glossary id against the glossary
page's entries, an essay link against the ids editors' blocks give passages.
Every mistake is reported at the data file's line.
"""

from __future__ import annotations

import logging
import os
import platform
import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify

from . import content_cache, page_context, timeline_data
from .build_log import feature_logger
from .editors_notes import passage_ids
from .generated_text import inline_patterns_key, skip_again, skip_inline, skipped_texts
from .kept_trees import tree_from_text, tree_text
from .site_index import SiteIndex, SitePage
from .timeline_data import Event, Timeline, date_range_text, parse_timeline

#: The marker for the timeline: a paragraph consisting of this line only.
MARKER = "::: timeline"
GLOSSARY_EXTENSION = "annotated_essay.glossary"
#: The overview's drawing box (SVG user units); it scales to the column's width.
_WIDTH, _HEIGHT, _MARGIN = 1000, 150, 40


class TimelineExtension(Extension):
    """Python-Markdown extension for the ``::: timeline`` marker."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "data": ["docs/timeline.yml", "The YAML file of events, relative to the folder of mkdocs.yml."],
            "first_year": [1949, "The overview's first year."],
            "last_year": [2025, "The overview's last year."],
            # Not None: Python-Markdown turns values of options defaulting to None into booleans.
            "logger": ["", "Logger for warnings (default: one both engines count, see build_log)."],
        }
        super().__init__(**kwargs)

    @property
    def logger(self) -> logging.Logger:
        """Where warnings go: a logger ``--strict`` counts under MkDocs and Zensical (``build_log``)."""
        configured = self.getConfig("logger")
        return configured if configured else feature_logger("timeline")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        """Register the marker's block processor."""
        md.registerExtension(self)
        # Priority 74: after "code" (80), so an indented marker stays code; before
        # "paragraph" (10), which would take the line as text (the bibliography's marker is 75).
        md.parser.blockprocessors.register(_TimelineMarker(md.parser, md, self), "timeline", 74)


class _TimelineMarker(BlockProcessor):
    def __init__(self, parser: BlockParser, md: Markdown, extension: TimelineExtension) -> None:
        super().__init__(parser)
        self.md = md
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.strip() == MARKER

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        blocks.pop(0)
        site = page_context.current_site(self.md)
        data = str(self.extension.getConfig("data"))
        path = os.path.join(site[0].config_file.parent, data) if site and not os.path.isabs(data) else data
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.extension.logger.warning(
                f"{data}: the timeline's data file cannot be read ({error.__class__.__name__}); "
                "create it, save it as UTF-8, or change 'data' under annotated_essay.timeline in mkdocs.yml."
            )
            return True
        drawn, warnings = self._drawn(site, text, data)
        for warning in warnings:
            self.extension.logger.warning(warning)
        parent.append(drawn)
        return True

    def _draw(self, site: tuple[SiteIndex, SitePage] | None, text: str, data: str) -> tuple[etree.Element, list[str]]:
        """The timeline drawn from the data file's ``text``, and the warnings about it, in the order found."""
        timeline = _read(text, data, self.md)
        warnings = list(timeline.warnings)
        links = _Links(site, timeline, warnings.append)
        holder = etree.Element("div")
        extension = self.extension
        render(holder, timeline, links, int(extension.getConfig("first_year")), int(extension.getConfig("last_year")))
        drawn = holder[-1]
        holder.remove(drawn)
        skip_inline(self.md, drawn)  # the timeline just drawn: most of its texts need no inline pass
        return drawn, warnings

    def _drawn(self, site: tuple[SiteIndex, SitePage] | None, text: str, data: str) -> tuple[etree.Element, list[str]]:
        """:meth:`_draw`, or the same tree and warnings kept from an earlier build of the same inputs.

        Drawing (and testing its 400 texts for inline patterns) is most of the
        timeline page's own work on a warm build, and its inputs are all known:
        the data file, the site (glossary entries, passage ids, titles: its
        digest), the settings, the page's inline patterns and this package's
        code. Kept in the citations extension's cache folder, as :func:`_read`.
        """
        from .essay_site import citations_of  # the project's cache folder is the citations extension's

        citations = citations_of(self.md)
        folder = citations.cache_dir if citations is not None else None
        if folder is None:
            return self._draw(site, text, data)
        key = content_cache.digest(
            content_cache.package_digest(),
            content_cache.versions_digest("Markdown", "PyYAML"),
            platform.python_version(),
            site[0].digest if site else "",
            site[1].src_uri if site else "",
            data,
            text,
            str(self.extension.getConfig("first_year")),
            str(self.extension.getConfig("last_year")),
            inline_patterns_key(self.md),
        )
        made: list[tuple[etree.Element, list[str]]] = []

        def keep() -> tuple[str, list[tuple[int, bool]], tuple[str, ...]]:
            drawn, warnings = self._draw(site, text, data)
            made.append((drawn, warnings))
            kept = tree_text(drawn)
            return (kept or "", skipped_texts(self.md, drawn) if kept else [], tuple(warnings))

        xml, marks, warnings = content_cache.cached("drawn-timeline", key, keep, folder, expect=tuple)
        if made:
            return made[0]
        if not xml:  # a tree XML cannot carry: drawn on every build
            return self._draw(site, text, data)
        drawn = tree_from_text(xml)
        skip_again(self.md, drawn, marks)
        return drawn, list(warnings)


def _read(text: str, path: str, md: Markdown) -> Timeline:
    """The events in ``text`` (the data file ``path``), or what reading the same text gave before.

    Reading the YAML is most of the timeline's work on a warm build (about a
    millisecond for 40 events), so the result is kept in the project's cache
    folder, the citations extension's, when there is one, by a digest of the
    text, its path (messages name it), the reader's code and PyYAML's version.
    The warnings are part of the result: every build reports them again.
    """
    from .essay_site import citations_of  # the project's cache folder is the citations extension's

    citations = citations_of(md)
    folder = citations.cache_dir if citations is not None else None
    if folder is None:
        return parse_timeline(text, path)
    key = content_cache.digest(
        content_cache.source_digest(timeline_data), content_cache.versions_digest("PyYAML"), path, text
    )
    return content_cache.cached("timeline", key, lambda: parse_timeline(text, path), folder, expect=Timeline)


class _Links:
    """Where an event's links go, checked against the site when it is known."""

    def __init__(
        self, site: tuple[SiteIndex, SitePage] | None, timeline: Timeline, warn: Callable[[str], None]
    ) -> None:
        self.site = site
        self.path = timeline.path
        #: Receives each problem found (the marker logs them, also when the drawing is kept between builds).
        self.warn = warn
        #: Each term's id: its term and the title of its term page (Glossary, People).
        self.terms: Mapping[str, tuple[str, str]] | None = None
        if site is not None:
            self.terms = _glossary_terms(site[0])
        #: The passage ids of every page, by ``src_uri``: read on the first essay link, once for all events.
        self._passage_ids: dict[str, frozenset[str]] | None = None

    def page_of(self, entry_id: str) -> str:
        """The title of the term page ``entry_id`` is on, to label the links ("Glossary" outside a site)."""
        return self.terms[entry_id][1] if self.terms and entry_id in self.terms else "Glossary"

    def glossary(self, entry_id: str, line: int) -> etree.Element | None:
        """A ``glossary:`` link (the glossary extension resolves it), or None for an unknown id."""
        term = entry_id
        if self.terms is not None:
            if entry_id not in self.terms:
                self.warn(
                    f"{self.path}:{line}: no glossary entry has the id '{entry_id}'; use the id of an entry "
                    "in the glossary (the '{ #id }' after its heading), or add the entry."
                )
                return None
            term = self.terms[entry_id][0]
        link = etree.Element("a", {"href": f"glossary:{entry_id}"})
        link.text = term
        return link

    def essay(self, page: str, anchor: str, line: int) -> etree.Element | None:
        """A link to a passage of the essay, or None when the page or the passage id does not exist."""
        if self.site is None:
            link = etree.Element("a", {"href": f"{page}#{anchor}"})
            link.text = page
            return link
        index, here = self.site
        target = index.page(page)
        if target is None:
            self.warn(f"{self.path}:{line}: there is no page '{page}'; write the path below docs/ (essay/opening.md).")
            return None
        if self._passage_ids is None:
            self._passage_ids = {page.src_uri: found for page, found in index.scan("passage-ids", _ids_of)}
        if anchor not in self._passage_ids.get(target.src_uri, frozenset()):
            self.warn(
                f"{self.path}:{line}: '{page}' has no passage with the id '{anchor}'; give the passage that id "
                "with a '/// passage | words' block on that page (README: Editors' notes), or fix the id."
            )
            return None
        # A link to the Markdown file, as an editor would write it: both engines turn it into
        # the page's URL (and MkDocs checks the anchor once more).
        href = posixpath.relpath(target.src_uri, posixpath.dirname(here.src_uri) or ".")
        link = etree.Element("a", {"href": f"{href}#{anchor}"})
        link.text = target.display_title
        return link


def _ids_of(page: SitePage) -> frozenset[str]:
    return frozenset(passage_ids(page.markdown))


def _glossary_terms(index: SiteIndex) -> Mapping[str, tuple[str, str]] | None:
    """Each id's term and term page title, from the term pages (None: no glossary configured or readable)."""
    from .glossary import GlossaryError, glossary_of  # the glossary's parser, only on the timeline page

    try:
        glossary = glossary_of(index)
    except GlossaryError:
        return None  # the glossary reports it
    if glossary is None:
        return None
    titles = {page.src_uri: page.display_title for page in index.pages}
    return {entry.id: (entry.term, titles.get(entry.page, "Glossary")) for entry in glossary.entries}


def render(parent: etree.Element, timeline: Timeline, links: _Links, first: int, last: int) -> None:
    """The overview and the events, by decade, into ``parent``."""
    wrapper = etree.SubElement(parent, "div", {"class": "timeline"})
    wrapper.append(_overview(timeline.events, first, last))
    used: set[str] = set()
    decade: int | None = None
    listing: etree.Element | None = None
    for event in timeline.events:
        if decade != event.when.year // 10 * 10 or listing is None:
            decade = event.when.year // 10 * 10
            heading = etree.SubElement(wrapper, "h2", {"id": f"decade-{decade}", "class": "timeline-decade"})
            heading.text = f"{decade}s"
            listing = etree.SubElement(wrapper, "ol", {"class": "timeline-events"})
        listing.append(_event(event, links, used))


def _event(event: Event, links: _Links, used: set[str]) -> etree.Element:
    base = event.id or f"{event.when.iso}-{slugify(event.title, '-')}"[:60].rstrip("-")
    event_id, number = base, 2
    while event_id in used:
        event_id, number = f"{base}-{number}", number + 1
    used.add(event_id)
    item = etree.Element("li", {"class": "timeline-event"})
    heading = etree.SubElement(item, "h3", {"id": event_id})
    heading.text = event.title
    date = etree.SubElement(item, "p", {"class": "timeline-date"})
    time = etree.SubElement(date, "time", {"datetime": event.when.iso})
    time.text = date_range_text(event.when, event.end)
    if event.text:
        etree.SubElement(item, "p").text = event.text
    if event.uncertain:
        uncertain = etree.SubElement(item, "p", {"class": "timeline-uncertain"})
        etree.SubElement(uncertain, "strong").text = "Uncertain:"
        uncertain[0].tail = f" {event.uncertain}"
    # One group per term page (Glossary, People), in the order the editors listed the ids.
    found: dict[str, list[etree.Element | None]] = {}
    for entry, line in event.glossary:
        found.setdefault(links.page_of(entry), []).append(links.glossary(entry, line))
    found["In the essay"] = [links.essay(page, anchor, line) for page, anchor, line in event.essay]
    parts = [(label, [link for link in group if link is not None]) for label, group in found.items()]
    parts = [(label, group) for label, group in parts if group]
    if parts:
        paragraph = etree.SubElement(item, "p", {"class": "timeline-links"})
        for number, (label, group) in enumerate(parts):
            span = etree.SubElement(paragraph, "span")
            span.text = f"{label}: "
            for position, link in enumerate(group):
                if position:
                    group[position - 1].tail = ", "
                span.append(link)
            if number < len(parts) - 1:
                span.tail = " · "
    return item


def _overview(events: list[Event], first: int, last: int) -> etree.Element:
    """One dot per event on an axis of years; dots of the same year stack upwards."""
    figure = etree.Element("figure", {"class": "timeline-overview"})
    years = [event.when.year for event in events]
    busiest = sorted(set(years), key=lambda year: (-years.count(year), year))[:3]
    description = (
        f"Overview: {len(events)} event{'s' if len(events) != 1 else ''} from {first} to {last}, one dot each; "
        f"the most in {', '.join(str(year) for year in busiest)}."
    )
    svg = etree.SubElement(
        figure,
        "svg",
        {
            "class": "timeline-chart",
            "viewBox": f"0 0 {_WIDTH} {_HEIGHT}",
            "role": "img",
            "aria-label": description,
            "focusable": "false",
            "preserveAspectRatio": "xMidYMid meet",
        },
    )
    span = max(1, last - first)
    axis_y = _HEIGHT - 34

    def x(year: float) -> str:
        return f"{_MARGIN + (year - first) / span * (_WIDTH - 2 * _MARGIN):.1f}"

    etree.SubElement(
        svg, "line", {"class": "timeline-axis", "x1": x(first), "x2": x(last), "y1": f"{axis_y}", "y2": f"{axis_y}"}
    )
    for decade in range((first + 9) // 10 * 10, last + 1, 10):
        etree.SubElement(
            svg,
            "line",
            {"class": "timeline-tick", "x1": x(decade), "x2": x(decade), "y1": f"{axis_y}", "y2": f"{axis_y + 8}"},
        )
        label = etree.SubElement(
            svg, "text", {"class": "timeline-year", "x": x(decade), "y": f"{_HEIGHT - 4}", "text-anchor": "middle"}
        )
        label.text = str(decade)
    stacked: dict[int, int] = {}
    for event in events:
        if not first <= event.when.year <= last:
            continue
        height = stacked.get(event.when.year, 0)
        stacked[event.when.year] = height + 1
        position = event.when.year + ((event.when.month or 6) - 0.5) / 12
        etree.SubElement(
            svg, "circle", {"class": "timeline-dot", "cx": x(position), "cy": f"{axis_y - 12 - height * 13}", "r": "6"}
        )
    caption = etree.SubElement(figure, "figcaption")
    caption.text = "Each dot is one of the events below, placed by its date; dots of one year stack."
    return figure


def makeExtension(**kwargs: Any) -> TimelineExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Entry point for ``markdown_extensions: [annotated_essay.timeline]``."""
    return TimelineExtension(**kwargs)
