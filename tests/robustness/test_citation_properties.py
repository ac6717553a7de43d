"""Property: for random bibliographies and citations nested in random block structures, numbering holds.

Every cited key appears in the reference list exactly once; on every page the
numbers of sources met for the first time increase in reading order (the order
of the anchors); every number on a page has its note; every citation anchor is
where the reference list's back-links point. Pages are converted as a site is:
each page's conversion scans the whole site through the site index.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotated_essay import page_context
from annotated_essay.citations import CitationsExtension

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
BASE = ["attr_list", "admonition", "footnotes", "tables", "fenced_code", "pymdownx.details"]
_QUIET = logging.getLogger("tests.robustness.citation_properties")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False

key = st.from_regex(r"[a-z][a-z0-9]{0,5}(?:[:./+-][a-z0-9]{1,3})?", fullmatch=True)
bibliography_keys = st.lists(key, min_size=1, max_size=6, unique_by=str.lower)


@st.composite
def citation(draw: st.DrawFn, keys: list[str]) -> str:
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3))
    form = draw(st.sampled_from(["bracket", "author", "suppress", "locator"]))
    if form == "author":
        return f"@{chosen[0]}"
    if form == "suppress":
        return f"[-@{chosen[0]}]"
    if form == "locator":
        return f"[see @{chosen[0]}, p. {draw(st.integers(1, 400))}]"
    return "[" + "; ".join(f"@{item}" for item in chosen) + "]"


@st.composite
def block(draw: st.DrawFn, keys: list[str], depth: int = 0) -> str:
    text = "Text " + " and ".join(draw(st.lists(citation(keys), min_size=1, max_size=2))) + "."
    if depth >= 2:
        return text
    inner = draw(block(keys, depth + 1))
    kind = draw(st.sampled_from(["paragraph", "quote", "list", "admonition", "details", "table", "footnote"]))
    indented = "\n".join("    " + line if line else "" for line in inner.splitlines())
    if kind == "quote":
        return "\n".join("> " + line for line in inner.splitlines())
    if kind == "list":
        return "- " + inner.replace("\n", "\n  ")
    if kind == "admonition":
        return '!!! note "Aside"\n' + indented
    if kind == "details":
        return '??? note "More"\n' + indented
    if kind == "table" and "\n" not in inner and "|" not in inner:
        return f"| a |\n| --- |\n| {inner} |"
    if kind == "footnote":
        label = draw(st.integers(1, 10**6))
        return f"{text}[^n{label}]\n\n[^n{label}]: {inner.splitlines()[0]}"
    return text + "\n\n" + inner


@st.composite
def site(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    keys = draw(bibliography_keys)
    pages = draw(st.lists(st.lists(block(keys), min_size=1, max_size=3).map("\n\n".join), min_size=1, max_size=3))
    return keys, pages


def write_site(root: Path, keys: list[str], pages: list[str]) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    bib = "".join(
        f"@book{{{name},\n  author = {{Doe, Jane}},\n  title = {{T}},\n  year = {{2020}}\n}}\n" for name in keys
    )
    (root / "refs.bib").write_text(bib, encoding="utf-8")
    nav = [{f"Page {number}": f"p{number}.md"} for number in range(len(pages))] + [{"References": "references.md"}]
    for number, text in enumerate(pages):
        (root / "docs" / f"p{number}.md").write_text(text + "\n", encoding="utf-8")
    (root / "docs" / "references.md").write_text("# References\n\n::: bibliography\n", encoding="utf-8")
    config = {
        "site_name": "t",
        "nav": nav,
        "markdown_extensions": [*BASE, {"annotated_essay.citations": {"bibliography": "refs.bib"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "mkdocs.yml"


def convert_site(config_file: Path, count: int) -> dict[str, str]:
    """Each page converted as MkDocs converts it: the page named, then a fresh Markdown instance."""
    html: dict[str, str] = {}
    for src_uri in [*(f"p{number}.md" for number in range(count)), "references.md"]:
        citations = CitationsExtension(bibliography=str(config_file.parent / "refs.bib"), logger=_QUIET)
        page_context.set_mkdocs_page(config_file, src_uri)
        try:
            md = markdown.Markdown(extensions=[*BASE, citations])
            html[src_uri] = md.convert((config_file.parent / "docs" / src_uri).read_text(encoding="utf-8"))
        finally:
            page_context.clear_mkdocs_page()
    return html


ANCHOR = re.compile(r'<sup class="citation" data-search-exclude="" id="(citation-\d+)">(.*?)</sup>')
NUMBER = re.compile(r'href="#fn:cite-([^"]+)">(\d+)</a>')


@SETTINGS
@given(site())
def test_numbers_follow_reading_order_and_every_number_has_its_note(
    tmp_path_factory: object, data: tuple[list[str], list[str]]
) -> None:
    keys, pages = data
    root = Path(tmp_path_factory.mktemp("site"))  # type: ignore[attr-defined]
    html = convert_site(write_site(root, keys, pages), len(pages))
    numbers: dict[str, int] = {}
    for number in range(len(pages)):
        page = html[f"p{number}.md"]
        # Outside footnote definitions, reading order is the order of the HTML.
        body = page.split('<div aria-label="Editors\' footnotes"', 1)[0]
        in_body = [int(anchor.split("-")[1]) for anchor in re.findall(r'id="(citation-\d+)"', body)]
        assert in_body == sorted(in_body)
        # Anchors count citations in reading order (a footnote's where it is referenced): sort by them.
        anchors = sorted(ANCHOR.findall(page), key=lambda found: int(found[0].split("-")[1]))
        assert [anchor for anchor, _ in anchors] == [f"citation-{n}" for n in range(1, len(anchors) + 1)]
        for _, inside in anchors:
            for cited, shown in NUMBER.findall(inside):
                expected = numbers.setdefault(cited, len(numbers) + 1)
                assert int(shown) == expected, f"{cited} numbered {shown}, expected {expected} in reading order"
                assert f'<li id="fn:cite-{cited}" value="{shown}">' in page, "every number has its note"
    references = html["references.md"]
    listed = re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', references)
    assert sorted(name for name, _ in listed) == sorted(numbers), "every cited key listed exactly once"
    assert {name: int(value) for name, value in listed} == numbers
    for name, value in listed:
        row = references.split(f'<li id="ref-{name}" value="{value}">', 1)[1].split("</li>", 1)[0]
        for target, anchor in re.findall(r'href="\.\./p(\d+)/#(citation-\d+)"', row):
            assert f'id="{anchor}"' in html[f"p{target}.md"]
