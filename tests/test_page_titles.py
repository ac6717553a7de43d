"""Browser tabs and search engines read each page's <title>: the site's name once, after the page's."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO, SiteBuilder


def test_titles_name_the_site_once(build_site: SiteBuilder) -> None:
    site = build_site()
    assert site.error is None, site.report
    name = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)["site_name"]
    titles: dict[str, str] = {}
    for index in site.site_dir.rglob("index.html"):
        found = re.findall(r"<title>([^<]*)</title>", index.read_text(encoding="utf-8"))
        assert len(found) == 1, index
        titles[str(index.parent.relative_to(site.site_dir))] = found[0]
    assert titles["."] == name
    assert titles["references"] == f"References - {name}"
    assert titles["essay/opening"] == f"Opening - {name}"
    for page, title in titles.items():
        assert title.count(name) == 1, (page, title)
