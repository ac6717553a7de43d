r"""LaTeX in BibTeX field values turned into the Unicode text a reader sees, with pylatexenc.

pylatexenc's ``LatexNodes2Text`` does the decoding (accents, ``\&``, ``--``,
``~``, ``\emph{}``, ``\url{}``, math such as ``$\alpha$``); this module gives
it a context suited to bibliographies and reports what it cannot show:

- ``%`` is text: BibTeX keeps it, LaTeX would start a comment and drop the rest
  of the value ("Why 50% of Voters" became "Why 50"). See :func:`percent_as_text`.
- Math becomes its text: ``$\alpha$`` is "α", ``$O(n^2)$`` is "O(n^2)".
- A command pylatexenc does not know (``\foo``), or one that means nothing in a
  reference list (``\cite``, ``\ref``, ``\footnote``), is reported; its
  arguments are kept as text (``\cite{x}`` shows "[x]", never "<cit.>").
- An unmatched ``$`` is reported (write ``\$`` for a dollar sign).

Imported only when a ``.bib`` file is parsed (pylatexenc costs start-up time).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pylatexenc import latexwalker  # type: ignore[import-untyped]
from pylatexenc.latex2text import (  # type: ignore[import-untyped]
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

#: Values that decoding leaves unchanged: words separated by single spaces, without
#: backslashes, braces, math, comments, ties, ligatures such as -- or `` and the like.
_PLAIN_VALUE = re.compile(r"[^\\{}$%~&#^_`'\-!?\s]*(?: [^\\{}$%~&#^_`'\-!?\s]+)*")
#: A ``%`` not escaped by a backslash (an even number of backslashes before it).
_BARE_PERCENT = re.compile(r"(?<!\\)((?:\\\\)*)%")
_BARE_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\$")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")

#: Citation commands: the keys are kept in brackets ("[x]") and the command is reported.
CITE_COMMANDS = frozenset(
    {"cite", "citep", "citet", "citeauthor", "citeyear", "parencite", "textcite", "autocite", "footcite", "nocite"}
)
#: Commands pylatexenc knows but whose output would be a placeholder ("<ref>") or nothing useful.
MEANINGLESS_COMMANDS = frozenset(
    {"ref", "autoref", "cref", "Cref", "eqref", "pageref", "label", "footnote", "includegraphics", "input", "include"}
)
#: Logos and commands common in bibliographies that pylatexenc's defaults lack.
_EXTRA_MACROS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "LuaTeX": "LuaTeX",
    "mbox": "%s",
    "hbox": "%s",
    "url": "%s",  # bibtexparser's choice too: the address itself, not "<address>"
    "nolinkurl": "%s",
    "path": "%s",
}


def percent_as_text(value: str) -> str:
    r"""``value`` with every unescaped ``%`` written ``\%``.

    Workaround: pylatexenc's parser always reads ``%`` as the start of a comment
    (``LatexWalker`` has no option to turn that off), while inside a BibTeX
    value it is an ordinary character, in titles ("50%") and URLs alike.
    """
    return _BARE_PERCENT.sub(r"\1\\%", value)


def decode(value: str) -> tuple[str, tuple[str, ...]]:
    """The text ``value`` shows, white space folded, and what could not be shown faithfully.

    Each problem is a phrase naming the construct and the remedy, for the caller
    to prefix with the file, line, entry and field.
    """
    if _PLAIN_VALUE.fullmatch(value):
        return value, ()
    problems: list[str] = []
    if len(_BARE_DOLLAR.findall(value)) % 2:
        problems.append(r"has an unmatched '$' (math starts and never ends); write \$ for a dollar sign")
    converter = _converter()
    converter.problems = problems
    try:
        nodes = latexwalker.LatexWalker(
            percent_as_text(value), latex_context=_walker_context(), tolerant_parsing=True
        ).get_latex_nodes()[0]
        text = converter.nodelist_to_text(nodes)
    except latexwalker.LatexWalkerError as error:  # tolerant parsing makes this rare
        problems.append(f"cannot be read as LaTeX ({error}); check its braces and commands")
        text = value
    finally:
        converter.problems = []
    # White space folded, but not the no-break space a tie (~) stands for.
    return _ASCII_SPACE.sub(" ", text).strip(" "), tuple(dict.fromkeys(problems))


class _BibliographyText(LatexNodes2Text):  # type: ignore[misc]  # pylatexenc is untyped
    """``LatexNodes2Text`` that records commands it cannot render instead of dropping them silently."""

    problems: list[str]

    def macro_node_to_text(self, node: Any) -> str:
        name = node.macroname
        arguments = [argument for argument in (node.nodeargd.argnlist if node.nodeargd else []) if argument]
        if name in CITE_COMMANDS:
            keys = self._groupnodecontents_to_text(arguments[-1]) if arguments else ""
            self.problems.append(
                f"uses \\{name}{{{keys}}}, a citation inside a reference, which the reference list "
                "cannot number; write the cited work out (author, year) instead"
            )
            return f"[{keys}]"
        if name in MEANINGLESS_COMMANDS or (self.latex_context.get_macro_spec(name) is None and not _is_spacing(name)):
            self.problems.append(
                f"uses the LaTeX command \\{name}, which cannot be shown in a reference; "
                "write the text it stands for as Unicode"
            )
            return "".join(self._groupnodecontents_to_text(argument) for argument in arguments)
        return str(super().macro_node_to_text(node))


def _is_spacing(name: str) -> bool:
    # "\ " (control space), "\\" and the like carry no name pylatexenc would look up.
    return not name or not name[0].isalpha()


@functools.cache
def _converter() -> _BibliographyText:
    """One converter for the process: building pylatexenc's context takes milliseconds."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "annotated-essay-bibliography",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _EXTRA_MACROS.items()],
    )
    return _BibliographyText(latex_context=context, math_mode="text", keep_braced_groups=False)


@functools.cache
def _walker_context() -> Any:
    """The parser's context (which commands take arguments), built once per process."""
    return latexwalker.get_default_latex_context_db()
