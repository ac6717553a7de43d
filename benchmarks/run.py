"""Build-time benchmarks: our site against bare Material and against mkdocs-bibtex 4.4.0.

Run ``make benchmark`` (or ``.venv/bin/python benchmarks/run.py [--quick]``). Every build
runs ``mkdocs build --strict`` in a fresh subprocess, with its output captured to a log
file under ``benchmarks/.work/logs``; the variants of one comparison are built in turn
(interleaved), one warm-up round first, and medians are reported as ratios against the
bare baseline measured in the same run. Peak memory is each build subprocess's maximum
resident set size (``os.wait4``). The results go to stdout and ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import io
import math
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402 (a sibling script, importable once its folder is on the path)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
LOGS = WORK / "logs"
RESULTS = BENCH / "RESULTS.md"
BIBTEX_REQUIREMENTS = BENCH / "requirements-mkdocs-bibtex.txt"
BIBTEX_VENV = WORK / "venv-bibtex"
OUR_PYTHON = Path(sys.executable)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "0"}
_JIEBA = re.compile(r"Loading model cost ([\d.]+) seconds")


class BenchmarkError(Exception):
    """A build or a server did not do what the benchmark needs."""


# -- one build --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """One thing to build: a label, the Python of the venv to build with, its mkdocs.yml."""

    label: str
    python: Path
    config: Path


@dataclasses.dataclass
class Measurement:
    """Wall-clock seconds, peak RSS (KiB) and jieba's model load time of each measured build."""

    case: Case
    seconds: list[float] = dataclasses.field(default_factory=list)
    rss_kib: list[int] = dataclasses.field(default_factory=list)
    jieba: list[float] = dataclasses.field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_without_jieba(self) -> float:
        return statistics.median(s - j for s, j in zip(self.seconds, self.jieba, strict=True))

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


def build_once(case: Case, log_name: str) -> tuple[float, int, float]:
    """Build ``case`` once; return seconds, peak RSS in KiB and jieba's model load seconds.

    Raises:
        BenchmarkError: The build failed (its log is named).
    """
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"{log_name}.log"
    site_dir = WORK / "site" / case.label.replace(" ", "-")
    command = [str(case.python), "-m", "mkdocs", "build", "--strict", "-f", str(case.config), "-d", str(site_dir)]
    with log_path.open("wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=ENV, cwd=case.config.parent)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise BenchmarkError(f"{case.label}: build failed ({process.returncode}); see {log_path}")
    jieba = sum(float(value) for value in _JIEBA.findall(output))
    return elapsed, usage.ru_maxrss, jieba


def measure(cases: Sequence[Case], runs: int, name: str, warmup: int = 1) -> list[Measurement]:
    """Build every case ``warmup + runs`` times, interleaved; keep the last ``runs``."""
    results = [Measurement(case) for case in cases]
    for round_number in range(warmup + runs):
        for result in results:
            seconds, rss, jieba = build_once(result.case, f"{name}-{result.case.label}-{round_number}")
            if round_number >= warmup:
                result.seconds.append(seconds)
                result.rss_kib.append(rss)
                result.jieba.append(jieba)
        done = ", ".join(f"{r.case.label} {r.seconds[-1]:.2f}s" for r in results if r.seconds)
        print(f"  {name} round {round_number + 1}/{warmup + runs}: {done or 'warm-up'}", flush=True)
    return results


# -- mkdocs-bibtex's own venv -------------------------------------------------------------------


def bibtex_python() -> Path:
    """Python of a venv with exactly the pins of requirements-mkdocs-bibtex.txt (made once)."""
    stamp = BIBTEX_VENV / ".installed"
    wanted = hashlib.sha256(BIBTEX_REQUIREMENTS.read_bytes()).hexdigest()
    python = BIBTEX_VENV / "bin" / "python"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted and python.exists():
        return python
    print(f"Installing mkdocs-bibtex into {BIBTEX_VENV.relative_to(REPO)} …", flush=True)
    shutil.rmtree(BIBTEX_VENV, ignore_errors=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base_python, "-m", "venv", str(BIBTEX_VENV)], check=True, env=ENV)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(BIBTEX_REQUIREMENTS)],
        check=True,
        env=ENV,
    )
    stamp.write_text(wanted, encoding="utf-8")
    return python


# -- mkdocs serve -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise BenchmarkError(f"timed out after {timeout:.0f}s waiting for {what}")


def serve_latency(case: Case, page: str, url_path: str, edits: int, timeout: float = 300) -> list[float]:
    """Seconds from editing ``page`` (under docs/) to its rebuilt version being served, per edit."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = LOGS / f"serve-{case.label.replace(' ', '-')}.log"
    source = case.config.parent / "docs" / page
    original = source.read_text(encoding="utf-8")
    command = [str(case.python), "-m", "mkdocs", "serve", "-f", str(case.config), "-a", f"127.0.0.1:{port}"]
    latencies = []
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=ENV, cwd=case.config.parent, start_new_session=True
        )
        try:
            _wait_for(lambda: server.poll() is not None or _get(base + url_path) is not None, timeout, "the server")
            if server.poll() is not None:
                raise BenchmarkError(f"{case.label}: mkdocs serve exited; see {log_path}")
            for edit in range(edits):
                marker = f"benchmark-edit-{edit}-{time.time_ns()}"
                start = time.perf_counter()
                source.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                _wait_for(lambda: marker in (_get(base + url_path) or ""), timeout, f"edit {edit} to be served")
                latencies.append(time.perf_counter() - start)
                time.sleep(0.5)
        finally:
            source.write_text(original, encoding="utf-8")
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(timeout=15)
    return latencies


# -- profile ----------------------------------------------------------------------------------


def profile_build(config: Path, top: int = 15) -> tuple[str, str]:
    """cProfile one build of ``config`` in a subprocess; the top entries by own and cumulative time."""
    output = WORK / "profile.prof"
    command = [
        str(OUR_PYTHON), "-m", "cProfile", "-o", str(output),
        "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(WORK / "site" / "profile"),
    ]  # fmt: skip
    with (LOGS / "profile.log").open("wb") as log:
        subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=ENV, check=True, cwd=config.parent)
    tables = []
    for order, restriction in (("tottime", top), ("cumulative", r"annotated_essay|hooks/")):
        stream = io.StringIO()
        stats = pstats.Stats(str(output), stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(restriction, top)
        text = stream.getvalue()
        lines = text[text.index("   ncalls") :].rstrip().splitlines()
        tables.append("\n".join(lines[: top + 1]))
    return tables[0], tables[1]


# -- arithmetic and reporting -----------------------------------------------------------------


def fit_exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(value) for value in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )


@dataclasses.dataclass
class Report:
    """Markdown sections collected as the benchmark runs; printed and written at the end."""

    sections: list[str] = dataclasses.field(default_factory=list)

    def add(self, text: str) -> None:
        self.sections.append(text)
        print("\n" + text + "\n", flush=True)


def comparison_table(results: Sequence[Measurement], baseline: Measurement) -> str:
    """Markdown table: median, ratio and added time against ``baseline``, peak memory."""
    rows = [
        "| build | median s | × bare | added s | × bare, jieba load excluded | peak RSS MiB | runs (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        ratio = result.median / baseline.median
        added = result.median - baseline.median
        ratio_wo = result.median_without_jieba / baseline.median_without_jieba
        runs = " ".join(f"{value:.2f}" for value in result.seconds)
        rows.append(
            f"| {result.case.label} | {result.median:.2f} | {ratio:.2f} | {added:+.2f} | {ratio_wo:.2f} "
            f"| {result.peak_mib:.0f} | {runs} |"
        )
    return "\n".join(rows)


def added_time_note(ours: Measurement, bibtex: Measurement, bare: Measurement) -> str:
    """How many times more time mkdocs-bibtex adds than ours."""
    ours_added = ours.median - bare.median
    bibtex_added = bibtex.median - bare.median
    if ours_added <= 0:
        return f"Ours adds no measurable time ({ours_added:+.2f} s); mkdocs-bibtex adds {bibtex_added:+.2f} s."
    return (
        f"Added time: ours {ours_added:+.2f} s, mkdocs-bibtex {bibtex_added:+.2f} s "
        f"(mkdocs-bibtex adds {bibtex_added / ours_added:.1f}× as much)."
    )


# -- the benchmark ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark; write benchmarks/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 runs, growth 1× and 4× only")
    parser.add_argument("--runs", type=int, help="measured runs per build (default 5, --quick 2)")
    parser.add_argument("--no-bibtex", action="store_true", help="skip mkdocs-bibtex (no venv install)")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve benchmark")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile of a scale build")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the Markdown report")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    multipliers = (1, 4) if args.quick else (1, 4, 16)
    started = time.monotonic()
    WORK.mkdir(exist_ok=True)
    projects = WORK / "projects"
    report = Report()
    glossary = corpus.glossary_available()
    report.add(
        "# Benchmark results\n\n"
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/run.py"
        f"{' --quick' if args.quick else ''}` on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}. Medians of {runs} runs after one warm-up round; each build is "
        "`python -m mkdocs build --strict` in a fresh subprocess, variants interleaved. *Bare* is the same "
        "site without our hooks and Markdown extensions (citation markers stay text). "
        "*Jieba load excluded* subtracts the one-time jieba model load that Material's search logs when a "
        "page contains CJK text (only sites whose output has CJK text pay it)."
        + ("" if glossary else "\n\n**The glossary feature has not landed: the corpus has no glossary.**")
    )
    with_bibtex = not args.no_bibtex
    bib_python = bibtex_python() if with_bibtex else None

    def cases(kind: str, make: Callable[[Path, str], corpus.Corpus]) -> list[Case]:
        made = []
        for variant in corpus.VARIANTS:
            if variant == "bibtex" and bib_python is None:
                continue
            project = make(projects / f"{kind}-{variant}", variant)
            python = bib_python if variant == "bibtex" and bib_python else OUR_PYTHON
            made.append(Case(f"{kind} {variant}", python, project.config))
        return made

    # 1 and 2: the essay.
    print("Essay …", flush=True)
    essay_cases = cases("essay", corpus.essay)
    essay = measure(essay_cases, runs, "essay")
    text = "## 1–2. The essay\n\n" + comparison_table(essay, essay[1])
    if with_bibtex:
        text += "\n\n" + added_time_note(essay[0], essay[2], essay[1])
    report.add(text)

    # 3: the scale corpus.
    print("Scale corpus …", flush=True)
    scale_cases = cases("scale", lambda dest, variant: corpus.scale(dest, variant))
    scale = measure(scale_cases, runs, "scale")
    sample = corpus.scale(projects / "scale-ours", "ours")
    text = (
        f"## 3. Scale corpus\n\n{len(sample.pages)} pages citing {sample.citations_per_page} keys each, "
        f"{sample.entries} BibTeX entries (articles, books, misc; 20% CJK), "
        f"{sample.glossary_terms} glossary terms.\n\n" + comparison_table(scale, scale[1])
    )
    if with_bibtex:
        text += "\n\n" + added_time_note(scale[0], scale[2], scale[1])
    report.add(text)

    # 4: growth series.
    print("Growth series …", flush=True)
    growth: dict[int, list[Measurement]] = {}
    for multiplier in multipliers:
        made = []
        for variant in ("ours", "bare"):
            project = corpus.scale(projects / f"growth{multiplier}-{variant}", variant, multiplier)
            made.append(Case(f"{multiplier}× {variant}", OUR_PYTHON, project.config))
        # The largest size gets fewer runs to keep the whole benchmark under ~15 minutes.
        growth[multiplier] = measure(made, runs if multiplier < 16 else min(runs, 3), f"growth{multiplier}")
    rows = ["| size | pages | entries | ours s | bare s | ours × bare | ours peak MiB | bare peak MiB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for multiplier, (ours, bare) in growth.items():
        rows.append(
            f"| {multiplier}× | {100 * multiplier} | {2000 * multiplier} | {ours.median:.2f} | {bare.median:.2f} "
            f"| {ours.median / bare.median:.2f} | {ours.peak_mib:.0f} | {bare.peak_mib:.0f} |"
        )
    sizes = list(growth)
    ours_exponent = fit_exponent(sizes, [pair[0].median for pair in growth.values()])
    bare_exponent = fit_exponent(sizes, [pair[1].median for pair in growth.values()])
    added = [pair[0].median - pair[1].median for pair in growth.values()]
    added_exponent = fit_exponent(sizes, added) if all(value > 0 for value in added) else float("nan")
    report.add(
        "## 4. Growth series\n\n" + "\n".join(rows) + "\n\n"
        f"Fitted exponent of build time against size (log-log least squares): ours **{ours_exponent:.2f}**, "
        f"bare {bare_exponent:.2f}; of the time ours adds to bare: {added_exponent:.2f}."
    )

    # 5: mkdocs serve.
    if not args.no_serve:
        print("mkdocs serve …", flush=True)
        edits = 2 if args.quick else 5
        rows = ["| site | page edited | median s | edits (s) |", "| --- | --- | ---: | --- |"]
        targets = [(case, "essay/conclusion.md", "essay/conclusion/") for case in essay_cases]
        targets += [(case, "pages/page-0050.md", "pages/page-0050/") for case in scale_cases]
        for case, page, url_path in targets:
            latencies = serve_latency(case, page, url_path, edits)
            rows.append(
                f"| {case.label} | {page} | {statistics.median(latencies):.2f} "
                f"| {' '.join(f'{value:.2f}' for value in latencies)} |"
            )
            print(f"  serve {case.label}: {statistics.median(latencies):.2f}s", flush=True)
        report.add(
            "## 5. `mkdocs serve`: edit to served page\n\nTime from writing the page to the rebuilt page "
            "containing the edit being served (polled every 20 ms; includes MkDocs' file-watch delay).\n\n"
            + "\n".join(rows)
        )

    # 6 is in every table above (peak RSS). Then the profile.
    if not args.no_profile:
        print("Profile …", flush=True)
        own, ours_cumulative = profile_build(projects / "scale-ours" / "mkdocs.yml")
        report.add(
            "## Profile of one scale-corpus build with our hooks (cProfile)\n\n"
            "Top entries by own time:\n\n```text\n" + own + "\n```\n\n"
            "Our code by cumulative time:\n\n```text\n" + ours_cumulative + "\n```"
        )
    report.add(f"Total benchmark time: {time.monotonic() - started:.0f} s.")
    args.output.write_text("\n\n".join(report.sections) + "\n", encoding="utf-8")
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
