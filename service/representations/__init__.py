"""How an answer is written: negotiation, JSON (respond), and the renderers registered in one
place (formats: one entry per format, see its docstring to add one): Markdown (markdown,
markdown_sections, markdown_score, markdown_text for escaping), CSV, HTML pages (html, helpers),
the Atom change feed (atom, a document of its own route, not a format of any shape), embeds, the
one citation of a version, and how each kind is shown (presentation).
May import schemas, kinds, store (types), web and scoring.words; never service.api.
Left empty on purpose, so importing one module here imports no other.
"""
