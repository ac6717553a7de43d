"""The built site as a whole: every internal link and anchor resolves; builds are reproducible."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.conftest import REPO, copy_project
from tests.robustness.conftest import build_cli
from tests.robustness.html_tools import Document, html_files, parse

#: Tags and attributes that point at other files of the site.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}
#: A fixed date for reproducible builds (27 February 2025, the date of the essay's sources).
EPOCH = "1740614400"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("integrity"))
    result = build_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def resolve(site_dir: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file ``href`` on ``page`` points at and its fragment; None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    base = posixpath.dirname(page.relative_to(site_dir).as_posix())
    path = unquote(parts.path)
    if path.startswith("/"):
        # Only the 404 page may use root-relative links: it is served at any address. (MkDocs
        # writes them from site_url, or "/" without one.) Anywhere else they break under a sub-path.
        assert page == site_dir / "404.html", f"{page}: root-relative link {href!r} breaks under a sub-path"
        base, path = ".", path.lstrip("/")
    target = site_dir / posixpath.normpath(posixpath.join(base, path))
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def crawl(site_dir: Path) -> tuple[int, list[str]]:
    """Follow every internal link of every page: how many were checked, which are broken."""
    documents: dict[Path, Document] = {}
    checked = 0
    broken: list[str] = []
    for page in html_files(site_dir):
        document = documents.setdefault(page, parse(page))
        for tag in document.tags:
            attribute = LINK_ATTRIBUTES.get(tag.name)
            if attribute is None or attribute not in tag.attrs:
                continue
            href = tag.attrs[attribute]
            found = resolve(site_dir, page, href)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            where = f"{page.relative_to(site_dir)}: {href}"
            if not target.is_file():
                broken.append(f"{where} -> missing {target.relative_to(site_dir)}")
            elif (
                fragment
                and target.suffix == ".html"
                and fragment not in documents.setdefault(target, parse(target)).ids
            ):
                broken.append(f"{where} -> no id '{fragment}'")
    return checked, broken


def test_every_internal_link_and_anchor_resolves(built: Path) -> None:
    checked, broken = crawl(built)
    assert broken == []
    # The crawl saw the site's own links: navigation, notes, back-links, glossary links.
    assert checked > 500


def test_crawler_reports_broken_links(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    page = copy / "references" / "index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace(
        "</article>", '<a href="../essay/opening/#no-such-id">x</a><a href="../nowhere/">y</a></article>'
    )
    page.write_text(html, encoding="utf-8")
    _, broken = crawl(copy)
    assert broken == [
        "references/index.html: ../essay/opening/#no-such-id -> no id 'no-such-id'",
        "references/index.html: ../nowhere/ -> missing nowhere/index.html",
    ]


def test_mkdocs_validates_links_and_anchors() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    links = config["validation"]["links"]
    assert links["anchors"] == "warn"
    assert links["absolute_links"] == "warn"
    assert links["unrecognized_links"] == "warn"
    # Strictness is the command's (`mkdocs build --strict` in the Makefile and CI), not the
    # config's: under `strict: true` a warning would stall `mkdocs serve` for editors.
    assert "strict" not in config
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    strict_builds = [line for line in makefile.splitlines() if "/mkdocs build" in line]
    assert strict_builds and all("--strict" in line and " -q" not in line for line in strict_builds)


def test_mkdocs_validation_fails_a_broken_anchor(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    page = root / "docs" / "essay" / "conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the opening](opening.md#no-such-anchor).\n", "utf-8")
    result = build_cli(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no-such-anchor" in output and "essay/conclusion.md" in output


def tree(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    env = {"SOURCE_DATE_EPOCH": EPOCH}
    first = build_cli(root, "--site-dir", "site-a", env=env)
    assert first.returncode == 0, first.stderr
    second = build_cli(root, "--site-dir", "site-b", env=env)
    assert second.returncode == 0, second.stderr
    a, b = tree(root / "site-a"), tree(root / "site-b")
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    assert {"sitemap.xml.gz", "search/search_index.json", "index.html", "references/index.html"} <= set(a)
    # A second copy of the sources in another folder builds the same bytes too.
    elsewhere = copy_project(tmp_path / "elsewhere")
    third = build_cli(elsewhere, env=env)
    assert third.returncode == 0, third.stderr
    c = tree(elsewhere / "site")
    assert [name for name in a if a[name] != c.get(name)] == []


def test_source_date_epoch_is_honoured(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    for epoch, site in ((EPOCH, "site-a"), ("1700006400", "site-b")):
        result = build_cli(root, "--site-dir", site, env={"SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.stderr
    # The compressed sitemap records the build date (midnight UTC): it follows SOURCE_DATE_EPOCH.
    gz_a = (root / "site-a" / "sitemap.xml.gz").read_bytes()
    gz_b = (root / "site-b" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz_a[4:8], "little") == int(EPOCH)
    assert int.from_bytes(gz_b[4:8], "little") == 1700006400
