"""Under Zensical, whole pages kept between builds: the same site and warnings, and any input's change seen."""

from __future__ import annotations

import os
import pickle
import subprocess
from pathlib import Path

import pytest

from annotated_essay.citation_settings import CACHE_DIR
from annotated_essay.zensical_kept_pages import KeptPage
from tests.conftest import BuiltSite, build_with_zensical, copy_project

pytestmark = pytest.mark.mkdocs_only  # builds with Zensical itself, under either engine's run


def _files(site: BuiltSite) -> dict[str, bytes]:
    return {
        str(path.relative_to(site.site_dir)): path.read_bytes() for path in site.site_dir.rglob("*") if path.is_file()
    }


def _kept(root: Path) -> dict[Path, KeptPage]:
    return {path: pickle.loads(path.read_bytes()) for path in (root / CACHE_DIR).glob("kept-page-*.pickle")}


def test_a_warm_build_gives_the_same_site_and_warnings_from_the_kept_pages(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    page = root / "docs/essay/conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAs argued before [@nosuchkey2020].\n", encoding="utf-8")
    cold = build_with_zensical(root, strict=False)
    assert cold.error is None, cold.report
    assert any("nosuchkey2020" in message for message in cold.messages), cold.report
    kept = _kept(root)
    assert len(kept) == 11  # every page, the landing page (which writes the citation files) too
    warm = build_with_zensical(root, strict=False)
    assert warm.error is None, warm.report
    assert warm.messages == cold.messages  # the conversions' warnings, logged again in the same order
    assert _files(warm) == _files(cold)  # every page, the citation files (--clean deleted them) and the search index
    assert (warm.site_dir / "cite/essay.bib").is_file()
    assert _kept(root).keys() == kept.keys()  # nothing converted again, nothing new kept
    strict = build_with_zensical(root)  # the warnings given again count as the conversions' own
    assert strict.error is not None and strict.messages == cold.messages
    # The pages do come from the cache folder: a kept page changed there is what the next build shows.
    for path, found in kept.items():  # the conclusion's page and the print page show the citation
        path.write_bytes(pickle.dumps(found._replace(html=found.html.replace("nosuchkey2020", "fromthecache"))))
    assert "fromthecache" in build_with_zensical(root, strict=False).html("essay/conclusion/index.html")


@pytest.mark.parametrize(
    ("changed", "old", "new", "shown_on"),
    [
        ("docs/essay/opening.md", "everlasting allies", "everlasting (kept?) allies", "essay/opening/index.html"),
        ("bib/references.bib", "Vámos", "Vámos-Orbán", "references/index.html"),
        ("docs/timeline.yml", "Death of Stalin", "The death of Stalin", "print/index.html"),
    ],
)
def test_an_input_that_changes_is_seen_by_the_next_build(
    tmp_path: Path, changed: str, old: str, new: str, shown_on: str
) -> None:
    """A page, a file a setting names (.bib, timeline data), reach the pages that show them though pages are kept."""
    root = copy_project(tmp_path / "project")
    first = build_with_zensical(root)
    assert first.error is None, first.report
    assert new not in first.html(shown_on)
    path = root / changed
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    second = build_with_zensical(root)
    assert second.error is None, second.report
    assert new in second.html(shown_on)


def test_the_editions_date_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The edition's date comes from git (or SOURCE_DATE_EPOCH), not from a file the build reads.

    A commit of a file no page reads (``data/``, part of the edition's content) moves
    the date: the landing page shows it though no input file changed.
    """
    root = copy_project(tmp_path / "project")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def commit(date: str) -> None:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Editor",
            "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "Editor",
            "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
        }
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", "edition"], cwd=root, check=True, env=env)

    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    commit("2023-11-14T12:00:00+00:00")
    first = build_with_zensical(root)
    assert first.error is None, first.report
    assert 'datetime="2023-11-14"' in first.html("index.html")
    (root / "data").mkdir()
    (root / "data/notes.txt").write_text("An editors' note no page reads.\n", encoding="utf-8")
    commit("2025-06-15T12:00:00+00:00")
    second = build_with_zensical(root)
    assert second.error is None, second.report
    assert 'datetime="2025-06-15"' in second.html("index.html")
