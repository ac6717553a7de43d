"""The site index: reading order, URLs, front matter, caching by content, links and page context."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import markdown
import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation
from mkdocs.utils import get_relative_url

from annotated_essay import page_context, site_index
from annotated_essay.site_index import SiteConfigError, load_site_index, page_url, relative_url

REPO = Path(__file__).resolve().parents[1]


def make_site(root: Path, config: str, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        target = root / "docs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(textwrap.dedent(config), encoding="utf-8")
    return config_file


def mkdocs_reading_order(config_file: Path) -> list[tuple[str, str, bool]]:
    """(src_uri, url, in nav) as MkDocs itself orders and addresses the pages."""
    config = load_config(str(config_file))
    files = get_files(config)
    nav = get_navigation(files, config)
    order = [(page.file.src_uri, page.url, True) for page in nav.pages]
    seen = {uri for uri, _, _ in order}
    for file in files.documentation_pages():
        if file.src_uri not in seen:
            assert file.page is not None
            order.append((file.src_uri, file.page.url, False))
    return order


NESTED = """\
    site_name: t
    nav:
      - Home: index.md
      - Part one:
          - Intro: part/intro.md
          - Deeper:
              - part/deep/z.md
              - Link out: https://example.org/
          - part/a.md
      - About: about.md
    not_in_nav: |
      /hidden.md
"""
NESTED_PAGES = {
    "index.md": "# Home\n",
    "about.md": "# About\n",
    "part/intro.md": "# Intro\n",
    "part/a.md": "# A\n",
    "part/deep/z.md": "# Z\n",
    "hidden.md": "# Hidden\n",
    "extra.md": "# Extra\n",
    "part/README.md": "# Readme\n",
    ".secret.md": "# no\n",
}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_reading_order_and_urls_match_mkdocs(tmp_path: Path, directory_urls: bool) -> None:
    config = NESTED + f"    use_directory_urls: {str(directory_urls).lower()}\n"
    config_file = make_site(tmp_path, config, NESTED_PAGES)
    index = load_site_index(config_file)
    ours = [(page.src_uri, page.url, page.in_nav) for page in index.pages]
    assert ours == mkdocs_reading_order(config_file)
    assert [uri for uri, _, _ in ours[:5]] == ["index.md", "part/intro.md", "part/deep/z.md", "part/a.md", "about.md"]
    assert index.page("hidden.md") is not None and not index.page("hidden.md").in_nav  # type: ignore[union-attr]
    assert index.page(".secret.md") is None
    assert index.page("part/intro.md").title == "Intro"  # type: ignore[union-attr]
    assert index.page("part/deep/z.md").title is None  # type: ignore[union-attr]


def test_without_nav_mkdocs_file_order(tmp_path: Path) -> None:
    config_file = make_site(
        tmp_path, "site_name: t\n", {"b.md": "x", "index.md": "x", "a/index.md": "x", "a/b.md": "x", "c.md": "x"}
    )
    ours = [(page.src_uri, page.url, page.in_nav) for page in load_site_index(config_file).pages]
    assert ours == mkdocs_reading_order(config_file)
    assert [uri for uri, _, _ in ours] == ["index.md", "b.md", "c.md", "a/index.md", "a/b.md"]


def test_urls() -> None:
    assert page_url("index.md", True) == ""
    assert page_url("essay/opening.md", True) == "essay/opening/"
    assert page_url("essay/index.md", True) == "essay/"
    assert page_url("essay/opening.md", False) == "essay/opening.html"
    assert page_url("index.md", False) == "index.html"
    assert page_url("sub/README.md", True) == "sub/"


def test_front_matter_offset(tmp_path: Path) -> None:
    text = "---\ntitle: Print\nsearch:\n  exclude: true\n---\n\n# Heading\n\nBody [@key].\n"
    config_file = make_site(tmp_path, "site_name: t\n", {"index.md": text, "plain.md": "# P\n"})
    page = load_site_index(config_file).page("index.md")
    assert page is not None
    assert page.markdown == "# Heading\n\nBody [@key].\n"
    assert page.line_offset == 6
    # Line 3 of the Markdown is line 9 of the file.
    assert text.splitlines()[page.line_offset + 2] == "Body [@key]."
    assert page.meta["title"] == "Print"
    assert page.display_title == "Print"
    plain = load_site_index(config_file).page("plain.md")
    assert plain is not None and plain.line_offset == 0 and plain.display_title == "P"


def test_cached_by_content(tmp_path: Path) -> None:
    config_file = make_site(tmp_path, NESTED, NESTED_PAGES)
    first = load_site_index(config_file)
    assert load_site_index(config_file) is first
    # Touched but unchanged: the same object.
    intro = tmp_path / "docs/part/intro.md"
    os.utime(intro, ns=(1, 1))
    assert load_site_index(config_file) is first
    calls: list[str] = []

    def count(page: Any) -> int:
        calls.append(page.src_uri)
        return len(page.markdown)

    scanned = first.scan("test-count", count)
    assert len(calls) == len(first.pages)
    intro.write_text("# Intro, longer now\n", encoding="utf-8")
    second = load_site_index(config_file)
    assert second is not first
    assert second.page("part/intro.md").markdown == "# Intro, longer now\n"  # type: ignore[union-attr]
    calls.clear()
    rescanned = second.scan("test-count", count)
    assert calls == ["part/intro.md"]
    assert dict((page.src_uri, n) for page, n in rescanned)["part/intro.md"] == len("# Intro, longer now\n")
    assert [n for _, n in scanned] != [n for _, n in rescanned]
    # Another key is another scan.
    calls.clear()
    second.scan("test-count", count, key="other")
    assert len(calls) == len(second.pages)
    # A new page and a changed nav are seen too.
    (tmp_path / "docs/new.md").write_text("# New\n", encoding="utf-8")
    assert load_site_index(config_file).page("new.md") is not None
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("About: about.md", "Über: about.md"))
    assert load_site_index(config_file).page("about.md").title == "Über"  # type: ignore[union-attr]


def test_link_matches_mkdocs(tmp_path: Path) -> None:
    for directory_urls in (True, False):
        config_file = make_site(
            tmp_path / str(directory_urls),
            NESTED + f"    use_directory_urls: {str(directory_urls).lower()}\n",
            NESTED_PAGES,
        )
        index = load_site_index(config_file)
        for source in index.pages:
            for target in index.pages:
                assert relative_url(target.url, source.url) == get_relative_url(target.url, source.url)
                # As MkDocs links the files of a Markdown link (File.url_relative_to).
                expected = get_relative_url(target.url or "./", source.url or "./")
                if source is target:
                    assert index.link(source.src_uri, target.src_uri, "a") == "#a"
                else:
                    assert index.link(source.src_uri, target.src_uri, "a") == f"{expected}#a"
                    assert index.link(source.src_uri, target.src_uri) == expected
    index = load_site_index(REPO / "mkdocs.yml")
    assert index.link("essay/opening.md", "glossary.md", "pax-americana") == "../../glossary/#pax-americana"
    # For Zensical, which rewrites links as relative to the page's source file.
    assert index.source_link("essay/opening.md", "glossary.md", "pax-americana") == "../glossary.md#pax-americana"
    assert index.source_link("index.md", "essay/opening.md") == "essay/opening.md"
    assert index.source_link("essay/opening.md", "essay/conclusion.md", "x") == "conclusion.md#x"
    assert index.source_link("essay/opening.md", "essay/opening.md", "x") == "#x"
    assert index.link("references.md", "index.md") == "../"
    assert index.link("index.md", "essay/opening.md", "x") == "essay/opening/#x"


def test_project_config_with_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = """\
        site_name: !ENV [SITE_NAME_FOR_TEST, "fallback"]
        site_url: !ENV SITE_URL_FOR_TEST
        markdown_extensions:
          - toc:
              permalink: true
              slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
          - attr_list
        extra:
          essay: {key: k}
    """
    monkeypatch.setenv("SITE_URL_FOR_TEST", "https://example.org/")
    config_file = make_site(tmp_path, config, {"index.md": "# x\n"})
    index = load_site_index(config_file)
    assert index.site_url == "https://example.org/"
    assert index.config["site_name"] == "fallback"
    assert [name for name, _ in index.markdown_extensions] == ["toc", "pymdownx.emoji", "attr_list"]
    assert index.extension_config("toc")["permalink"] is True  # type: ignore[index]
    assert index.extra == {"essay": {"key": "k"}}
    project = load_site_index(REPO / "mkdocs.yml")
    assert project.extension_config("annotated_essay.citations") is not None
    assert [page.src_uri for page in project.pages][:2] == ["index.md", "essay/opening.md"]
    assert project.page("print.md") is not None and not project.page("print.md").in_nav  # type: ignore[union-attr]


def test_missing_config_or_docs(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match="cannot read"):
        load_site_index(tmp_path / "nope.yml")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: missing\n", encoding="utf-8")
    with pytest.raises(SiteConfigError, match="not a folder"):
        load_site_index(tmp_path / "mkdocs.yml")


class _Probe(Extension):
    """Records what current_page says while a page is converted."""

    def __init__(self, seen: list[tuple[Path, str] | None]) -> None:
        super().__init__()
        self.seen = seen

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        probe = self

        class Record(Preprocessor):
            def run(self, lines: list[str]) -> list[str]:
                probe.seen.append(page_context.current_page(self.md))
                meta = page_context.page_meta(self.md)
                assert (meta is None) == (probe.seen[-1] is None)
                if meta is not None:
                    meta["probe_head"] = [{"name": "probe", "content": "from the extension"}]
                site = page_context.current_site(self.md)
                if site is not None:
                    index, page = site
                    assert index.page(page.src_uri) is page and "\n".join(lines).strip() == page.markdown.strip()
                return lines

        md.preprocessors.register(Record(md), "probe", 5)


def test_current_page_plain_markdown() -> None:
    seen: list[tuple[Path, str] | None] = []
    markdown.markdown("text", extensions=[_Probe(seen)])
    assert seen == [None]


def test_current_page_under_mkdocs(tmp_path: Path) -> None:
    config_file = make_site(
        tmp_path,
        f"site_name: t\ntheme: {{name: material, custom_dir: overrides}}\n"
        f"hooks:\n  - {REPO / 'hooks/mkdocs_page_context.py'}\n",
        {"index.md": "# x\n", "sub/page.md": "---\ntitle: y\n---\n# y\n"},
    )
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}{{ super() }}{% if page and page.meta %}'
        "{% for tag in page.meta.probe_head or [] %}"
        '<meta name="{{ tag.name }}" content="{{ tag.content }}">{% endfor %}{% endif %}{% endblock %}',
        encoding="utf-8",
    )
    seen: list[tuple[Path, str] | None] = []
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    config.markdown_extensions.append(_Probe(seen))  # type: ignore[arg-type]
    build(config)
    assert sorted(seen, key=str) == [(config_file.resolve(), "index.md"), (config_file.resolve(), "sub/page.md")]
    # What the extension put into the page's metadata reaches the template as page.meta.
    for page in ("index.html", "sub/page/index.html"):
        assert '<meta name="probe" content="from the extension">' in (tmp_path / "site" / page).read_text()
    assert page_context.current_page(markdown.Markdown()) is None


def test_current_page_under_zensical_context() -> None:
    # What zensical/markdown/render.py registers (zensical.extensions.context.ContextPreprocessor).
    class Page:
        path = "essay/opening.md"
        url = "essay/opening/"

    class Context(Preprocessor):
        def __init__(self, md: markdown.Markdown) -> None:
            super().__init__(md)
            self.page = Page()
            self.config = {"root_dir": str(REPO)}

        def run(self, lines: list[str]) -> list[str]:
            return lines

    md = markdown.Markdown()
    md.preprocessors.register(Context(md), "rendering_context", 0)
    assert page_context.current_page(md) == ((REPO / "mkdocs.yml").resolve(), "essay/opening.md")


def test_zensical_config_file_from_arguments(tmp_path: Path) -> None:
    (tmp_path / "other.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    root = str(tmp_path)
    assert page_context.zensical_config_file(root, ["zensical", "build"]) == (tmp_path / "mkdocs.yml").resolve()
    other = str(tmp_path / "other.yml")
    assert page_context.zensical_config_file(root, ["zensical", "build", "-f", other]) == Path(other).resolve()
    assert page_context.zensical_config_file(root, ["zensical", "build", f"--config-file={other}"]) == Path(other)
    assert page_context.zensical_config_file(str(tmp_path / "nowhere"), ["zensical"]) is None


def test_checks_inside_and_outside_a_build(tmp_path: Path) -> None:
    config_file = make_site(tmp_path, NESTED, NESTED_PAGES)
    about, intro = tmp_path / "docs/about.md", tmp_path / "docs/part/intro.md"
    first = load_site_index(config_file, "about.md")
    # Outside a build (Zensical) with the page being converted: that page's edit is seen...
    about.write_text("# About us\n", encoding="utf-8")
    second = load_site_index(config_file, "about.md")
    assert second is not first and second.page("about.md").markdown == "# About us\n"  # type: ignore[union-attr]
    # ... and so is a new page (its folder changed), and any edit when no page is named.
    (tmp_path / "docs/part/new.md").write_text("# New\n", encoding="utf-8")
    assert load_site_index(config_file, "about.md").page("part/new.md") is not None
    intro.write_text("# Intro 2\n", encoding="utf-8")
    assert load_site_index(config_file).page("part/intro.md").markdown == "# Intro 2\n"  # type: ignore[union-attr]
    # Inside a MkDocs build the files are checked once, on the first call.
    site_index.start_build()
    try:
        intro.write_text("# Intro 3\n", encoding="utf-8")
        during = load_site_index(config_file, "about.md")
        assert during.page("part/intro.md").markdown == "# Intro 3\n"  # type: ignore[union-attr]
        intro.write_text("# Intro 4\n", encoding="utf-8")
        assert load_site_index(config_file, "part/intro.md") is during
    finally:
        site_index.end_build()
    assert load_site_index(config_file, "part/intro.md").page("part/intro.md").markdown == "# Intro 4\n"  # type: ignore[union-attr]


def test_the_fast_and_the_pure_python_loader_read_configurations_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml reads mkdocs.yml (ten times as fast); what it gives must be what PyYAML's own parser gives."""
    import yaml

    from annotated_essay import site_config

    monkeypatch.setenv("SITE_URL_FOR_TEST", "https://example.org/")
    tagged = "site_name: !ENV [SITE_NAME_FOR_TEST, 'x']\nsite_url: !ENV SITE_URL_FOR_TEST\nf: !!python/name:a.b\n"
    for text in [(REPO / "mkdocs.yml").read_text(encoding="utf-8"), tagged, textwrap.dedent(NESTED)]:
        fast = yaml.load(text, Loader=site_config._FastTolerantLoader)
        pure = yaml.load(text, Loader=site_config._TolerantLoader)
        assert fast == pure
    assert site_config._FastTolerantLoader.__mro__[1] is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_a_configuration_that_is_no_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    """In the words of PyYAML's pure-Python parser, which MkDocs' loader uses too (not libyaml's)."""
    config_file = make_site(tmp_path, "site_name: t\nnav:\n  - [unclosed\n", {"index.md": "# x\n"})
    with pytest.raises(SiteConfigError) as caught:
        load_site_index(config_file)
    assert str(caught.value).startswith(f"{config_file}: cannot read the configuration: while parsing a flow")
    assert "line 3, column 5:\n      - [unclosed" in str(caught.value)
    assert "expected ',' or ']', but got '<stream end>'" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: T\n---\n# x\n",
        "---\ndate: 2025-13-45\n---\n# bad date\n",
        "---\n- a list\n---\n# not a mapping\n",
        "---\ntitle: [unclosed\n---\n# bad YAML\n",
        "---\ntitle: T\n...\n\n\n# dots\n",
        "# no front matter\n",
    ],
)
def test_front_matter_is_split_as_mkdocs_splits_it(text: str) -> None:
    from mkdocs.utils.meta import get_data

    markdown, offset, meta = site_index.split_front_matter(text)
    assert (markdown, dict(meta)) == get_data(text)
    assert text.endswith(markdown) and text[: len(text) - len(markdown)].count("\n") == offset
