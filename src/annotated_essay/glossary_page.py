"""A term page as readers see it: entries in order, the A–Z index, "See also" and "Appears in".

Two treeprocessors on a term page (``glossary.md``, ``people.md``): before the
table of contents is made, :class:`EntryOrder` sorts the entries, adds the A–Z
index, rebuilds the ``*Also:*`` and ``*See also:*`` lines and leaves an empty
"Appears in" paragraph under each entry; after the linker, :class:`AppearsIn`
fills each with links to the places that mention the entry, from the whole
site (:class:`PageMentions`, in reading order) and from this page's own
definitions, or removes it when nothing mentions the entry.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from markdown import Markdown
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor

from .glossary_link_markup import attribute_value
from .glossary_linker import DocumentState, LinkerHost, Mention, grouped, text_of
from .glossary_terms import META_LABELS, GlossaryEntry, sort_key
from .term_matching import term_key

#: The attribute naming the entry of an "Appears in" paragraph until it is filled.
_APPEARS = "data-glossary-appears"


class PageMentions(NamedTuple):
    """The glossary links on one other page of the site."""

    title: str
    #: The URL of that page from the term page being converted.
    href: str
    mentions: tuple[Mention, ...]


class BackLink(NamedTuple):
    """Where an entry is mentioned: the URL of the link and a label for it (a named tuple)."""

    href: str
    label: str
    #: A mention in another entry's definition on the same term page.
    same_page: bool = False


def back_link_labels(page_title: str, mentions: Sequence[Mention]) -> list[str]:
    """Labels for a page's mentions of one entry: 'Page' or 'Page › Section', numbered if repeated."""
    labels: list[str] = []
    for _, _, _, section_title in mentions:
        label = page_title
        if section_title and section_title != page_title:
            label = f"{page_title} › {section_title}"
        repeat = labels.count(label) + sum(1 for other in labels if other.startswith(label + " ("))
        labels.append(f"{label} ({repeat + 1})" if repeat else label)
    return labels


def back_links(pages: Sequence[PageMentions], own: Sequence[Mention]) -> dict[str, list[BackLink]]:
    """Back-links per entry id: other pages in reading order, then this page's own definitions."""
    found: dict[str, list[BackLink]] = {}
    for page in pages:
        by_entry: dict[str, list[Mention]] = {}
        for mention in page.mentions:
            by_entry.setdefault(mention[0], []).append(mention)  # by its entry's id
        for entry_id, mentions in by_entry.items():
            labels = back_link_labels(page.title, mentions)
            found.setdefault(entry_id, []).extend(
                BackLink(f"{page.href}#{anchor}", label)
                for (_, anchor, _, _), label in zip(mentions, labels, strict=True)
            )
    for entry_id, anchor, _, section_title in own:  # in another entry's definition: named by that entry
        label = section_title or "this page"
        found.setdefault(entry_id, []).append(BackLink(f"#{anchor}", label, same_page=True))
    return found


def appears_lines(pages: Sequence[PageMentions], own: Sequence[Mention], noun: str) -> dict[str, str]:
    """The filled "Appears in" paragraph of each mentioned entry, as HTML (see :func:`back_links`)."""
    return {
        entry_id: to_html_string(_appears(links, noun)).rstrip("\n")
        for entry_id, links in back_links(pages, own).items()
        if links
    }


class PageHost(LinkerHost, Protocol):
    """What the term page's processors read from their extension."""

    def other_pages(self) -> Sequence[PageMentions]:
        """The glossary links on every other page of the site, in reading order."""

    def kept(self, kind: str, own: Sequence[Mention], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """``compute()``, kept between builds by all it is made from: the site and this page's ``own`` mentions."""

    def report_unmentioned(self, mentioned: Iterable[str]) -> None:
        """Told which entries the site mentions, once the term page knows."""


class EntryOrder(Treeprocessor):
    """On a term page: sort entries, add the A–Z index, "See also" and empty "Appears in" paragraphs."""

    def __init__(self, host: PageHost, md: Markdown) -> None:
        super().__init__(md)
        self.host = host

    def run(self, root: etree.Element) -> None:
        """Reorder a term page's entries in ``root`` (other pages are left alone)."""
        page = self.host.context.term_page
        if page is None:
            return
        glossary = self.host.glossary
        own = {term_key(entry.term): entry for entry in glossary.entries if entry.page == page}
        children = list(root)
        intro: list[etree.Element] = []
        groups: list[tuple[GlossaryEntry | None, list[etree.Element]]] = []
        for child in children:
            if child.tag == "h2":
                entry = own.get(term_key(text_of(child)))
                if entry is not None:
                    child.set("id", entry.id)
                    groups.append((entry, [child]))
                    continue
            if child.tag == "h1" and groups:
                groups.append((None, [child]))  # ends the entry above
            elif groups:
                groups[-1][1].append(child)
            else:
                intro.append(child)
        entries = sorted(
            ((entry, elements) for entry, elements in groups if entry is not None),
            key=lambda group: sort_key(group[0].term),
        )
        if not entries:
            return
        for child in children:
            root.remove(child)
        root.extend(intro)
        root.append(_index([entry for entry, _ in entries], self.host.context.entry_noun))
        for entry, elements in entries:
            root.extend(self._entry(entry, elements))
        for entry, elements in groups:
            if entry is None:
                root.extend(elements)

    def _entry(self, entry: GlossaryEntry, elements: list[etree.Element]) -> list[etree.Element]:
        heading, body = elements[0], elements[1:]
        # The *Also:*, *Short:* and *See also:* paragraphs come first; they are rebuilt here.
        while body and body[0].tag == "p" and not (body[0].text or "").strip() and len(body[0]):
            label = body[0][0]
            if label.tag not in ("em", "i") or (label.text or "").strip().rstrip(":").lower() not in META_LABELS:
                break
            body.pop(0)
        result = [heading]
        if entry.aliases:
            also = etree.Element("p", {"class": "glossary-aliases"})
            etree.SubElement(also, "em").text = "Also:"
            also[0].tail = " " + "; ".join(entry.aliases)
            also.tail = "\n"
            result.append(also)
        result.extend(body)
        glossary = self.host.glossary
        targets = [found for name in entry.see_also if (found := glossary.find(name)) is not None]
        if targets:
            see_also = etree.Element("p", {"class": "glossary-see-also"})
            etree.SubElement(see_also, "em").text = "See also:"
            see_also[0].tail = " "
            for position, target in enumerate(targets):
                link = etree.SubElement(see_also, "a", {"href": self.host.context.href(target)})
                link.text = target.term
                link.tail = "; " if position < len(targets) - 1 else ""
            see_also.tail = "\n"
            result.append(see_also)
        appears = etree.Element("p", {"class": "glossary-appears", _APPEARS: entry.id})
        appears.tail = "\n"
        result.append(appears)
        return result


def _index(entries: Sequence[GlossaryEntry], noun: str) -> etree.Element:
    label = f"{noun.removesuffix('entry').capitalize()}entries by letter".capitalize()
    nav = etree.Element(
        "nav",
        # Material's search leaves out elements marked data-search-exclude (and drops the mark).
        {"class": "glossary-index", "aria-label": label, "data-search-exclude": "true"},
    )
    nav.text = nav.tail = "\n"
    first: dict[str, GlossaryEntry] = {}
    for entry in entries:
        first.setdefault(entry.letter, entry)
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    if "#" in first:
        letters.insert(0, "#")
    for letter in letters:
        if letter in first:
            item = etree.SubElement(nav, "a", {"href": f"#{first[letter].id}"})
        else:
            item = etree.SubElement(nav, "span", {"class": "glossary-index-empty", "aria-hidden": "true"})
        item.text = letter
        item.tail = "\n"
    return nav


def _replace_paragraphs(root: etree.Element, make: Callable[[str], etree.Element | None]) -> None:
    """Replace each entry's "Appears in" placeholder by ``make(entry id)``, or remove it where that is None."""
    for parent in root.iter():
        for position, child in reversed(list(enumerate(parent))):
            entry_id = child.get(_APPEARS) if isinstance(child.tag, str) else None
            if entry_id is None:
                continue
            made = make(entry_id)
            if made is None:
                parent.remove(child)
                continue
            made.tail = child.tail
            parent[position] = made


class AppearsIn(Treeprocessor):
    """On a term page, after the linker: fill each entry's "Appears in" paragraph, or remove it."""

    def __init__(self, host: PageHost, state: DocumentState, md: Markdown) -> None:
        super().__init__(md)
        self.host = host
        self.state = state

    def run(self, root: etree.Element) -> None:
        """Fill or remove the "Appears in" paragraphs in ``root`` (term pages only)."""
        if self.host.context.term_page is None:
            return
        own, host = grouped(self.state.mentions), self.host
        if host.deferred:  # under the MkDocs hook: the paragraphs' HTML, after the search index has read the page
            noun = host.context.entry_noun
            self._hold_back(root, host.kept("html", own, lambda: appears_lines(host.other_pages(), own, noun)))
            return

        def rows() -> dict[str, Any]:
            return {key: [list(link) for link in links] for key, links in back_links(host.other_pages(), own).items()}

        links = {key: [BackLink(*row) for row in found] for key, found in host.kept("links", own, rows).items()}
        host.report_unmentioned(links)
        noun = host.context.entry_noun
        _replace_paragraphs(root, lambda entry_id: _appears(links[entry_id], noun) if links.get(entry_id) else None)

    def _hold_back(self, root: etree.Element, lines: dict[str, str]) -> None:
        """Put placeholders for the filled paragraphs ``lines`` (HTML by entry id) and "See also" link tags."""
        self.host.report_unmentioned(lines)
        self._hold_see_also(root)
        comment = self.host.after_index.comment
        _replace_paragraphs(root, lambda entry_id: comment(lines[entry_id]) if entry_id in lines else None)

    def _hold_see_also(self, root: etree.Element) -> None:
        """Under the MkDocs hook, hold back the tags of "See also" links to another term page.

        Their URLs are final, so, like the linker's links, their tags join the
        page after the search index has read it, and MkDocs never checks them
        as links to Markdown files. (Comment nodes only now: the table of
        contents, made before, cannot walk them.)
        """
        for paragraph in root.iter("p"):
            if "glossary-see-also" not in paragraph.get("class", "").split():
                continue
            for position, link in reversed(list(enumerate(paragraph))):
                href = link.get("href", "")
                if link.tag != "a" or href.startswith("#"):
                    continue
                start = self.host.after_index.comment(f'<a href="{attribute_value(href)}">')
                start.tail = link.text
                end = self.host.after_index.comment("</a>")
                end.tail = link.tail
                paragraph[position : position + 1] = [start, end]


def _appears(links: Sequence[BackLink], noun: str) -> etree.Element:
    """``<p class="glossary-appears"><em>Appears in:</em> …</p>``: pages first, then this page's entries."""
    paragraph = etree.Element("p", {"class": "glossary-appears", "data-search-exclude": "true"})
    etree.SubElement(paragraph, "em").text = "Appears in:"
    last: etree.Element = paragraph[0]
    last.tail = " "
    others = [link for link in links if not link.same_page]
    same = [link for link in links if link.same_page]

    def add(link: BackLink, after: str) -> None:
        nonlocal last
        last = etree.SubElement(paragraph, "a", {"href": link.href})
        last.text = link.label
        last.tail = after

    for position, link in enumerate(others):
        add(link, "; " if position < len(others) - 1 else "")
    if same:
        last.tail = (last.tail or "") + ("; " if others else "")
        last.tail += f"{noun.removesuffix('entry')}entries " if len(same) > 1 else f"{noun} "
        for position, link in enumerate(same):
            add(link, "; " if position < len(same) - 1 else "")  # "; ": people's entries hold commas
    return paragraph
