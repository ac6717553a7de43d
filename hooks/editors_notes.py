"""MkDocs hook: editors' notes and passage anchors.

The logic lives in ``annotated_essay.editors_notes`` (a Python-Markdown extension,
configured under ``markdown_extensions``, which works without this hook); the hook
shares one instance across pages so that its warnings name the page and line and
go to MkDocs' log, where ``--strict`` counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from annotated_essay.editors_notes import EditorsNotesExtension
from annotated_essay.mkdocs_support import install_extension

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

EXTENSION = "annotated_essay.editors_notes"
log = get_plugin_logger("editors_notes")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one editors' notes extension across pages.

    Raises:
        PluginError: The extension is not configured.
    """
    install_extension(config, EXTENSION, EditorsNotesExtension, hook="hooks/editors_notes.py", logger=log)
    return config
