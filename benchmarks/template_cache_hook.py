"""MkDocs hook for the benchmark's *stock + template cache* row: stock Material with our Jinja bytecode cache.

Our MkDocs build keeps the theme's compiled templates between builds
(``annotated_essay.template_cache``), which saves a cost stock Material pays on
every build. This row gives stock the same cache, so that the report can show
what our hooks and extensions add on their own, apart from that saving.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from annotated_essay.citation_settings import CACHE_DIR
from annotated_essay.template_cache import use_bytecode_cache

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


# Priority 100: first, before any handler could load a template (as hooks/mkdocs_citations.py).
@event_priority(100)
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    """Keep the theme's compiled templates in the project's cache folder."""
    use_bytecode_cache(env, str(Path(config.config_file_path).parent / CACHE_DIR))
    return env
