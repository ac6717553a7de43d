"""MkDocs hook: the timeline page.

The logic lives in ``annotated_essay.timeline`` (a Python-Markdown extension,
configured under ``markdown_extensions``, which finds the site itself through
``annotated_essay.page_context``); the hook only shares one instance so that its
warnings go to MkDocs' log, where ``--strict`` counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from annotated_essay.mkdocs_support import install_extension
from annotated_essay.timeline import TimelineExtension

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

EXTENSION = "annotated_essay.timeline"
log = get_plugin_logger("timeline")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Share one timeline extension, logging to MkDocs.

    Raises:
        PluginError: The extension is not configured.
    """
    install_extension(config, EXTENSION, TimelineExtension, hook="hooks/timeline.py", logger=log)
    return config
