"""Read built HTML with the standard library's parser: tags, ids, links, text."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Tag:
    name: str
    attrs: dict[str, str]
    #: Inside <article> (the page content, where our markup lives).
    in_article: bool


class Document(HTMLParser):
    """Every start tag with its attributes, every id, the text and the scripts' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.article_text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self._article_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "article":
            self._article_depth += 1
        self.tags.append(Tag(tag, values, self._article_depth > 0))
        for name in ("id", "name"):
            if name in values and (name == "id" or tag == "a"):
                self.ids.add(values[name])
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        elif tag == "article" and self._article_depth:
            self._article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
            return
        self.text.append(data)
        if self._article_depth:
            self.article_text.append(data)

    @property
    def article(self) -> str:
        """The visible text inside <article>, white space folded."""
        return " ".join("".join(self.article_text).split())


def parse(path: Path) -> Document:
    document = Document()
    document.feed(path.read_text(encoding="utf-8"))
    document.close()
    return document


def html_files(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))
