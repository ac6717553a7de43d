"""Chinese word segmentation for Material's search, without noise in the build log.

Material's search plugin cuts Chinese text into words with jieba when it is
installed (pinned in requirements.txt); see ``plugins.search.separator`` in
mkdocs.yml for how the words reach the index.
"""

from __future__ import annotations

import logging


def quiet_jieba() -> None:
    """Keep jieba's start-up chatter ("Building prefix dict ...") out of the build log.

    jieba logs at DEBUG level through its own stderr handler on every build;
    warnings and errors still come through.
    """
    logging.getLogger("jieba").setLevel(logging.WARNING)
