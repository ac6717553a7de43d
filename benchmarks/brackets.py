"""Benchmark: a paragraph of '@', '[' and ';' builds in about the time of plain text of that length.

Issue 11 asks for linear time: no backtracking pattern over a paragraph, and
Python-Markdown's link processors made linear (``annotated_essay.linear_brackets``).
This builds the project with one extra page holding a single paragraph of
``--size`` characters (100,000 by default), once drawn from ``@[;`` and once
plain words, ``--runs`` times each, interleaved, and prints the medians; and it
converts the same paragraphs with plain Python-Markdown, which is quadratic
on the first (``--bare-size`` characters, 20,000 by default: 100,000 would take minutes).

Run ``.venv/bin/python benchmarks/brackets.py [--size N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[1]


def paragraph(alphabet: str, size: int, seed: int = 11) -> str:
    """``size`` characters drawn from ``alphabet`` (the same for every run)."""
    chooser = random.Random(seed)
    return "".join(chooser.choice(alphabet) for _ in range(size))


def plain_text(size: int, seed: int = 11) -> str:
    """Words of ordinary prose, ``size`` characters in all."""
    chooser = random.Random(seed)
    words = ["the", "essay", "China", "Moscow", "relations", "of", "and", "in", "1969", "border"]
    text = ""
    while len(text) < size:
        text += chooser.choice(words) + " "
    return text[:size]


def project_with(page_text: str, folder: Path) -> Path:
    """A copy of the project with ``docs/paragraph.md`` holding ``page_text``; its mkdocs.yml."""
    for name in ("docs", "bib", "hooks", "overrides"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "docs" / "paragraph.md").write_text("# Paragraph\n\n" + page_text + "\n", encoding="utf-8")
    return folder / "mkdocs.yml"


def build_seconds(config: Path) -> float:
    """One in-process ``mkdocs build`` (not strict: unknown '@words' are the point, not errors)."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    started = time.perf_counter()
    build(load_config(str(config), site_dir=str(config.parent / "site")))
    return time.perf_counter() - started


def bare_seconds(text: str) -> float:
    """Plain Python-Markdown, without our extensions, on ``text``."""
    started = time.perf_counter()
    markdown.markdown(text)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="characters in the paragraph")
    parser.add_argument("--runs", type=int, default=5, help="builds of each variant")
    parser.add_argument("--bare-size", type=int, default=20_000, help="characters for plain Python-Markdown")
    arguments = parser.parse_args(argv)
    variants = {"'@[;' paragraph": paragraph("@[;", arguments.size), "plain text": plain_text(arguments.size)}
    timings: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as work:
        configs = {
            name: project_with(text, Path(work) / str(index)) for index, (name, text) in enumerate(variants.items())
        }
        for config in configs.values():
            build_seconds(config)  # warm-up: imports, caches
        for _ in range(arguments.runs):
            for name, config in configs.items():
                timings[name].append(build_seconds(config))
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"Site build with one paragraph of {arguments.size:,} characters, median of {arguments.runs}:")
    print("| paragraph | seconds | ratio |\n| --- | ---: | ---: |")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.2f} | {seconds / medians['plain text']:.2f} |")
    bare = {
        "'@[;' paragraph": bare_seconds(paragraph("@[;", arguments.bare_size)),
        "plain text": bare_seconds(plain_text(arguments.bare_size)),
    }
    print(f"\nPlain Python-Markdown {markdown.__version__}, {arguments.bare_size:,} characters, one run:")
    print("| paragraph | seconds |\n| --- | ---: |")
    for name, seconds in bare.items():
        print(f"| {name} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
