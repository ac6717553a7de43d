"""Corpus cases for the glossary and the People page (issue 11, reproduction 11, and more).

Each case changes a copy of the project; see ``corpus.py`` for what a case is.
Entries appended by positive cases are mentioned on a page too: an entry no
page mentions is a warning, and a positive case must build without any.
"""

from __future__ import annotations

from tests.robustness.corpus import REPO, Case

GLOSSARY = "docs/glossary.md"
PEOPLE = "docs/people.md"
CONCLUSION = "docs/essay/conclusion.md"


def at(path: str, line_in_appended: int) -> str:
    """``name.md:N`` for line ``line_in_appended`` (1-based) of text appended to the project file ``path``."""
    lines = len((REPO / path).read_text(encoding="utf-8").splitlines())
    return f"{path.rsplit('/', 1)[-1]}:{lines + line_in_appended}:"


def line_in(path: str, text: str) -> int:
    """The line (1-based) of the project file ``path`` where ``text`` first occurs."""
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


BELT_AND_ROAD = (
    "\n## 一带一路\n\n*Also:* Belt and Road Initiative\n\n"
    "The Belt and Road Initiative, announced by Xi Jinping in 2013, finances infrastructure abroad.\n"
)

GLOSSARY_CORPUS = [
    # Reproduction 11: an entry in Chinese without { #id } gets a Unicode id, its links work,
    # it is in the A–Z index (under '#') and has "Appears in".
    Case(
        "glossary-cjk-entry-without-id",
        append={GLOSSARY: BELT_AND_ROAD, CONCLUSION: "\nChina’s 一带一路 reaches Europe.\n"},
        html={
            "glossary/index.html": (
                '<h2 id="一带一路">一带一路',
                '<a href="#一带一路">#</a>',
                '<a href="../essay/conclusion/#glossary-ref-一带一路">Conclusion</a>',
            ),
            "essay/conclusion/index.html": (
                '<a class="glossary-link" href="../../glossary/#一带一路" id="glossary-ref-一带一路" '
                'title="The Belt and Road Initiative, announced by Xi Jinping in 2013, finances infrastructure '
                'abroad.">一带一路</a>',
            ),
        },
    ),
    # Reproduction 11: two such entries collide; the message names both lines.
    Case(
        "glossary-cjk-ids-collide",
        append={GLOSSARY: BELT_AND_ROAD + "\n## 一带一路！\n\nThe same initiative, by mistake.\n"},
        expect=(
            at(GLOSSARY, 8),
            "entry '一带一路！' has the id '一带一路'",
            f"({at(GLOSSARY, 2)[:-1]})",
            "the id was made from the term; give one of them another { #id }",
        ),
        fatal=True,
    ),
    # Reproduction 11: an alias in capitals matches capitals only: "US" never links "us".
    Case(
        "glossary-capital-alias-leaves-lower-case-alone",
        append={
            GLOSSARY: "\n## United States { #united-states }\n\n*Also:* US\n\nThe country of fifty states.\n",
            CONCLUSION: "\nLet us begin: the US and us.\n",
        },
        html={
            "essay/conclusion/index.html": (
                "<p>Let us begin: the ",
                'id="glossary-ref-united-states" title="The country of fifty states.">US</a> and us.</p>',
            )
        },
    ),
    Case(
        "glossary-empty-warns",
        files={GLOSSARY: "---\ntitle: Glossary\n---\n\n# Glossary\n\nNo entries yet.\n"},
        expect=("glossary.md:5:", "the term page has no entries", "add one as '## Term { #id }'"),
    ),
    # Tooltips are the text a reader sees: no reference-link brackets, no tags.
    Case(
        "glossary-tooltip-without-markup",
        append={
            GLOSSARY: "\n## Silk Road { #silk-road }\n\n"
            "The [ancient][silk] trade routes, <b>bold</b> &amp; long, between China and the Mediterranean. "
            "More.\n\n[silk]: https://example.org/silk\n",
            CONCLUSION: "\nThe Silk Road again.\n",
        },
        html={
            "essay/conclusion/index.html": (
                'title="The ancient trade routes, bold &amp; long, between China and the Mediterranean.">Silk Road</a>',
            )
        },
    ),
    Case(
        "people-page-missing",
        files={PEOPLE: None},
        expect=("mkdocs.yml", "the glossary page 'people.md' is not among the documentation files", "create it"),
        fatal=True,
    ),
    # One term table for both pages: a person may not take a glossary term.
    Case(
        "people-collides-with-glossary",
        append={PEOPLE: "\n## Taiwan\n\nA person of that name, by mistake.\n"},
        expect=(
            at(PEOPLE, 2),
            "entry 'Taiwan' has the id 'taiwan' of entry 'Taiwan'",
            f"glossary.md:{line_in(GLOSSARY, '## Taiwan')}",
        ),
        fatal=True,
    ),
    Case(
        "people-unknown-link-on-people-page",
        append={PEOPLE: "\n## Liu Shaoqi { #liu-shaoqi }\n\nPresident of China, see [Mao](glossary:mao-zedon).\n"},
        expect=(at(PEOPLE, 4), "unknown glossary term 'mao-zedon'", "did you mean 'mao-zedong'"),
    ),
    Case(
        "people-never-mentioned",
        append={
            PEOPLE: "\n## Lin Biao { #lin-biao }\n\nMarshal of the People’s Republic, Mao’s designated successor.\n"
        },
        expect=(at(PEOPLE, 2), "entry 'Lin Biao' is never mentioned", "add an alias"),
    ),
    Case(
        "glossary-label-line-then-definition",
        append={GLOSSARY: "\n## Silk Road { #silk-road }\n\n*Also:* silk routes\nThe ancient trade routes.\n"},
        expect=(at(GLOSSARY, 5), "add a blank line between the '*Also:*' line of entry 'Silk Road'"),
    ),
    # A person is linked on first mention like a term, with the dates in the tooltip.
    Case(
        "people-forced-link-from-any-page",
        files={"docs/case.md": "# Case\n\nThe chairman ([the Chairman](glossary:mao-zedong)) and Stalin.\n"},
        html={
            "case/index.html": (
                '<a class="glossary-link" href="../people/#mao-zedong" id="glossary-ref-mao-zedong" '
                'title="Mao Zedong (1893–1976), Chairman of the Communist Party of China from 1943 until his death, '
                'who founded the People’s Republic in 1949.">the Chairman</a>) and Stalin.',
            ),
            "people/index.html": ('<a href="../case/#glossary-ref-mao-zedong">Case</a>',),
        },
    ),
]
