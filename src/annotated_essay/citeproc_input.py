"""What citeproc-py is given and what comes back: its input prepared, its output tidied.

Workarounds for citeproc-py 0.11 on either side of formatting (the rendering
fixes are in ``citeproc_fixes``), each named and tested:

- Names wholly in Chinese, Japanese or Korean script print family first, unspaced.
- Every string is escaped before citeproc-py sees it (it escapes affixes and
  terms, not variables, so a title "<script>" would be markup).
- BibTeX's ``and others`` becomes a marker at the end of the name list, and a
  year's letter (``2010a``) is kept on the date, for ``citeproc_fixes`` to print.
- ``citation-number`` is the number the site gives the work, not 1.
- "Title?." and "Title.." collapse (:func:`tidy`).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from .bibtex_model import BibEntry

if TYPE_CHECKING:
    from citeproc.source.json import CiteProcJSON

#: A name part written wholly in Han, kana or Hangul (with the iteration marks 々 and 〆).
_CJK_NAME_PART = re.compile(
    "[\u1100-\u11ff\u3005\u3006\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]+"
)
_PEOPLE_ROLES = {"author": "author", "editor": "editor", "translator": "translator", "bookauthor": "container_author"}
#: Marks the end of a name list written "and others" (a literal name no one has).
OTHERS_LITERAL = "\x00others"
_DOUBLED_PERIOD = re.compile(r"(?<!\.)\.((?:</[a-z]+>)*)\.(?!\.)")
_PERIOD_AFTER_MARK = re.compile(r"([?!])((?:</[a-z]+>)*)\.")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def citeproc_source(item: dict[str, Any], entry: BibEntry | None = None) -> CiteProcJSON:
    """citeproc-py's input for one CSL-JSON ``item``, with what only citeproc-py needs added.

    CJK names are given whole, strings escaped; from ``entry``: the "et al." marker
    of ``and others`` lists and the year's letter.
    """
    from citeproc.source import Name
    from citeproc.source.json import CiteProcJSON

    prepared = _escape_strings(cjk_names_whole(item))
    suffix = prepared.pop("year-suffix", "")
    source = CiteProcJSON([prepared])
    reference = source[str(item["id"]).lower()]
    if entry is not None:
        for field, role in _PEOPLE_ROLES.items():
            people = entry.people.get(field, ())
            if people and people[-1].others and role in reference:
                reference[role] = [*reference[role], Name(literal=OTHERS_LITERAL)]
    issued = reference.get("issued")
    if suffix and issued is not None and "year" in issued:
        issued["year_letter"] = html.escape(suffix)
    return source


def numbered_item(key: str, number: int | None) -> Any:
    """A citeproc-py ``CitationItem`` whose ``citation-number`` is ``number`` (citeproc-py's own: 1)."""
    from citeproc import CitationItem

    class _NumberedItem(CitationItem):  # type: ignore[misc]  # citeproc-py is untyped
        @property
        def number(self) -> int:
            return number if number is not None else int(super().number)

    return _NumberedItem(key)


def cjk_names_whole(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with names written in Chinese, Japanese or Korean script given whole.

    CSL prints such names family first, unspaced, never inverted or initialized
    ("张伟"); citeproc-py treats them as Latin names ("张, . 伟 ."), but prints a
    literal name as written. Only citeproc-py gets the joined name: the CSL-JSON
    this site publishes keeps family and given apart. A name is judged by its
    characters, so one with a Latin family or given name keeps its initials.
    """
    converted = dict(item)
    for role in ("author", "editor", "translator", "container-author"):
        if role in item:
            converted[role] = [
                {"literal": name["family"] + name.get("given", "")} if _is_cjk_name(name) else name
                for name in item[role]
            ]
    return converted


def _is_cjk_name(name: dict[str, str]) -> bool:
    # A particle or suffix marks a name split by BibTeX's Western rules; leave it be.
    return (
        name.keys() <= {"family", "given"}
        and _CJK_NAME_PART.fullmatch(name.get("family", "")) is not None
        and (not name.get("given") or _CJK_NAME_PART.fullmatch(name["given"]) is not None)
    )


def _escape_strings(value: Any) -> Any:
    """``value`` with every string HTML-escaped (ids and numbers are plain ASCII)."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escape_strings(part) for part in value]
    if isinstance(value, dict):
        return {key: part if key == "id" else _escape_strings(part) for key, part in value.items()}
    return value


def tidy(fragment: str) -> str:
    """Fold white space and collapse doubled punctuation, as CSL processors should.

    citeproc-py prints "Title?." and "Title..", when a title ends in punctuation
    and the style adds a period; an ellipsis ("...") is left alone.
    """
    text = _ASCII_SPACE.sub(" ", fragment).strip(" ")  # (a no-break space from a tie stays)
    text = _PERIOD_AFTER_MARK.sub(r"\1\2", text)
    return _DOUBLED_PERIOD.sub(r".\1", text)
