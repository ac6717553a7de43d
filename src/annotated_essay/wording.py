"""How the edition words dates and labels, in one place for every feature.

English month names (the edition is in English whatever the machine's locale, so
``calendar.month_name`` will not do) and the letter labels a, b, …, z, aa, ab, …
that back-links and editors' notes use, so that they never look like the numbers
of the source notes.
"""

from __future__ import annotations

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def letter(index: int) -> str:
    """a, b, …, z, aa, ab, … for ``index`` 0, 1, … (bijective base 26, as footnote back-references)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("a") + rest) + label
    return label
