"""Projects for the build benchmarks: the essay and a generated scale corpus, in three variants.

``ours``   the site as configured in mkdocs.yml (our hooks and Markdown extensions);
``stock``  the same site without our hooks and extensions (citation markers stay text);
``bibtex`` stock plus the mkdocs-bibtex plugin, with the citations in its syntax.

The scale corpus is deterministic for a given seed and multiplier: ``multiplier``
scales pages and BibTeX entries together (100 pages and 2,000 entries at 1x).
Run ``python benchmarks/corpus.py DEST`` to write one for inspection.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from benchmarks import floor_hook

REPO = Path(__file__).resolve().parents[1]
#: Where the generated mkdocs.yml files point for hooks/ and overrides/: the repository, or a
#: snapshot of them that benchmarks/run.py takes so that edits during a run do not mix in.
CODE_ROOT = REPO
VARIANTS = ("ours", "stock", "bibtex")
#: Our Markdown extensions: everything from the annotated_essay package.
OUR_EXTENSION_PREFIX = "annotated_essay"
FLOOR_HOOK = Path(__file__).resolve().parent / "floor_hook.py"
#: Stock Material with our Jinja bytecode cache (the "stock + template cache" row).
TEMPLATE_CACHE_HOOK = Path(__file__).resolve().parent / "template_cache_hook.py"
#: Where floor_hook.py finds our finished pages, beside the floor project's mkdocs.yml.
FLOOR_PAGES = floor_hook.PAGES_FILE
SEED = 20250227

_GIVEN = [
    "Anna",
    "Björn",
    "Chloé",
    "Dmitri",
    "Émile",
    "Fatma",
    "Günther",
    "Hélène",
    "Ioana",
    "José",
    "Kaito",
    "Łucja",
    "Mehmet",
    "Nguyễn",
    "Orçun",
    "Pál",
    "Quentin",
    "Rūta",
    "Søren",
    "Tomáš",
]
_FAMILY = [
    "Müller",
    "Göktürk",
    "Ørsted",
    "Kowalczyk",
    "Dvořák",
    "Şahin",
    "Nuñez",
    "Lefèvre",
    "Ivanova",
    "Vámos",
    "Andersson",
    "Novák",
    "Papadopoulos",
    "Zürcher",
    "O'Brien",
    "Ramírez",
    "Petrović",
]
_CJK_NAMES = [
    ("王", "小明"),
    ("李", "华"),
    ("张", "伟"),
    ("刘", "洋"),
    ("陈", "静"),
    ("杨", "帆"),
    ("佐藤", "健"),
    ("鈴木", "花子"),
    ("김", "민준"),
    ("박", "서연"),
]
_TITLE_WORDS = [
    "diplomacy",
    "border",
    "alliance",
    "partnership",
    "strategy",
    "cold",
    "war",
    "trade",
    "security",
    "energy",
    "Eurasia",
    "sanctions",
    "summit",
    "treaty",
    "triangle",
    "détente",
    "rivalry",
    "cooperation",
    "hegemony",
    "order",
    "multipolar",
    "négociation",
    "Weltpolitik",
]
_CJK_TITLES = [
    "中俄关系的历史与现实",
    "冷战后的大国外交",
    "东北亚安全格局研究",
    "“一带一路”与欧亚合作",
    "中美苏三角关系再探",
    "国际秩序的变迁",
    "日露関係の歴史的考察",
    "한중 관계의 새로운 방향",
]
_JOURNALS = [
    "Journal of Cold War Studies",
    "International Affairs",
    "Foreign Policy Analysis",
    "Europe-Asia Studies",
    "The China Quarterly",
    "国际问题研究",
    "Problems of Post-Communism",
]
_PUBLISHERS = ["Oxford University Press", "Routledge", "Éditions du Seuil", "Suhrkamp", "社会科学文献出版社"]
_FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "relations",
    "between",
    "states",
    "policy",
    "Moscow",
    "Beijing",
    "Washington",
    "leaders",
    "talks",
    "visit",
    "agreement",
    "analysts",
    "argue",
    "historical",
    "border",
    "conflict",
    "economic",
    "ties",
    "pressure",
    "sanctions",
    "energy",
    "markets",
    "security",
    "partnership",
    "strategic",
    "balance",
    "rapprochement",
    "détente",
    "Ostpolitik",
    "naïve",
    "café",
    "façade",
]
_CJK_SENTENCES = [
    "中俄两国在复杂国际形势下保持战略沟通。",
    "双方强调互利共赢的合作原则。",
    "专家认为三角关系正在发生变化。",
]


@dataclasses.dataclass(frozen=True)
class Corpus:
    """What was generated: where, how many pages, citations, entries and glossary terms."""

    root: Path
    config: Path
    pages: list[str]
    entries: int
    citations_per_page: int
    glossary_terms: int


def glossary_available() -> bool:
    """Whether the glossary feature has landed (its hook and its page)."""
    return (REPO / "hooks" / "mkdocs_glossary.py").is_file() and (REPO / "docs" / "glossary.md").is_file()


def load_site_config() -> dict[str, Any]:
    """The project's mkdocs.yml as data (Python tags kept, as in tests/conftest.py)."""
    data: dict[str, Any] = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    return data


def variant_config(data: dict[str, Any], variant: str, bib_file: str) -> dict[str, Any]:
    """``data`` adjusted for ``variant``; hook paths made absolute (the repository's own code)."""
    config = dict(data)
    theme = dict(config.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(CODE_ROOT / theme["custom_dir"])
        config["theme"] = theme
    if variant == "ours":
        config["hooks"] = [str(CODE_ROOT / hook) for hook in data.get("hooks", [])]
        return config
    config.pop("hooks", None)
    config["markdown_extensions"] = [
        entry
        for entry in data.get("markdown_extensions", [])
        if not _extension_name(entry).startswith(OUR_EXTENSION_PREFIX)
    ]
    # Without our extensions the anchors they make (`::: cite-this-essay`, the reference list's
    # entries) are missing, and mkdocs-bibtex's full reference list is footnotes that nothing
    # on the page references, whose back-links MkDocs reports as broken anchors: only that
    # check is relaxed (to info); MkDocs still validates every link, at the same cost.
    _relax_links(config, "anchors")
    if variant == "bibtex":
        config["plugins"] = [*data.get("plugins", ["search"]), {"bibtex": {"bib_file": bib_file}}]
        if "footnotes" not in config["markdown_extensions"]:
            config["markdown_extensions"].append("footnotes")
    return config


def _relax_links(config: dict[str, Any], *checks: str) -> None:
    """Report link ``checks`` (``anchors``, ``not_found``) as info, not warnings, in ``config``."""
    validation = dict(config.get("validation") or {})
    links = dict(validation.get("links") or {})
    for check in checks:
        if links:
            links[check] = "info"
        else:
            validation[check] = "info"
    if links:
        validation["links"] = links
    config["validation"] = validation


def feature_stems(config: Path) -> list[str]:
    """Our hooks and our Markdown extensions by name, hooks first (``glossary``, ``print_view``)."""
    data: dict[str, Any] = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.Loader)
    stems = [_hook_feature(hook) for hook in data.get("hooks", [])]
    for entry in data.get("markdown_extensions", []):
        name = _extension_name(entry)
        if name.startswith(OUR_EXTENSION_PREFIX + "."):
            stems.append(name.removeprefix(OUR_EXTENSION_PREFIX + "."))
    return list(dict.fromkeys(stems))


def without_hook(config: Path, stem: str) -> Path:
    """A copy of ``config`` beside it without hook ``stem`` and extension ``annotated_essay.<stem>``, if any."""
    data: dict[str, Any] = yaml.load(config.read_text(encoding="utf-8"), Loader=yaml.Loader)
    data["hooks"] = [hook for hook in data.get("hooks", []) if _hook_feature(hook) != stem]
    data["markdown_extensions"] = [
        entry
        for entry in data.get("markdown_extensions", [])
        if _extension_name(entry) != f"{OUR_EXTENSION_PREFIX}.{stem}"
    ]
    # What the part links to or makes anchors for (the timeline's links into the editors'
    # notes, the landing page's downloads) goes missing without it: that is not measured.
    _relax_links(data, "anchors", "not_found")
    path = config.with_name(f"mkdocs-without-{stem}.yml")
    path.write_text(yaml.dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _hook_feature(hook: str) -> str:
    """The feature a hook wires: ``hooks/mkdocs_glossary.py`` -> ``glossary``."""
    return Path(hook).stem.removeprefix("mkdocs_")


def _extension_name(entry: object) -> str:
    if isinstance(entry, dict):
        return str(next(iter(entry)))
    return str(entry)


def write_config(root: Path, config: dict[str, Any]) -> Path:
    """Write ``config`` as ``root/mkdocs.yml``."""
    path = root / "mkdocs.yml"
    path.write_text(yaml.dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def to_bibtex_dialect(markdown: str) -> str:
    """Markdown in mkdocs-bibtex's syntax: its full-list command; no locators (unsupported there)."""
    markdown = re.sub(r"(?m)^::: bibliography$", r"\\full_bibliography", markdown)
    return re.sub(r"\[[^\[\]@]*(@[\w-]+)[^\[\];]*\]", r"[\1]", markdown)


def _bib_for_pybtex(text: str) -> str:
    """The essay's BibTeX as mkdocs-bibtex's plain (pybtex) style can format it.

    pybtex's plain style has no @online (@misc carries the same fields) and
    needs an author: entries without one get their journal or organisation as
    a corporate author, as APA does when it moves the title forward.
    """
    blocks = re.split(r"(?m)^(?=@)", re.sub(r"@online\{", "@misc{", text))
    fixed = []
    for block in blocks:
        if block.startswith("@") and not re.search(r"(?im)^\s*author\s*=", block):
            source = re.search(r"(?im)^\s*(?:journal|organization)\s*=\s*\{(.*)\}", block)
            if source:
                block = block.replace(",\n", f",\n  author = {{{{{source.group(1)}}}}},\n", 1)
        fixed.append(block)
    return "".join(fixed)


def essay(dest: Path, variant: str) -> Corpus:
    """Copy the essay project into ``dest`` as ``variant``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("docs", "bib", "overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    data = load_site_config()
    settings = _extension_settings(data, "annotated_essay.citations")
    bib_file = str(settings.get("bibliography", "bib/references.bib"))
    if variant == "bibtex":
        for page in (dest / "docs").rglob("*.md"):
            page.write_text(to_bibtex_dialect(page.read_text(encoding="utf-8")), encoding="utf-8")
        bib = dest / bib_file
        bib.write_text(_bib_for_pybtex(bib.read_text(encoding="utf-8")), encoding="utf-8")
    config = write_config(dest, variant_config(data, variant, bib_file))
    pages = sorted(str(path.relative_to(dest / "docs")) for path in (dest / "docs").rglob("*.md"))
    entries = (dest / bib_file).read_text(encoding="utf-8").count("\n@")
    return Corpus(dest, config, pages, entries + 1, 0, 0)


def _extension_settings(data: dict[str, Any], name: str) -> dict[str, Any]:
    for entry in data.get("markdown_extensions", []):
        if isinstance(entry, dict) and name in entry:
            return dict(entry[name] or {})
    return {}


# -- the scale corpus ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Entry:
    key: str
    text: str


def _entries(rng: random.Random, count: int) -> list[_Entry]:
    entries = []
    kinds = ["article"] * 5 + ["book"] * 3 + ["misc"] * 2
    for index in range(count):
        kind = rng.choice(kinds)
        cjk = rng.random() < 0.2
        authors = []
        for _ in range(rng.randint(1, 4)):
            if cjk:
                family, given = rng.choice(_CJK_NAMES)
            else:
                family, given = rng.choice(_FAMILY), rng.choice(_GIVEN)
            authors.append(f"{family}, {given}")
        year = rng.randint(1950, 2025)
        if cjk:
            title = rng.choice(_CJK_TITLES) + f"（{index}）"
        else:
            words = rng.sample(_TITLE_WORDS, rng.randint(3, 7))
            title = " ".join(words).capitalize() + f": part {index}"
        key = f"ref{index:05d}-{year}"
        fields = [f"  author = {{{' and '.join(authors)}}}", f"  title = {{{title}}}", f"  year = {{{year}}}"]
        if kind == "article":
            fields += [
                f"  journal = {{{rng.choice(_JOURNALS)}}}",
                f"  volume = {{{rng.randint(1, 60)}}}",
                f"  number = {{{rng.randint(1, 4)}}}",
                f"  pages = {{{(start := rng.randint(1, 400))}--{start + rng.randint(5, 40)}}}",
            ]
            if rng.random() < 0.5:
                fields.append(f"  doi = {{10.{rng.randint(1000, 9999)}/bench.{index}}}")
        elif kind == "book":
            fields += [f"  publisher = {{{rng.choice(_PUBLISHERS)}}}", "  address = {London}"]
        else:
            fields += [f"  howpublished = {{Report {index}}}", f"  url = {{https://example.org/report/{index}}}"]
        entries.append(_Entry(key, f"@{kind}{{{key},\n" + ",\n".join(fields) + "\n}\n"))
    return entries


def _glossary_terms(count: int) -> list[tuple[str, str]]:
    """``count`` distinct terms (some multi-word, some non-ASCII) with one-line definitions."""
    bases = [
        "détente",
        "rapprochement",
        "Ostpolitik",
        "realpolitik",
        "containment",
        "hegemony",
        "multipolarity",
        "balance of power",
        "sphere of influence",
        "strategic partnership",
        "一带一路",
        "Sino-Soviet split",
        "triangular diplomacy",
        "proxy war",
        "non-alignment",
        "deterrence",
        "sanction regime",
        "buffer state",
        "power transition",
        "bandwagoning",
    ]
    terms = []
    for index in range(count):
        base = bases[index % len(bases)]
        term = base if index < len(bases) else f"{base} {_roman(index // len(bases) + 1)}"
        terms.append((term, f"A benchmark definition of {term}, number {index}."))
    return terms


def _roman(number: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result


def _page(
    rng: random.Random, number: int, keys: list[str], terms: list[str], certain: list[str], paragraphs: int = 12
) -> str:
    """One page: headings, prose with glossary terms, CJK sentences and citations of ``keys``."""
    citations = [f"[@{key}]" for key in keys]
    # Some citations group two sources, some carry a locator, and some sources are cited again.
    for index in range(0, len(keys) - 1, 5):
        citations[index] = f"[@{keys[index]}; @{keys[index + 1]}]"
    for index in range(2, len(keys), 6):
        citations[index] = f"[see @{keys[index]}, p. {rng.randint(1, 300)}]"
    citations += [f"[@{key}]" for key in rng.sample(keys, 4)]
    rng.shuffle(citations)
    lines = [f"# Benchmark page {number}", ""]
    per_paragraph = -(-len(citations) // paragraphs)
    for paragraph in range(paragraphs):
        if paragraph % 4 == 0:
            lines += [f"## Section {paragraph // 4 + 1}", ""]
        sentences = []
        for sentence in range(6):
            words = rng.choices(_FILLER, k=rng.randint(10, 18))
            if sentence % 2 == 0 and terms:
                words.insert(rng.randint(0, len(words)), rng.choice(terms))
            if paragraph == 1 and sentence < len(certain):
                words.insert(rng.randint(0, len(words)), certain[sentence])
            sentences.append(" ".join(words).capitalize() + ".")
        if rng.random() < 0.3:
            sentences.append(rng.choice(_CJK_SENTENCES))
        for citation in citations[paragraph * per_paragraph : (paragraph + 1) * per_paragraph]:
            position = rng.randrange(len(sentences))
            sentences[position] = sentences[position][:-1] + f" {citation}" + sentences[position][-1]
        lines += [" ".join(sentences), ""]
    return "\n".join(lines)


def scale(
    dest: Path,
    variant: str,
    multiplier: int = 1,
    *,
    pages: int = 100,
    entries: int = 2000,
    keys_per_page: int = 20,
    glossary_terms: int = 200,
    with_glossary: bool | None = None,
    seed: int = SEED,
) -> Corpus:
    """Generate the scale corpus as ``variant`` into ``dest`` (replaced if present).

    Every entry is cited (each page cites its own ``keys_per_page`` sources), so
    that a strict build has nothing to warn about. With a glossary (default: when
    the glossary feature exists), ``glossary_terms`` terms occur across the pages.
    """
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "docs" / "pages").mkdir(parents=True)
    (dest / "bib").mkdir()
    rng = random.Random(seed)
    page_count = pages * multiplier
    entry_list = _entries(rng, entries * multiplier)
    keys = [entry.key for entry in entry_list]
    rng.shuffle(keys)
    if len(keys) < page_count * keys_per_page:
        raise ValueError("every page needs its own keys: raise entries or lower pages")
    glossary = with_glossary if with_glossary is not None else glossary_available()
    terms = _glossary_terms(glossary_terms) if glossary else []
    term_names = [term for term, _ in terms] or [word for word, _ in _glossary_terms(20)]
    names = []
    for number in range(page_count):
        own = keys[number * keys_per_page : (number + 1) * keys_per_page]
        if number == page_count - 1:
            own += keys[page_count * keys_per_page :]
        # Two terms per page for certain (every term is mentioned somewhere), more at random.
        certain = [term_names[(2 * number + offset) % len(term_names)] for offset in (0, 1)]
        text = _page(rng, number + 1, own, term_names, certain)
        if variant == "bibtex":
            text = to_bibtex_dialect(text)
        name = f"pages/page-{number + 1:04d}.md"
        (dest / "docs" / name).write_text(text, encoding="utf-8")
        names.append(name)
    for asset in (REPO / "docs").rglob("*"):
        if asset.is_file() and asset.suffix != ".md":
            target = dest / "docs" / asset.relative_to(REPO / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset, target)
    (dest / "docs" / "index.md").write_text("# Scale corpus\n\nGenerated for the benchmarks.\n", encoding="utf-8")
    references = "# References\n\n::: bibliography\n"
    if variant == "bibtex":
        references = to_bibtex_dialect(references)
    (dest / "docs" / "references.md").write_text(references, encoding="utf-8")
    bib_text = "".join(entry.text + "\n" for entry in entry_list)
    (dest / "bib" / "references.bib").write_text(bib_text, encoding="utf-8")
    # Sections of 25 pages, and Material's navigation.prune below: every page carries only
    # the visible part of the navigation, as a large real site would (not all 1,600 links).
    parts = [{f"Part {n // 25 + 1}": names[n : n + 25]} for n in range(0, len(names), 25)]
    nav: list[Any] = [{"Home": "index.md"}, {"Pages": parts}, {"References": "references.md"}]
    if glossary:
        (dest / "docs" / "glossary.md").write_text(glossary_markdown(terms), encoding="utf-8")
        nav.append({"Glossary": "glossary.md"})
    data = load_site_config()
    data["site_name"] = "Scale corpus"
    theme = dict(data.get("theme") or {})
    theme["features"] = [*theme.get("features", []), "navigation.prune"]
    data["theme"] = theme
    data["nav"] = nav
    for entry in data.get("markdown_extensions", []):
        if isinstance(entry, dict) and "annotated_essay.glossary" in entry:
            entry["annotated_essay.glossary"] = {
                **(entry["annotated_essay.glossary"] or {}),
                "glossary": "glossary.md",
                "link_pages": ["pages/*"],
            }
    config = write_config(dest, variant_config(data, variant, "bib/references.bib"))
    return Corpus(dest, config, names, len(entry_list), keys_per_page, len(terms))


def floor(dest: Path, stock_config: Path) -> Path:
    """The *floor* project: a copy of the stock one whose pages take our finished HTML (floor_hook.py).

    Returns its mkdocs.yml; ``floor-pages.json`` beside it must then be filled by a
    capture build (see ``capture_config``).
    """
    if dest.exists():
        shutil.rmtree(dest)
    ignore = shutil.ignore_patterns("site", ".cache", ".annotated-essay-cache", "mkdocs-*.yml")
    shutil.copytree(stock_config.parent, dest, ignore=ignore)
    data: dict[str, Any] = yaml.load((dest / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    data["hooks"] = [str(FLOOR_HOOK)]
    return write_config(dest, data)


def capture_config(ours_config: Path) -> Path:
    """A copy of our project's mkdocs.yml that also records the finished pages (floor_hook.py)."""
    data: dict[str, Any] = yaml.load(ours_config.read_text(encoding="utf-8"), Loader=yaml.Loader)
    data["hooks"] = [*data.get("hooks", []), str(FLOOR_HOOK)]
    path = ours_config.with_name("mkdocs-capture.yml")
    path.write_text(yaml.dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def template_cache_config(stock_config: Path) -> Path:
    """A copy of a stock project's mkdocs.yml beside it that keeps the theme's compiled templates.

    The hook (``template_cache_hook.py``) gives stock Material the bytecode cache our
    build uses, so the report can tell that saving apart from what our code adds.
    """
    data: dict[str, Any] = yaml.load(stock_config.read_text(encoding="utf-8"), Loader=yaml.Loader)
    data["hooks"] = [*data.get("hooks", []), str(TEMPLATE_CACHE_HOOK)]
    path = stock_config.with_name("mkdocs-template-cache.yml")
    path.write_text(yaml.dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def glossary_markdown(terms: list[tuple[str, str]]) -> str:
    """The glossary page in the syntax of docs/glossary.md: ``## Term { #id }``, then the definition."""
    lines = ["# Glossary", ""]
    for number, (term, definition) in enumerate(terms):
        lines += [f"## {term} {{ #term-{number} }}", "", definition, ""]
    return "\n".join(lines)


def main() -> None:
    """Write one corpus for inspection."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--variant", choices=VARIANTS, default="ours")
    parser.add_argument("--multiplier", type=int, default=1)
    parser.add_argument("--essay", action="store_true", help="copy the essay instead of generating")
    args = parser.parse_args()
    corpus = essay(args.dest, args.variant) if args.essay else scale(args.dest, args.variant, args.multiplier)
    print(f"{corpus.config}: {len(corpus.pages)} pages, {corpus.entries} entries, {corpus.glossary_terms} terms")


if __name__ == "__main__":
    main()
