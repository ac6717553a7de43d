"""MkDocs hook: a failed build leaves an empty site directory, never a complete-looking one.

The logic lives in ``annotated_essay.site_guard``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority, get_plugin_logger

from annotated_essay.site_guard import discard_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = get_plugin_logger("site_guard")

_command: str | None = None
_site_dir: str | None = None


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember whether this is ``mkdocs serve``, whose site must stay served."""
    global _command
    _command = command


# Priority 100: before the other hooks' on_config, which may fail.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Remember where this build writes."""
    global _site_dir
    _site_dir = config.site_dir
    return config


def on_build_error(*, error: Exception) -> None:
    """Empty the site directory after a failed build (not under ``mkdocs serve``)."""
    if _command != "serve" and _site_dir is not None:
        discard_site(_site_dir, log)
