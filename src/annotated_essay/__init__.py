"""Citations, notes and a glossary for an annotated essay.

The package holds the logic; MkDocs hooks in the folder above only wire it to
MkDocs events. Every module here works with plain Python-Markdown too.
"""
