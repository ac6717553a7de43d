"""The theme's compiled templates kept in the cache folder (annotated_essay.template_cache)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from annotated_essay.content_cache import OUR_FILES
from annotated_essay.template_cache import PREFIX, use_bytecode_cache


def environment(source: str, cache_dir: Path | str | None) -> tuple[jinja2.Environment, list[str]]:
    """An environment with one template, ``page.html``, and the list of the templates it compiles."""
    compiled: list[str] = []

    class Counting(jinja2.Environment):
        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
            compiled.append(name)
            return super().compile(source, name, filename, raw, defer_init)

    env = Counting(loader=jinja2.DictLoader({"page.html": source}), auto_reload=False)
    use_bytecode_cache(env, str(cache_dir) if cache_dir else None)
    return env, compiled


def test_a_template_is_compiled_once_and_again_when_it_changes(tmp_path: Path) -> None:
    first, compiled = environment("Hello {{ name }}!", tmp_path)
    assert first.get_template("page.html").render(name="you") == "Hello you!"
    assert compiled == ["page.html"]
    files = [path.name for path in tmp_path.iterdir()]
    assert len(files) == 1 and files[0].startswith(PREFIX) and files[0].startswith(OUR_FILES)

    second, compiled = environment("Hello {{ name }}!", tmp_path)  # the next build
    assert second.get_template("page.html").render(name="you") == "Hello you!"
    assert compiled == []  # read from the cache folder

    edited, compiled = environment("Goodbye {{ name }}.", tmp_path)
    assert edited.get_template("page.html").render(name="you") == "Goodbye you."
    assert compiled == ["page.html"]


def test_other_syntax_settings_do_not_share_compiled_templates(tmp_path: Path) -> None:
    plain, _ = environment("{{ 1 }}", tmp_path)
    plain.get_template("page.html").render()
    other, compiled = environment("{{ 1 }}", tmp_path)
    other.trim_blocks = True  # before the cache is chosen in a real build; here: a second, fresh environment
    other.bytecode_cache = None
    use_bytecode_cache(other, str(tmp_path))
    other.get_template("page.html").render()
    assert compiled == ["page.html"]


@pytest.mark.parametrize("folder", ["none", "a file"])
def test_without_a_usable_folder_templates_are_compiled_as_usual(tmp_path: Path, folder: str) -> None:
    cache_dir: Path | None = None
    if folder == "a file":
        cache_dir = tmp_path / "cache"
        cache_dir.write_text("not a folder", encoding="utf-8")
    env, compiled = environment("x{{ 2 }}", cache_dir)
    assert env.bytecode_cache is None
    assert env.get_template("page.html").render() == "x2"
    assert compiled == ["page.html"]


def test_a_folder_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, compiled = environment("y{{ 3 }}", tmp_path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    assert env.get_template("page.html").render() == "y3"
    assert compiled == ["page.html"]
    assert list(tmp_path.iterdir()) == []
