"""Never leave a failed build's output looking like a finished site.

MkDocs writes every page before ``--strict`` turns the warnings it counted into
an abort, so a failed ``mkdocs build`` would leave a complete-looking ``site/``
behind (and a failure in ``on_config`` leaves the previous build's). After a
failed build (not under ``mkdocs serve``, which keeps serving its last state),
the site directory is emptied, so nothing half-built can be published.
"""

from __future__ import annotations

import logging
import os

from mkdocs.utils import clean_directory


def discard_site(site_dir: str, logger: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> None:
    """Empty ``site_dir`` (if it exists) and say so."""
    if not os.path.isdir(site_dir) or not os.listdir(site_dir):
        return
    clean_directory(site_dir)
    logger.info(f"the build failed, so {site_dir} was emptied; fix the errors above and build again.")
