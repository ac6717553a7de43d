"""Corpus cases for the essay's metadata (``extra.essay``) and the landing page's blocks."""

from __future__ import annotations

from typing import Any

from tests.conftest import REPO
from tests.robustness.corpus import Case, ConfigEdit


def essay_setting(**values: Any) -> ConfigEdit:
    """Set fields of ``extra.essay`` in the copied ``mkdocs.yml``."""

    def edit(data: dict[str, Any]) -> None:
        data["extra"]["essay"].update(values)

    return edit


_INDEX = (REPO / "docs/index.md").read_text(encoding="utf-8")

META_CASES = [
    Case(
        "meta-year-not-a-year",
        config=essay_setting(written_inferred="early 2025"),
        expect=("mkdocs.yml:", "extra.essay.written_inferred is 'early 2025'", "write a four-digit year"),
        fatal=True,
    ),
    Case(
        "meta-stated-and-inferred-year",
        config=essay_setting(written="2025"),
        expect=("mkdocs.yml:", "extra.essay has both 'written' and 'written_inferred'", "keep 'written'"),
        fatal=True,
    ),
    Case(
        "meta-editor-without-a-name",
        config=essay_setting(editors=[{"given": "Anon"}]),
        expect=("mkdocs.yml:", "extra.essay.editors has an entry", "write the editors' names"),
        fatal=True,
    ),
    Case(
        "meta-dateline-as-place",
        config=essay_setting(place="Beijing / China"),
        expect=("mkdocs.yml:", "unknown field 'place' (the author's dateline is 'dateline')", "use one of"),
    ),
    Case(
        "meta-markers-in-code-stay-text",
        files={"docs/index.md": _INDEX + "\n```\n::: essay-header\n```\n\nWrite `::: cite-this-essay` alone.\n"},
        html={"index.html": (">::: essay-header\n</code></pre>", "<code>::: cite-this-essay</code>")},
    ),
]
