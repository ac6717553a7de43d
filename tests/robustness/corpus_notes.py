"""Corpus cases for editors' notes and the timeline: each bad input names its file and line."""

from __future__ import annotations

from tests.robustness.corpus import REPO, Case

TIMELINE = "docs/timeline.yml"
CONCLUSION = "docs/essay/conclusion.md"


def _lines(relative: str) -> int:
    return len((REPO / relative).read_text(encoding="utf-8").splitlines())


def at_timeline(line_in_appended: int) -> str:
    """``timeline.yml:N:`` for line ``line_in_appended`` (1-based) of text appended to the data file."""
    return f"timeline.yml:{_lines(TIMELINE) + line_in_appended}:"


def at_conclusion(line_in_appended: int) -> str:
    """``conclusion.md:N:`` for a line of text appended to the conclusion page (front matter counted)."""
    return f"essay/conclusion.md:{_lines(CONCLUSION) + line_in_appended}:"


NOTES_CASES = [
    Case(
        "note-passage-not-in-text",
        append={CONCLUSION: "\n/// editors-note | words the author never wrote\nA note.\n///\n"},
        expect=(at_conclusion(2), "the passage 'words the author never wrote' is not in the text", "quote"),
    ),
    Case(
        "note-passage-twice",
        append={CONCLUSION: "\n/// editors-note | China\nA note.\n///\n"},
        expect=(at_conclusion(2), "the passage 'China' occurs", "times on this page", "quote"),
    ),
    Case(
        "note-empty",
        append={CONCLUSION: "\n/// editors-note | Pax Americana\n///\n"},
        expect=(at_conclusion(2), "the editors' note is empty", "write its text"),
    ),
    Case(
        "note-unknown-option",
        append={CONCLUSION: "\n/// editors-note | Pax Americana\n    colour: red\n\nA note.\n///\n"},
        expect=(at_conclusion(2), "this editors-note block was not understood", "write it as"),
    ),
    Case(
        "passage-duplicate-id",
        append={CONCLUSION: "\n/// passage | Pax Americana\n    id: munich-2025\n///\n"},
        expect=(at_conclusion(2), "the id 'munich-2025' is already used on this page", "give each passage its own id"),
    ),
    Case(
        "timeline-impossible-date",
        append={TIMELINE: "\n- date: 1969-02-30\n  title: Nothing\n"},
        expect=(at_timeline(2), "'1969-02-30' is not a real date", "check the month and the day"),
    ),
    Case(
        "timeline-unknown-field",
        append={TIMELINE: "\n- date: 1969\n  title: Something\n  place: Moscow\n"},
        expect=(at_timeline(4), "unknown field 'place'", "use one of"),
    ),
    Case(
        "timeline-unknown-glossary-id",
        append={TIMELINE: "\n- date: 1969\n  title: Something\n  glossary: no-such-entry\n"},
        expect=(at_timeline(4), "no glossary entry has the id 'no-such-entry'", "add the entry"),
    ),
    Case(
        "timeline-unknown-passage",
        append={TIMELINE: "\n- date: 1969\n  title: Something\n  essay: essay/conclusion.md#nowhere\n"},
        expect=(at_timeline(4), "'essay/conclusion.md' has no passage with the id 'nowhere'", "give the passage"),
    ),
    Case(
        "timeline-unknown-page",
        append={TIMELINE: "\n- date: 1969\n  title: Something\n  essay: essay/epilogue.md#x\n"},
        expect=(at_timeline(4), "there is no page 'essay/epilogue.md'", "write the path"),
    ),
    Case(
        "timeline-broken-yaml",
        append={TIMELINE: "\n- date: 1969\n  title: 'Unclosed\n"},
        expect=("timeline.yml:", "the file is not valid YAML", "fix the indentation or quoting"),
    ),
    Case(
        "timeline-renders",
        html={
            "timeline/index.html": (
                '<time datetime="1969-03-02">2–15 March 1969</time>',
                '<a href="../essay/step-by-step-china-soviet-conflict/#zhenbao-1969">',
            )
        },
    ),
]
