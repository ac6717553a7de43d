"""MkDocs hook: Chinese segmentation for search without jieba's log noise.

The logic lives in ``annotated_essay.chinese_search``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotated_essay.chinese_search import quiet_jieba

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Quiet jieba before the search plugin first segments a page."""
    quiet_jieba()
    return config
