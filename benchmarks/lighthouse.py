"""Lighthouse scores of the built site: accessibility, best practices, SEO and performance.

Builds the site strictly, serves it on 127.0.0.1, and runs the pinned Lighthouse
(``benchmarks/lighthouse/``, installed with ``npm ci`` when missing) with
Debian's Chromium and the default mobile preset on the landing page and one
essay page. The server compresses text with gzip, as every production
host does; without it, Lighthouse's simulated slow 4G makes Material's 137 KiB
stylesheet dominate the first paint. Prints a Markdown table of the median scores over ``--runs`` runs
and every audit that lost points; writes the reports under
``benchmarks/.work/lighthouse/``. Not a test: the figures go in README.md.

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [PAGE ...]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "benchmarks" / "lighthouse"
WORK = REPO / "benchmarks" / ".work" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_PAGES = ("", "essay/opening/")
#: Targets from issue 4.
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}


#: Types a production host compresses (GitHub Pages, Netlify and nginx's defaults do).
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".bib", ".ris", "/")


class _Handler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it, as any real host serves them."""

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the slash form
            path = os.path.join(path, "index.html")
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants_gzip or not os.path.isfile(path) or not path.endswith(COMPRESSED):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_site(site_dir: Path) -> None:
    if site_dir.exists():
        shutil.rmtree(site_dir)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=REPO,
        env=env,
        check=True,
    )


def lighthouse_binary() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    return binary


def run_lighthouse(binary: Path, url: str, report: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env=env,
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def lost_points(result: dict[str, Any]) -> list[str]:
    """Scored audits below 1 in any category, as ``category: audit (score)``."""
    lines = []
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{name}: {ref['id']} ({audit['score']:.2f}) {audit.get('displayValue', '')}".rstrip())
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=list(DEFAULT_PAGES), help="paths below the site root")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    site_dir = WORK / "site"
    build_site(site_dir)
    binary = lighthouse_binary()
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    summary: dict[str, dict[str, float]] = {}
    problems: dict[str, set[str]] = {}
    try:
        for path in args.pages:
            scores: dict[str, list[float]] = {name: [] for name in CATEGORIES}
            for run in range(args.runs):
                slug = path.strip("/").replace("/", "-") or "home"
                result = run_lighthouse(binary, origin + path, WORK / f"{slug}-{run + 1}.json")
                for name in CATEGORIES:
                    scores[name].append(round(result["categories"][name]["score"] * 100))
                problems.setdefault(path or "/", set()).update(lost_points(result))
            summary[path or "/"] = {name: statistics.median(values) for name, values in scores.items()}
            print(f"{path or '/'}: " + ", ".join(f"{name} {values}" for name, values in scores.items()), flush=True)
    finally:
        server.shutdown()
        server.server_close()

    lighthouse_version = json.loads((TOOL / "package.json").read_text(encoding="utf-8"))["dependencies"]["lighthouse"]
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nLighthouse {lighthouse_version}, {chromium}, mobile preset, median of {args.runs} runs; "
        f"load average {load} on {os.cpu_count()} CPUs (performance suffers on a busy machine)\n"
    )
    print("| page | performance | accessibility | best practices | SEO |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for path, medians in summary.items():
        print(f"| `{path}` | " + " | ".join(f"{medians[name]:g}" for name in CATEGORIES) + " |")
    for path, lines in problems.items():
        for line in sorted(lines):
            print(f"{path}: lost points: {line}")
    (WORK / "scores.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    missed = [
        f"{path} {name} {medians[name]:g} < {TARGETS[name]}"
        for path, medians in summary.items()
        for name in CATEGORIES
        if medians[name] < TARGETS[name]
    ]
    for line in missed:
        print(f"below target: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
