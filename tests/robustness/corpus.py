"""The bad-input corpus: each case is a change to a copy of the project and what the build must say.

A negative case lists message fragments that must all appear in one message
(the fatal error or one warning): the file and line, the problem, and what to
do. A positive case lists HTML fragments that must appear in a built page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.conftest import markdown_extension_settings

REPO = Path(__file__).resolve().parents[2]
BIB = "bib/references.bib"
EXTENSION = "annotated_essay.citations"
#: A page of our own for citation cases (not in the nav; numbered after the essay).
PAGE = "docs/case.md"

ConfigEdit = Callable[[dict[str, Any]], None]


@dataclasses.dataclass(frozen=True)
class Case:
    """One corpus case."""

    id: str
    #: Relative path -> new content (text or bytes), or None to delete.
    files: Mapping[str, str | bytes | None] = dataclasses.field(default_factory=dict)
    #: Relative path -> text appended to the existing file.
    append: Mapping[str, str] = dataclasses.field(default_factory=dict)
    config: ConfigEdit | None = None
    #: Negative: fragments that must all appear in one message.
    expect: tuple[str, ...] = ()
    #: True if the failure is a fatal error (PluginError), False if a warning.
    fatal: bool = False
    #: Positive: built page -> HTML fragments it must contain.
    html: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    @property
    def negative(self) -> bool:
        return bool(self.expect)


def bib_lines() -> int:
    """Lines in the project's .bib; appended entries start on the line after."""
    return len((REPO / BIB).read_text(encoding="utf-8").splitlines())


def at_bib(line_in_appended: int) -> str:
    """``references.bib:N`` for line ``line_in_appended`` (1-based) of text appended to the .bib."""
    return f"references.bib:{bib_lines() + line_in_appended}:"


def line_of(relative: str, text: str) -> int:
    """The line (1-based) of the project file ``relative`` where ``text`` first occurs."""
    lines = (REPO / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _settings(data: dict[str, Any]) -> dict[str, Any]:
    for entry in data["markdown_extensions"]:
        if isinstance(entry, dict) and EXTENSION in entry:
            settings: dict[str, Any] = entry[EXTENSION]
            return settings
    raise KeyError(EXTENSION)


def set_option(name: str, value: object) -> ConfigEdit:
    def edit(data: dict[str, Any]) -> None:
        _settings(data)[name] = value

    return edit


def drop_extension(data: dict[str, Any]) -> None:
    data["markdown_extensions"] = [
        entry
        for entry in data["markdown_extensions"]
        if entry != EXTENSION and not (isinstance(entry, dict) and EXTENSION in entry)
    ]


def cite_page(body: str) -> dict[str, str]:
    """``docs/case.md`` with ``body``; a title line first, so the body starts on line 3."""
    return {PAGE: "# Case\n\n" + body}


# Entries appended to the .bib by positive cases; they must be cited (or warnings fail the build).
GOOD_ENTRY = (
    "@book{{{key},\n  author = {{Doe, Jane}},\n  title = {{{title}}},\n"
    "  publisher = {{Press}},\n  year = {{2020}}\n}}\n"
)


def sup(anchor: int, key: str, number: int) -> str:
    """The superscript a resolved citation becomes."""
    return (
        f'<sup class="citation" data-search-exclude="" id="citation-{anchor}">'
        f'<a class="footnote-ref" href="#fn:cite-{key}">{number}</a></sup>'
    )


def good_entry(key: str, title: str = "A Title") -> str:
    return GOOD_ENTRY.format(key=key, title=title)


BIBTEX_CASES = [
    Case(
        "bib-unclosed-brace",
        append={BIB: "@book{broken,\n  title = {Open,\n  year = {2020}\n}\n@book{next, title={N}, year={2021}}\n"},
        expect=(at_bib(1), "cannot parse this block", "check its braces"),
        fatal=True,
    ),
    Case(
        "bib-unclosed-at-end-of-file",
        append={BIB: "@book{broken,\n  title = {Open},\n  year = {2020}\n"},
        expect=(at_bib(1), "end of file", "check its braces"),
        fatal=True,
    ),
    Case(
        "bib-unclosed-quote",
        append={BIB: '@book{broken,\n  title = "Open,\n  year = {2020}\n}\n'},
        expect=(at_bib(1), "cannot parse this block", "quotes"),
        fatal=True,
    ),
    Case(
        "bib-missing-comma-between-fields",
        append={BIB: "@book{comma,\n  title = {T}\n  year = {2020}\n}\n"},
        expect=(at_bib(2), "field 'title'", "comma is probably missing", "end the line with a comma"),
        fatal=True,
    ),
    Case(
        "bib-missing-comma-after-key",
        append={BIB: "@book{comma\n  title = {T},\n  year = {2020}\n}\n"},
        expect=(at_bib(1), "Expected comma after entry key", "commas"),
        fatal=True,
    ),
    Case(
        "bib-missing-equals",
        append={BIB: "@book{eq,\n  title {T},\n  year = {2020}\n}\n"},
        expect=(at_bib(1), "cannot parse this block", "check its braces"),
        fatal=True,
    ),
    Case(
        "bib-brace-too-many",
        append={BIB: "@book{extra,\n  title = {T}},\n  year = {2020}\n}\n"},
        expect=(at_bib(2), "text outside any entry", "one '}' too many: remove it"),
        fatal=True,
    ),
    Case(
        "bib-duplicate-key",
        append={BIB: "@book{vamos2010,\n  title = {Copy},\n  year = {2010}\n}\n"},
        expect=(at_bib(1), "duplicate entry key 'vamos2010'", "rename one of the entries"),
        fatal=True,
    ),
    Case(
        "bib-duplicate-field",
        append={BIB: "@book{twice,\n  title = {One},\n  title = {Two},\n  year = {2020}\n}\n"},
        expect=(at_bib(3), "entry 'twice' repeats the field(s) title", "keep one of each"),
        fatal=True,
    ),
    Case(
        "bib-undefined-string",
        append={BIB: "@book{macro,\n  title = {T},\n  publisher = nopress,\n  year = {2020}\n}\n"},
        expect=(at_bib(3), "undefined @string macro 'nopress'", "define it with @string"),
        fatal=True,
    ),
    Case(
        "bib-string-concatenation",
        append={
            BIB: "@string{press = {P}}\n@book{concat,\n  title = {T},\n"
            '  publisher = press # " X",\n  year = {2020}\n}\n'
        },
        expect=(at_bib(4), "concatenates with '#'", "write the whole value in braces"),
        fatal=True,
    ),
    Case(
        "bib-entry-without-key",
        append={BIB: "@book{,\n  title = {T},\n  year = {2020}\n}\n"},
        expect=(at_bib(1), "entry without a key", "write a key"),
        fatal=True,
    ),
    Case(
        "bib-empty-file",
        files={BIB: ""},
        expect=("references.bib:1:", "holds no entries", "add at least one"),
        fatal=True,
    ),
    Case(
        "bib-only-comments",
        files={BIB: "% nothing here yet\n@comment{to do}\n"},
        expect=("references.bib:1:", "holds no entries", "add at least one"),
        fatal=True,
    ),
    Case(
        "bib-not-utf8",
        files={BIB: (REPO / BIB).read_bytes().replace("Vámos".encode(), "Vámos".encode("latin-1"))},
        expect=(f"references.bib:{line_of(BIB, 'Vámos')}:", "not valid UTF-8 (byte 0xe1)", "save it as UTF-8"),
        fatal=True,
    ),
    Case(
        "bib-unknown-entry-type",
        append={BIB: "@webpagething{odd,\n  title = {T},\n  year = {2020}\n}\n"},
        expect=(at_bib(1), "unknown type @webpagething", "use one of @article"),
        fatal=True,
    ),
    Case(
        "bib-lacks-title-and-year",
        append={BIB: "@book{bare,\n  author = {Doe, Jane}\n}\n"},
        files=cite_page("Text [@bare].\n"),
        expect=(at_bib(1), "entry 'bare' lacks title, year", "add the field(s)"),
    ),
    Case(
        "bib-lacks-year",
        append={BIB: "@book{undated,\n  author = {Doe, Jane},\n  title = {T}\n}\n"},
        files=cite_page("Text [@undated].\n"),
        expect=(at_bib(1), "entry 'undated' lacks year", "add the field(s)"),
    ),
    Case(
        "bib-entry-never-cited",
        append={BIB: good_entry("lonely")},
        expect=(at_bib(1), "entry 'lonely' is never cited", "nocite"),
    ),
    Case(
        "bib-latex-renders-as-characters",
        append={BIB: good_entry("latex", r"Caf{\'e} {\'a} \& bar: pages 1--2 --- {\"o}ver \c{c}a {\ss} \textit{x}")},
        files=cite_page("Text [@latex].\n"),
        html={"case/index.html": ("Café á &amp; bar: pages 1–2 — över ça ß x",)},
    ),
    Case(
        "bib-string-macro-defined",
        append={BIB: "@string{press = {Defined Press}}\n@book{macro, title = {T}, publisher = press, year = {2020}}\n"},
        files=cite_page("Text [@macro].\n"),
        html={"case/index.html": ("Defined Press",)},
    ),
]

CITATION_CASES = [
    Case(
        "cite-unknown-key",
        files=cite_page("Text [@vamos2011].\n"),
        expect=("case.md:3:", "unknown citation key 'vamos2011'", "did you mean 'vamos2010'"),
    ),
    Case(
        "cite-unknown-key-nothing-close",
        files=cite_page("Text [@zzzzzzzz].\n"),
        expect=("case.md:3:", "unknown citation key 'zzzzzzzz'", "add an entry with this key to"),
    ),
    Case(
        "cite-unknown-among-known",
        files=cite_page("Text [@vamos2010; @nobody2020, p. 4].\n"),
        expect=("case.md:3:", "unknown citation key 'nobody2020'"),
    ),
    Case(
        "cite-unknown-second-occurrence",
        files=cite_page("One [@vamos2010].\n\nTwo [@ghost].\n\nThree [@ghost].\n"),
        expect=("case.md:7:", "unknown citation key 'ghost'"),
    ),
    Case(
        "cite-unknown-with-code-in-locator",
        files=cite_page("Intro.\n\nText [@ghost, `p. 5` \\[x] <b>y</b>].\n"),
        expect=("case.md:5:", "unknown citation key 'ghost'"),
    ),
    Case(
        "cite-empty",
        files=cite_page("Text [@] here.\n"),
        expect=("case.md:3:", "a citation needs a key after '@'", "as in [@key]"),
    ),
    Case(
        "cite-empty-among-keys",
        files=cite_page("Text [@vamos2010; @] here.\n"),
        expect=("case.md:3:", "a citation needs a key after '@'"),
    ),
    Case(
        "cite-unknown-unicode-key",
        files=cite_page("Text [@日本語2020].\n"),
        expect=("case.md:3:", "unknown citation key '日本語2020'"),
    ),
    Case(
        "cite-unknown-in-table",
        files=cite_page("| a | b |\n| --- | --- |\n| x | [@tablekey] |\n"),
        expect=("case.md:5:", "unknown citation key 'tablekey'"),
    ),
    Case(
        "cite-unknown-in-admonition",
        files=cite_page('!!! note "Aside"\n    Inside [@notekey].\n'),
        expect=("case.md:4:", "unknown citation key 'notekey'"),
    ),
    Case(
        "cite-unknown-in-list",
        files=cite_page("- one\n- two [@listkey]\n"),
        expect=("case.md:4:", "unknown citation key 'listkey'"),
    ),
    Case(
        "cite-unknown-in-heading",
        files=cite_page("## Heading [@headkey]\n\nText.\n"),
        expect=("case.md:3:", "unknown citation key 'headkey'"),
    ),
    Case(
        "cite-unknown-after-front-matter",
        files={PAGE: "---\ntitle: Case\n---\n\n# Case\n\nText [@fmkey].\n"},
        expect=("case.md:7:", "unknown citation key 'fmkey'"),
    ),
    Case(
        "cite-in-table",
        files=cite_page("| a | b |\n| --- | --- |\n| x | [@vamos2010] |\n"),
        html={"case/index.html": ("<td>" + sup(1, "vamos2010", 2) + "</td>",)},
    ),
    Case(
        "cite-in-admonition",
        files=cite_page('!!! note "Aside"\n    Inside [@vamos2010].\n'),
        html={"case/index.html": ("<p>Inside " + sup(1, "vamos2010", 2) + ".</p>\n</div>",)},
    ),
    Case(
        "cite-in-list",
        files=cite_page("- one\n- two [@greene2021, p. 3]\n"),
        html={
            "case/index.html": (
                "<li>two " + sup(1, "greene2021", 1) + "</li>",
                '<span class="citation-locator">Cited here: p. 3.</span>',
            )
        },
    ),
    Case(
        "cite-in-heading",
        files=cite_page("## Heading [@vamos2010]\n\nText.\n"),
        html={"case/index.html": ('<h2 id="heading">Heading ' + sup(1, "vamos2010", 2),)},
    ),
    Case(
        "cite-nested-brackets",
        files=cite_page("Text [see [@vamos2010]] and [[@greene2021]].\n"),
        html={
            "case/index.html": (
                "[see " + sup(1, "vamos2010", 2) + "]",
                "[" + sup(2, "greene2021", 1) + "]",
            )
        },
    ),
    Case(
        "cite-in-link-text",
        files=cite_page("A [link about [@vamos2010] here](https://example.org) and more.\n"),
        html={"case/index.html": ('<a href="https://example.org">link about  here</a>' + sup(1, "vamos2010", 2),)},
    ),
    Case(
        "cite-unicode-key",
        append={BIB: good_entry("naïve-中文:2020")},
        files=cite_page("Text [@naïve-中文:2020].\n"),
        html={"case/index.html": ('href="#fn:cite-naïve-中文:2020">5</a>', 'id="fn:cite-naïve-中文:2020"')},
    ),
    Case(
        "cite-left-alone-in-code-and-escapes",
        files=cite_page(
            "Code `[@nokey]`, escaped \\[@nokey], mail [x@nokey.org], link [@nokey](https://example.org).\n\n```\n[@nokey]\n```\n"
        ),
        html={
            "case/index.html": (
                "<code>[@nokey]</code>",
                "escaped [@nokey]",
                "mail [x@nokey.org]",
                '<a href="https://example.org">@nokey</a>',
            )
        },
    ),
]

CONFIG_CASES = [
    Case(
        "config-missing-bibliography",
        config=set_option("bibliography", "bib/missing.bib"),
        expect=("mkdocs.yml:", "missing.bib: bibliography file not found", "fix the 'bibliography' setting"),
        fatal=True,
    ),
    Case(
        "config-bibliography-is-a-folder",
        config=set_option("bibliography", "bib"),
        expect=("mkdocs.yml:", "bib: cannot read the bibliography", "check that the path names a readable .bib file"),
        fatal=True,
    ),
    Case(
        "config-unknown-style",
        config=set_option("style", "apa-8th-edition-imaginary"),
        expect=("mkdocs.yml:", "unknown CSL style 'apa-8th-edition-imaginary'", "'chicago-author-date'"),
        fatal=True,
    ),
    Case(
        "config-missing-csl-file",
        config=set_option("style", "styles/house.csl"),
        expect=("mkdocs.yml:", "styles/house.csl' not found", "give an existing .csl path"),
        fatal=True,
    ),
    Case(
        "config-hook-without-extension",
        config=drop_extension,
        expect=(
            "mkdocs.yml",
            "needs the Markdown extension 'annotated_essay.citations'",
            "add '- annotated_essay.citations'",
        ),
        fatal=True,
    ),
    Case(
        "config-nocite-unknown-key",
        config=set_option("nocite", ["vamos2011"]),
        expect=("mkdocs.yml", "unknown citation key 'vamos2011'", "did you mean 'vamos2010'"),
    ),
]

GLOSSARY = "docs/glossary.md"


def at_glossary(line_in_appended: int) -> str:
    """``glossary.md:N`` for line ``line_in_appended`` (1-based) of text appended to the glossary."""
    return f"glossary.md:{len((REPO / GLOSSARY).read_text(encoding='utf-8').splitlines()) + line_in_appended}:"


GLOSSARY_CASES = [
    Case(
        "glossary-duplicate-term",
        append={GLOSSARY: "\n## Cultural Revolution { #cultural-revolution-again }\n\nAgain.\n"},
        expect=(at_glossary(2), "'Cultural Revolution'", "collides with", "one entry only"),
        fatal=True,
    ),
    Case(
        "glossary-duplicate-id",
        append={GLOSSARY: "\n## Something else { #cpc }\n\nAgain.\n"},
        expect=(at_glossary(2), "has the id 'cpc'", "give one of them another { #id }"),
        fatal=True,
    ),
    Case(
        "glossary-colliding-alias",
        append={GLOSSARY: "\n## Chinese Pension Commission { #cpc-pensions }\n\n*Also:* CPC\n\nA made-up body.\n"},
        expect=(at_glossary(2), "'CPC' of entry 'Chinese Pension Commission' collides with", "one entry only"),
        fatal=True,
    ),
    Case(
        "glossary-empty-definition",
        append={GLOSSARY: "\n## Empty term { #empty-term }\n"},
        expect=(at_glossary(2), "entry 'Empty term' has no definition", "write one below it"),
    ),
    Case(
        "glossary-definition-cites-unknown-key",
        append={GLOSSARY: "\n## Ping-Pong ball { #ping-pong-ball }\n\nA ball [@vamos2011].\n"},
        expect=(at_glossary(4), "unknown citation key 'vamos2011'", "did you mean 'vamos2010'"),
    ),
    Case(
        "glossary-see-also-unknown",
        append={GLOSSARY: "\n## Table tennis { #table-tennis }\n\n*See also:* Nowhere land\n\nA sport.\n"},
        expect=(at_glossary(4), "'See also' names an unknown entry 'Nowhere land'"),
    ),
    Case(
        "glossary-unknown-term-link",
        files=cite_page("Read about [this](glossary:no-such-term).\n"),
        expect=("case.md:3:", "unknown glossary term"),
    ),
    Case(
        "glossary-hook-without-extension",
        config=lambda data: data.update(
            markdown_extensions=[
                entry
                for entry in data["markdown_extensions"]
                if not (isinstance(entry, dict) and "annotated_essay.glossary" in entry)
            ]
        ),
        expect=(
            "mkdocs.yml",
            "needs the Markdown extension 'annotated_essay.glossary'",
            "add '- annotated_essay.glossary'",
        ),
        fatal=True,
    ),
    Case(
        "glossary-config-missing-page",
        config=lambda data: markdown_extension_settings(data, "annotated_essay.glossary").update(glossary="terms.md"),
        expect=("mkdocs.yml", "the glossary page 'terms.md' is not among the documentation files", "create it"),
        fatal=True,
    ),
]


CASES = [*BIBTEX_CASES, *CITATION_CASES, *CONFIG_CASES, *GLOSSARY_CASES]

# Topic modules import Case and the helpers above, so they are imported last.
from tests.robustness.corpus_bibtex import CASES as BIBTEX_STYLE_CASES  # noqa: E402
from tests.robustness.corpus_citations import CITATION_SYNTAX_CASES  # noqa: E402
from tests.robustness.corpus_glossary import GLOSSARY_CORPUS  # noqa: E402
from tests.robustness.corpus_meta import META_CASES  # noqa: E402
from tests.robustness.corpus_notes import NOTES_CASES  # noqa: E402

CASES += CITATION_SYNTAX_CASES
CASES += NOTES_CASES
CASES += BIBTEX_STYLE_CASES
CASES += META_CASES
CASES += GLOSSARY_CORPUS
