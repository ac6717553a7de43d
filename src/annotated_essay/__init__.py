"""Citations, notes and a glossary for an annotated essay, as Python-Markdown extensions.

Every extension here works under MkDocs, under Zensical and with plain
Python-Markdown (``tests/test_plain_markdown.py``): what needs the whole site
comes from :mod:`annotated_essay.site_index` when an engine says which page is
converted (:mod:`annotated_essay.page_context`), and falls back to the page
alone without one. Engine glue lives in modules named for it:
``mkdocs_support`` and ``site_guard`` (imported only by the MkDocs hooks in
``hooks/``) and ``zensical_support``.
"""
