"""The site's citation numbers, counted once per site content, and a page changed since its scan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import markdown

from annotated_essay.citation_notes import CitationRecord, PageCitations
from annotated_essay.citation_site import scan_site, site_numbers
from annotated_essay.citation_syntax import CitedItem
from annotated_essay.citations import CitationsExtension
from annotated_essay.site_index import load_site_index

BIB = """\
@book{alpha2001, author = {Alpha, Ann}, title = {Alpha}, year = {2001}, publisher = {P}}
@book{beta2002, author = {Beta, Ben}, title = {Beta}, year = {2002}, publisher = {P}}
@book{gamma2003, author = {Gamma, Gil}, title = {Gamma}, year = {2003}, publisher = {P}}
"""


def make_project(root: Path) -> tuple[Path, CitationsExtension]:
    (root / "docs").mkdir()
    (root / "docs" / "one.md").write_text("# One\n\nFirst [@alpha2001], then [@beta2002].\n", encoding="utf-8")
    (root / "docs" / "two.md").write_text("# Two\n\nLast [@gamma2003].\n", encoding="utf-8")
    (root / "refs.bib").write_text(BIB, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: t
            nav: [one.md, two.md]
            markdown_extensions:
              - annotated_essay.citations:
                  bibliography: refs.bib
            """),
        encoding="utf-8",
    )
    return config, CitationsExtension(bibliography=str(root / "refs.bib"))


def live(*keys: str) -> PageCitations:
    """What a conversion of a page found: one citation per key, in this order."""
    records = [CitationRecord(f"citation-{n}", (CitedItem(key),)) for n, key in enumerate(keys, start=1)]
    return PageCitations(records)


def test_numbers_follow_the_scans_and_a_page_changed_since(tmp_path: Path) -> None:
    config, extension = make_project(tmp_path)
    index = load_site_index(config)
    one, two = index.pages
    md = markdown.Markdown()
    scanned = {page.src_uri: found for page, found in scan_site(extension, index)}
    assert scanned["one.md"].cited_keys() == ["alpha2001", "beta2002"]

    as_scanned = {"alpha2001": 1, "beta2002": 2, "gamma2003": 3}
    assert site_numbers(extension, index, one, live("alpha2001", "beta2002"), md)[0] == as_scanned
    assert site_numbers(extension, index, two, live("gamma2003"), md)[0] == as_scanned
    # The page now cites in another order (edited since its scan): its own citations count.
    assert site_numbers(extension, index, one, live("beta2002", "alpha2001"), md)[0] == {
        "beta2002": 1,
        "alpha2001": 2,
        "gamma2003": 3,
    }
    # ... and another page, converted after it, still numbers by the scans.
    assert site_numbers(extension, index, two, live("gamma2003"), md)[0] == as_scanned
    # Another page's conversion citing a key first: numbers counted anew, not the kept ones.
    assert site_numbers(extension, index, two, live("alpha2001"), md)[0] == {"alpha2001": 1, "beta2002": 2}


def test_numbers_follow_the_site_as_edited_between_builds(tmp_path: Path) -> None:
    """Each page's scan is looked up in the site's scans as they are now, not as an earlier build kept them."""
    config, extension = make_project(tmp_path)
    md = markdown.Markdown()
    index = load_site_index(config)
    two = index.pages[1]
    numbers = {"alpha2001": 1, "beta2002": 2, "gamma2003": 3}
    assert site_numbers(extension, index, two, live("gamma2003"), md)[0] == numbers
    (tmp_path / "docs" / "two.md").write_text("# Two\n\nThen [@beta2002].\n", encoding="utf-8")
    index = load_site_index(config)
    two = index.pages[1]
    assert site_numbers(extension, index, two, live("beta2002"), md)[0] == {"alpha2001": 1, "beta2002": 2}
    # Converted as it was before the edit: its own citations count (the earlier scan would say it is unchanged).
    assert site_numbers(extension, index, two, live("gamma2003"), md)[0] == numbers
