"""What `make` tells and leaves a newcomer: first-run messages, system packages, cleaning up.

The Makefile runs for real in a scratch folder; the programs it would start for
long or privileged work (python -m venv, pip, apt-get) are stand-ins on PATH or
in a stand-in venv that record how they were called.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project

MAKEFILE = REPO / "Makefile"


def make(folder: Path, *arguments: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    if path is not None:
        environment["PATH"] = f"{path}{os.pathsep}{environment['PATH']}"
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(MAKEFILE), *arguments],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def stand_in(folder: Path, name: str, script: str) -> Path:
    """An executable shell script ``folder/name`` (a stand-in for a real program)."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_every_command_is_phony() -> None:
    text = MAKEFILE.read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", text, re.MULTILINE))
    phony = set(re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split())  # type: ignore[union-attr]
    assert "lock" in targets
    assert targets == phony


def test_first_run_says_what_it_does_and_shows_pips_progress(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    # `python -m venv --clear .venv` makes a venv whose pip and python only record their arguments.
    python = stand_in(
        tmp_path / "bin",
        "python",
        f'mkdir -p .venv/bin .venv/lib\necho "python $*" >> {calls}\n'
        f"printf '#!/bin/sh\\necho \"pip $*\" >> {calls}\\n' > .venv/bin/pip\n"
        f"printf '#!/bin/sh\\necho .venv/lib\\n' > .venv/bin/python\n"
        "chmod +x .venv/bin/pip .venv/bin/python\n",
    )
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    result = make(tmp_path, ".venv/.installed", f"PYTHON={python}")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "first run only" in lines[0], lines
    assert lines[-1] == ".venv is ready."
    recorded = calls.read_text(encoding="utf-8").splitlines()
    assert recorded[0] == "python -m venv --clear .venv"
    lock_install = next(line for line in recorded if "requirements.lock" in line)
    assert "--quiet" not in lock_install and "-q " not in lock_install  # pip shows its progress
    # Nothing to do the second time.
    again = make(tmp_path, ".venv/.installed", f"PYTHON={python}")
    assert "first run only" not in again.stdout


def test_a_missing_venv_module_names_the_debian_package(tmp_path: Path) -> None:
    python = stand_in(tmp_path / "bin", "python", 'echo "No module named venv" >&2\nexit 1\n')
    for name in ("requirements.lock", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    result = make(tmp_path, ".venv/.installed", f"PYTHON={python}")
    assert result.returncode != 0
    assert "sudo apt-get install python3-venv" in result.stdout


@pytest.fixture
def apt(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in apt-get on PATH that records its arguments: (PATH folder, record)."""
    record = tmp_path / "apt.txt"
    folder = tmp_path / "fake-bin"
    stand_in(folder, "apt-get", f'echo "apt-get $*" >> {record}\n')
    return folder, record


def test_without_root_system_packages_are_skipped_with_the_command_to_run(
    tmp_path: Path, apt: tuple[Path, Path]
) -> None:
    folder, record = apt
    result = make(tmp_path, "system-deps", "USER_ID=1000", "CHROMIUM=/nonexistent/chromium", path=folder)
    assert result.returncode == 0
    assert "Not running as root: system packages skipped (missing: chromium" in result.stdout
    assert "sudo make system-deps" in result.stdout
    assert not record.exists()


def test_as_root_apt_says_what_it_installs(tmp_path: Path, apt: tuple[Path, Path]) -> None:
    folder, record = apt
    result = make(tmp_path, "system-deps", "USER_ID=0", "CHROMIUM=/nonexistent/chromium", path=folder)
    assert result.returncode == 0, result.stderr
    assert "Installing system packages with apt (first run only): chromium" in result.stdout
    calls = record.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "apt-get update -q"
    assert calls[1].startswith("apt-get install -y -q chromium")


def test_nothing_missing_nothing_said(tmp_path: Path, apt: tuple[Path, Path]) -> None:
    folder, record = apt
    if not (Path("/usr/bin/chromium").exists() and shutil.which("java") and shutil.which("fc-list")):
        pytest.skip("needs the system packages installed (make system-deps)")
    result = make(tmp_path, "system-deps", "USER_ID=0", path=folder)
    assert result.returncode == 0
    assert result.stdout == ""
    assert not record.exists()


def test_check_removes_its_site_also_when_the_build_fails(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    project = copy_project(tmp_path / "project")
    bin_dir = Path(sys.executable).parent
    common = ["-o", ".venv/.installed", f"BIN={bin_dir}", f"TMPDIR={scratch}"]
    result = make(project, "check", *common, path=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mkdocs build --strict --site-dir" in result.stdout
    assert list(scratch.iterdir()) == []
    page = project / "docs" / "essay" / "conclusion.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAdded [@nosuchkey].\n", encoding="utf-8")
    failed = make(project, "check", *common)
    assert failed.returncode != 0
    assert "nosuchkey" in failed.stdout + failed.stderr
    assert list(scratch.iterdir()) == []


def test_clean_removes_what_builds_and_tests_leave(tmp_path: Path) -> None:
    left = ["site/index.html", "test-output/screenshots/a.png", ".hypothesis/examples/x", ".cache/x/y"]
    left += [".annotated-essay-cache/y"]
    for relative in [*left, ".venv/bin/python", "docs/index.md"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    result = make(tmp_path, "clean")
    assert result.returncode == 0, result.stderr
    for relative in left:
        assert not (tmp_path / relative.split("/")[0]).exists(), relative
    assert (tmp_path / ".venv/bin/python").exists() and (tmp_path / "docs/index.md").exists()
