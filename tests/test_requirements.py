"""The pins people edit (requirements*.txt) and the hash-checked lock `make` installs agree."""

from __future__ import annotations

import re

from tests.conftest import REPO


def pins(text: str) -> set[str]:
    found = set()
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if match:
            found.add(f"{re.sub(r'[-_.]+', '-', match.group(1)).lower()}=={match.group(2)}")
    return found


def test_every_pin_is_exact() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "-r ")):
                assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+$", line), f"{name}: {line}"


def test_lock_matches_the_pins() -> None:
    wanted = pins((REPO / "requirements.txt").read_text(encoding="utf-8"))
    wanted |= pins((REPO / "requirements-dev.txt").read_text(encoding="utf-8"))
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    assert pins(lock) == wanted
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock)[1:]
    assert len(entries) == len(wanted)
    assert all("--hash=sha256:" in entry for entry in entries)


def test_zensical_lock_matches_its_pins() -> None:
    text = (REPO / "requirements-zensical.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+$", line), f"requirements-zensical.txt: {line}"
    wanted = pins(text)
    assert "zensical==0.0.73" in wanted
    assert not any(pin.startswith("mkdocs") for pin in wanted)  # the extensions must work without MkDocs
    lock = (REPO / "requirements-zensical.lock").read_text(encoding="utf-8")
    assert pins(lock) == wanted
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock)[1:]
    assert len(entries) == len(wanted)
    assert all("--hash=sha256:" in entry for entry in entries)


def test_zensical_venv_has_what_the_extensions_import() -> None:
    """Every library a module of the package imports (anywhere in it) is in Zensical's venv.

    Modules that import MkDocs are MkDocs glue and are left out: under Zensical
    no hook runs them.
    """
    import ast
    import subprocess
    import sys

    from tests.conftest import zensical_command

    wanted: set[str] = set()
    for path in sorted((REPO / "src" / "annotated_essay").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        names |= {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        if "mkdocs" in names:
            continue
        wanted |= {name for name in names if name not in sys.stdlib_module_names and name != "annotated_essay"}
    assert {"markdown", "bibtexparser", "citeproc"} <= wanted
    python = zensical_command().with_name("python")
    check = (
        "import importlib.util, sys; print(' '.join(n for n in sys.argv[1:] if importlib.util.find_spec(n) is None))"
    )
    missing = subprocess.run([str(python), "-c", check, *sorted(wanted)], capture_output=True, text=True, check=True)
    assert missing.stdout.split() == [], "add to requirements-zensical.txt (then `make lock`)"


def test_configured_extensions_import_without_mkdocs() -> None:
    """Each ``annotated_essay`` extension in mkdocs.yml imports in Zensical's venv, which has no MkDocs."""
    import subprocess

    from annotated_essay.site_index import load_site_index
    from tests.conftest import zensical_command

    extensions = [
        name
        for name, _ in load_site_index(REPO / "mkdocs.yml").markdown_extensions
        if name.startswith("annotated_essay.")
    ]
    assert "annotated_essay.citations" in extensions
    python = zensical_command().with_name("python")
    check = (
        "import importlib, sys, traceback\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        print(name, traceback.format_exc(limit=-2))\n"
    )
    done = subprocess.run([str(python), "-c", check, *extensions], capture_output=True, text=True, check=True)
    assert done.stdout == "", f"extensions that do not import without MkDocs:\n{done.stdout[-3000:]}"
