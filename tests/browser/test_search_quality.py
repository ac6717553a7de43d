"""Recall and precision of Chinese (and Japanese and Korean) search, measured in Chromium.

The queries run through the search workers the site really uses, fed the
built ``search_index.json``: the site's own (``workers/cjk-search.js``, which
wraps Material's) and, for comparison, Material's worker alone with the same
index, which treats every CJK letter as a word of its own. A page *should* be
found for a query when the query stands, letters side by side, in the text or
title of one of its indexed sections (the text search reads: notes and
back-links are left out of the index by design, see README).

The query set: every substring of two or more letters of every run of CJK
letters in the index (positives), and letter pairs that occur in one section
but never side by side anywhere on the site (negatives, which should find
nothing). ``pytest -s`` prints the figures README reports.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ServedSite

pytestmark = pytest.mark.browser

#: Material's worker message types: SETUP, READY, QUERY, RESULT (SearchMessageType).
HARNESS = """
async ({ docs, queries }) => {
  const config = JSON.parse(document.getElementById("__config").textContent)
  const index = await (await fetch(new URL("search/search_index.json", new URL(config.base, location.href)))).json()
  if (docs) index.docs = docs
  const ours = config.search
  const material = new URL(ours).searchParams.get("material")
  async function run(url) {
    const worker = new Worker(url)
    const replies = []
    let wake = null
    worker.onmessage = event => { replies.push(event.data); if (wake) wake() }
    const next = () => new Promise(resolve => {
      if (replies.length) resolve(replies.shift())
      else wake = () => { wake = null; resolve(replies.shift()) }
    })
    worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } })
    const ready = await next()
    if (ready.type !== 1) throw new Error("the worker did not get ready")
    const found = {}
    for (const query of queries) {
      worker.postMessage({ type: 2, data: query })
      const result = await next()
      found[query] = result.data.items.map(group => group.map(item => ({
        location: item.location, score: item.score, title: item.title, text: item.text, terms: item.terms
      })))
    }
    worker.terminate()
    return found
  }
  return { ours: await run(ours), material: await run(material), config: index.config }
}
"""

Groups = list[list[dict[str, Any]]]


@dataclasses.dataclass
class Score:
    """Micro-averaged figures over a query set (every page found or missed counts once)."""

    queries: int = 0
    expected: int = 0
    found: int = 0
    right: int = 0
    #: Negative queries that found at least one page.
    false_alarms: int = 0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0


def letter_class(separator: str) -> str:
    """The CJK letter class of the site's separator (its look-behind), as a regex class."""
    found = re.search(r"\(\?<=(\[[^\]]+\])\)", separator)
    assert found, f"the separator has no (?<=[...]) letter class: {separator}"
    return found.group(1)


def plain(html: str, letter: str) -> str:
    """A section's text as the reader sees it: no tags, no break inside a run of letters."""
    text = re.sub(r"<[^>]*>", "", html)
    return re.sub(f"({letter})\\s+(?={letter})", r"\1", text)


def pages_of(groups: Groups) -> set[str]:
    return {group[0]["location"].split("#")[0] for group in groups}


def truth(docs: Iterable[dict[str, Any]], letter: str, query: str) -> set[str]:
    return {
        doc["location"].split("#")[0]
        for doc in docs
        if query in plain(doc["title"], letter) or query in plain(doc["text"], letter)
    }


def query_set(docs: list[dict[str, Any]], letter: str) -> tuple[list[str], list[str]]:
    """Positives: every substring of 2+ letters of every run. Negatives: letters apart, never adjacent."""
    texts = [plain(doc["title"], letter) + "\n" + plain(doc["text"], letter) for doc in docs]
    runs = {run for text in texts for run in re.findall(f"{letter}{{2,}}", text)}
    positives = sorted({run[i:j] for run in runs for i in range(len(run)) for j in range(i + 2, len(run) + 1)})
    site = "\n".join(texts)
    negatives: set[str] = set()
    for text in texts:
        letters = sorted(set(re.findall(letter, text)))
        for a in letters:
            for b in letters:
                if a != b and a + b not in site:
                    negatives.add(a + b)
    return positives, sorted(negatives)


def score(found: dict[str, Groups], docs: list[dict[str, Any]], letter: str, queries: list[str]) -> Score:
    result = Score()
    for query in queries:
        expected = truth(docs, letter, query)
        got = pages_of(found[query])
        result.queries += 1
        result.expected += len(expected)
        result.found += len(got)
        result.right += len(got & expected)
        result.false_alarms += bool(got and not expected)
    return result


def describe(name: str, overall: Score, negative: Score) -> str:
    return (
        f"{name:18} recall {overall.recall:.3f}, precision {overall.precision:.3f}, "
        f"negatives that found a page {negative.false_alarms}/{negative.queries}"
    )


def run_harness(page: Page, site: ServedSite, queries: list[str], docs: list[dict[str, Any]] | None = None) -> Any:
    page.goto(site.url())
    expect(page.locator("#__config")).to_have_count(1)
    return page.evaluate(HARNESS, {"docs": docs, "queries": queries})


def index_docs(site: ServedSite) -> tuple[list[dict[str, Any]], str]:
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return index["docs"], letter_class(index["config"]["separator"])


def test_every_substring_finds_its_pages_and_nothing_else(page: Page, site: ServedSite) -> None:
    docs, letter = index_docs(site)
    positives, negatives = query_set(docs, letter)
    assert len(positives) >= 30 and len(negatives) >= 30, (len(positives), len(negatives))
    # Hand-picked negatives: a word reversed, letters from two distant places.
    negatives += ["系关", "报时环球", "虎老纸", "俄中", "关成熟"]
    runs = run_harness(page, site, positives + negatives)
    ours_pos = score(runs["ours"], docs, letter, positives)
    ours_neg = score(runs["ours"], docs, letter, negatives)
    ours_all = score(runs["ours"], docs, letter, positives + negatives)
    plain_all = score(runs["material"], docs, letter, positives + negatives)
    plain_neg = score(runs["material"], docs, letter, negatives)
    print(f"\nqueries: {len(positives)} positive, {len(negatives)} negative")
    print(describe("site's worker", ours_all, ours_neg))
    print(describe("Material's worker", plain_all, plain_neg))
    missed = [q for q in positives if not truth(docs, letter, q) <= pages_of(runs["ours"][q])]
    assert not missed, f"substrings that miss a page: {missed}"
    assert ours_pos.recall == 1.0
    wrong = {q: sorted(pages_of(runs["ours"][q]) - truth(docs, letter, q)) for q in positives + negatives}
    assert not any(wrong.values()), {q: pages for q, pages in wrong.items() if pages}
    assert ours_all.precision == 1.0 and ours_neg.false_alarms == 0
    # What the site's worker adds: Material's alone finds pages for letters that are not side by side.
    assert plain_neg.false_alarms > len(negatives) // 2
    assert plain_all.precision < ours_all.precision


def test_results_highlight_the_whole_run(page: Page, site: ServedSite) -> None:
    runs = run_harness(page, site, ["人民日报", "关系", "时报 Global"])
    for query, groups in runs["ours"].items():
        cjk = query.split()[0]
        assert groups, query
        for group in groups:
            for item in group:
                marks = re.findall(r"<mark>([^<]*)</mark>", item["title"] + item["text"])
                if item["terms"].get(cjk):
                    assert cjk in marks, (query, item)
                assert all(mark == cjk or mark.isascii() for mark in marks), (query, marks)
                # The link's ?h= gets the whole run, never its letters.
                assert not any(len(term) == 1 and not term.isascii() for term in item["terms"]), item["terms"]


def test_english_results_are_materials_own(page: Page, site: ServedSite) -> None:
    """The site's worker passes queries without CJK runs through untouched."""
    queries = ["Zhenbao", "Khrushchev", "Pax Americana", "the paper tiger", "diplomacy", "Soviet Union", "Putin -Trump"]
    runs = run_harness(page, site, queries)
    for query in queries:
        assert runs["ours"][query] == runs["material"][query], query
        assert runs["ours"][query], query


def test_japanese_and_korean(page: Page, site: ServedSite) -> None:
    """Kana, kanji and Hangul are letters too (an index of made-up sections, the real workers)."""
    docs = [
        {
            "location": "ja/",
            "title": "日本語のページ",
            "text": "<p>東京は日本の首都です。カタカナもひらがなも検索できます。</p>",
        },
        {"location": "ko/", "title": "한국어 페이지", "text": "<p>대한민국의 수도는 서울입니다.</p>"},
        {"location": "en/", "title": "English", "text": "<p>Tokyo and Seoul are capitals.</p>"},
    ]
    found = ["首都", "日本の首都", "カタカナ", "ひらがな", "検索でき", "수도는", "서울", "대한민국의"]
    none = ["都首", "京東", "울서", "수서", "ナカ"]
    runs = run_harness(page, site, found + none, docs)
    for query in found:
        assert pages_of(runs["ours"][query]) == {"ja/" if query[0] in "首日カひ検" else "ko/"}, query
    for query in none:
        assert runs["ours"][query] == [], query


def test_wildcards_and_quotes_around_a_run_change_nothing(page: Page, site: ServedSite) -> None:
    """`*` and quotes mean nothing more for a run of letters, which is searched as a substring anyway."""
    docs, letter = index_docs(site)
    queries = {"中俄关系*": "中俄关系", "*时报": "时报", '"环球时报"': "环球时报", "+人民日报": "人民日报"}
    runs = run_harness(page, site, list(queries))
    for query, run in queries.items():
        assert pages_of(runs["ours"][query]) == truth(docs, letter, run), query
