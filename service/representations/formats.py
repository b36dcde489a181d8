"""The one registry of output formats: each format is one entry, everything else reads it.

A Format names what a client asks for (`?format=<name>`), the media type it is offered and
negotiated as (Accept, Content-Type, the OpenAPI document), the suffix of the entity-tags made
from its bytes (`"<suffix>-<digest>"`, web/preconditions.py), a line the OpenAPI document shows,
and its renderers: one function (data, context) -> text per shape it can write ("version",
"page", "history", "score"...). A shape is offered in JSON and in every format that has a
renderer for it, JSON first, then by name; a format a shape lacks is a 406 there.
`own_etag`: its answers carry their own validator (a version's JSON: its number) rather than one
made from their bytes.

How to add a format (as datasette's register_output_renderer), e.g. MediaWiki wikitext:

1. Write `service/representations/wiki.py`::

       from service.representations.formats import register_format, renderer

       register_format("wiki", "text/x-wiki", description="Wikitext for MediaWiki (?format=wiki)")

       @renderer("version", "wiki")
       def version_wiki(item: dict, context: dict) -> str: ...

   Each renderer takes the JSON-ready data the API answers with (the same dict the JSON form
   is made from) and the view's context, and returns text (sent as UTF-8).
2. Add "wiki" to MODULES below, so the app imports it when it is built.

Negotiation (web/http.py negotiate), the answer's Content-Type (respond.py), the validators of
its answers (web/preconditions.py) and the OpenAPI document (the `format` enum and the media
types of each answer) then offer it wherever it has a renderer; tests/api/test_formats.py shows
a format added this way being negotiated. Imports nothing of Flask, so anything may read it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

Renderer = Callable[[dict, dict], str]

# The modules that register formats and renderers, imported once when the app is built.
MODULES = (
    "markdown",
    "markdown_score",
    "csv",
    "html",
    "charts",
    "trajectory",
    "atom",
    "badges",
    "wikitext",
    "confluence",
)


@dataclass(frozen=True)
class Format:
    name: str  # ?format=<name>
    media_type: str  # what Accept names and Content-Type says
    suffix: str  # of the entity-tags made from its bytes
    description: str = ""  # the OpenAPI document's line for it
    own_etag: bool = False  # answers carry their own validator, not one made from their bytes
    renderers: dict[str, Renderer] = field(default_factory=dict, compare=False)


FORMATS: dict[str, Format] = {}


def register_format(
    name: str,
    media_type: str,
    *,
    suffix: str | None = None,
    description: str = "",
    own_etag: bool = False,
) -> Format:
    """Register a format (again: the same facts are a no-op; other facts are a ValueError)."""
    entry = Format(name, media_type, suffix or name, description, own_etag)
    known = FORMATS.get(name)
    if known is not None and known != entry:
        raise ValueError(f"Format {name!r} is registered already as {known.media_type}.")
    return FORMATS.setdefault(name, entry)


def renderer(shape: str, fmt: str) -> Callable[[Renderer], Renderer]:
    """Register a function (data, context) -> text as the `fmt` form of `shape`."""

    def register(function: Renderer) -> Renderer:
        FORMATS[fmt].renderers[shape] = function
        return function

    return register


JSON = register_format("json", "application/json", own_etag=True)


def formats_of(shape: str) -> tuple[str, ...]:
    """The formats `shape` is offered in: JSON first, then those with a renderer, by name."""
    return ("json", *sorted(name for name, f in FORMATS.items() if shape in f.renderers))


def renders(shape: str, fmt: str) -> bool:
    return fmt == "json" or (fmt in FORMATS and shape in FORMATS[fmt].renderers)


def render(shape: str, fmt: str, data, context: dict | None = None) -> str:
    """The `fmt` (not JSON) text of `data`, a `shape`."""
    return FORMATS[fmt].renderers[shape](data, context or {})


def media_type(fmt: str) -> str:
    return FORMATS[fmt].media_type


def suffix_of(mimetype: str) -> str | None:
    """The entity-tag suffix of the format sent as `mimetype`, None when none is registered."""
    return next((f.suffix for f in FORMATS.values() if f.media_type == mimetype), None)


def load() -> None:
    """Import the modules that register formats and renderers (MODULES)."""
    for module in MODULES:
        import_module(f"service.representations.{module}")
