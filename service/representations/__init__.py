"""How an answer is written: negotiation, JSON (respond), and the renderers registered in one
place (registry): Markdown (markdown, markdown_sections, markdown_score, markdown_text for
escaping), CSV, HTML pages (html, helpers), the Atom change feed (atom, a document of its own
route, not a registered format), embeds, and the one citation of a version.
A new output format is one module here that registers its renderers, listed in registry.load.
May import schemas, kinds, store (types), web and scoring.words; never service.api.
Left empty on purpose: kinds imports markdown_sections, so this package imports nothing.
"""
