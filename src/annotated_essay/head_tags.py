"""``<meta>`` tags for the essay: Google Scholar's ``citation_*`` and Open Graph.

The theme's template writes them into ``<head>`` from ``page.meta.essay_head``
(see ``overrides/main.html``), which both engines pass to templates; the
values come from the same :class:`~annotated_essay.essay_metadata.EssayMeta`
as the citation files, so a harvester reads the same facts a reader downloads.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from markdown.treeprocessors import Treeprocessor

from . import essay_exports
from .bibliography import Bibliography
from .content_cache import cached_text
from .essay_metadata import EssayMeta
from .essay_site import citations_of, essay_site_of, works_cited
from .page_context import page_meta

#: The key of ``page.meta`` the template reads the tags from.
PAGE_META_KEY = "essay_head"


class MetaTag(NamedTuple):
    """One ``<meta>`` element: ``<meta {attribute}="{name}" content="{content}">``.

    A NamedTuple: a dozen are made for every page, quicker than a frozen dataclass.
    """

    attribute: str
    name: str
    content: str

    def as_dict(self) -> dict[str, str]:
        """The tag as plain values, as page metadata must be (Zensical passes it to its templates as JSON)."""
        return {"attribute": self.attribute, "name": self.name, "content": self.content}


def scholar_tags(meta: EssayMeta, works_cited: Iterable[str] = ()) -> list[MetaTag]:
    """Google Scholar's ``citation_*`` tags for the essay, with one ``citation_reference`` per work.

    ``citation_publication_date`` is the year the essay was written (when
    known), ``citation_online_date`` this edition's date: the edition's last
    change is not when the essay was published. ``works_cited`` are the works'
    ``citation_reference`` contents (:func:`cited_references`).
    """
    edition = f"{meta.edition_date:%Y/%m/%d}"
    tags = [
        MetaTag("name", "citation_title", meta.full_title),
        MetaTag("name", "citation_author", meta.author_inverted),
        MetaTag("name", "citation_publication_date", meta.written or edition),
        MetaTag("name", "citation_online_date", edition),
        MetaTag("name", "citation_language", meta.language),
    ]
    if meta.publisher:
        tags.append(MetaTag("name", "citation_publisher", meta.publisher))
    if meta.url:
        tags.append(MetaTag("name", "citation_public_url", meta.url))
    tags.extend(MetaTag("name", "citation_reference", reference) for reference in works_cited)
    return tags


def cited_references(bibliography: Bibliography, keys: Sequence[str], cache_dir: str | None = None) -> list[str]:
    """The ``citation_reference`` contents of the works ``keys`` (in order of first citation).

    Kept in ``cache_dir`` between builds, by the bibliography and the keys cited.
    """
    entries = bibliography.entries
    text = cached_text(
        cache_dir,
        "scholar-references",
        [bibliography.digest, "\n".join(keys)],  # one part, not one per key: keys hold no whitespace
        lambda: json.dumps(
            [scholar_reference(essay_exports.export_item(entries[key], key)) for key in keys if key in entries],
            ensure_ascii=False,
        ),
        code=[__file__, *essay_exports.CSL_CODE],
    )
    return list(json.loads(text))


def scholar_reference(item: Mapping[str, Any]) -> str:
    """A CSL-JSON item as the ``key=value; …`` string ``citation_reference`` expects."""
    pairs: list[tuple[str, str]] = []
    if item.get("title"):
        title = str(item["title"])
        if item.get("translated-title"):
            title += f" [{item['translated-title']}]"
        pairs.append(("citation_title", title))
    for person in item.get("author", ()):
        name = person.get("literal") or ", ".join(p for p in (person.get("family"), person.get("given")) if p)
        pairs.append(("citation_author", name))
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        pairs.append(("citation_publication_date", "/".join(f"{part:02d}" for part in issued)))
    if item.get("container-title"):
        name = "citation_journal_title" if item.get("type") == "article-journal" else "citation_publisher"
        pairs.append((name, str(item["container-title"])))
    for csl, scholar in (("volume", "citation_volume"), ("issue", "citation_issue")):
        if item.get(csl):
            pairs.append((scholar, str(item[csl])))
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        pairs.append(("citation_firstpage", first))
        if last:
            pairs.append(("citation_lastpage", last))
    if item.get("language") and item.get("language") != "en":
        pairs.append(("citation_language", str(item["language"])))
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in pairs)


def open_graph_tags(*, title: str, description: str, site_name: str, url: str | None) -> list[MetaTag]:
    """Open Graph tags for one page (``og:url`` only when the page's full URL is known)."""
    tags = [
        MetaTag("property", "og:type", "article"),
        MetaTag("property", "og:title", title),
        MetaTag("property", "og:site_name", site_name),
    ]
    if description:
        tags.insert(2, MetaTag("property", "og:description", description))
    if url:
        tags.append(MetaTag("property", "og:url", url))
    return tags


class HeadTags(Treeprocessor):
    """Puts the page's ``<meta>`` tags in its metadata, where the template finds them (both engines).

    Open Graph tags on every page; Google Scholar's on the essay itself (the
    landing page, the essay's pages, the print view).
    """

    def run(self, root: etree.Element) -> None:
        """Write ``page.meta.essay_head`` (a list of plain mappings) for the page being converted."""
        metadata = page_meta(self.md)
        found = essay_site_of(self.md) if metadata is not None else None
        if metadata is None or found is None:
            return
        site, page = found
        config = site.index.config
        site_url = site.index.site_url
        tags = open_graph_tags(
            title=site.meta.title if page.src_uri == "index.md" else f"{page.display_title} · {site.meta.title}",
            description=str(metadata.get("description") or config.get("site_description") or ""),
            site_name=str(config.get("site_name") or ""),
            url=(site_url.rstrip("/") + "/" + page.url) if site_url else None,
        )
        head = [tag.as_dict() for tag in tags]
        citations = citations_of(self.md) if site.is_article(page) else None
        if citations is not None:
            head += [tag.as_dict() for tag in scholar_tags(site.meta)]
            keys = works_cited(citations, site.index)
            # Made as mappings directly: the essay of a large site cites thousands of works.
            head += [
                {"attribute": "name", "name": "citation_reference", "content": reference}
                for reference in cited_references(citations.bibliography, keys, citations.cache_dir)
            ]
        metadata[PAGE_META_KEY] = head


__all__ = [
    "PAGE_META_KEY",
    "HeadTags",
    "MetaTag",
    "cited_references",
    "open_graph_tags",
    "scholar_reference",
    "scholar_tags",
]
