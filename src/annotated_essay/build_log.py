"""Where the extensions' warnings go, so that ``--strict`` fails on them under either engine.

MkDocs counts the warnings logged below the ``mkdocs`` logger and
``mkdocs build --strict`` aborts when there are any; a logger named
``mkdocs.plugins.annotated_essay.<feature>`` is counted without any hook.
Zensical 0.0.73 counts only its own link checks, so
:mod:`annotated_essay.zensical_support` counts the same loggers there and makes
``zensical build --strict`` fail too. With plain Python-Markdown the records go
wherever the caller's logging sends them.
"""

from __future__ import annotations

import logging

#: The parent of every feature's logger (below ``mkdocs`` so that MkDocs' ``--strict`` counts it).
LOGGER_PREFIX = "mkdocs.plugins.annotated_essay"


def feature_logger(feature: str) -> logging.Logger:
    """The logger of one feature (``"citations"``, ``"glossary"``), counted by ``--strict`` under both engines."""
    return logging.getLogger(f"{LOGGER_PREFIX}.{feature}")
