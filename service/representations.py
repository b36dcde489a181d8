"""One answer, several representations: JSON by default, Markdown, HTML and CSV where registered.

A view hands `represent` a shape name and its JSON-ready data; renderers for other formats
register themselves per (shape, format) and receive the same data plus a context.
"""

from collections.abc import Callable

from flask import Response

from service.http import (
    MIMETYPES,
    envelope,
    json_response,
    negotiate,
    next_link,
    not_modified,
    validators,
)
from service.store import Version

Renderer = Callable[[dict, dict], str]
RENDERERS: dict[tuple[str, str], Renderer] = {}


def renderer(shape: str, fmt: str) -> Callable[[Renderer], Renderer]:
    """Register a function (data, context) -> text as the `fmt` form of `shape`."""

    def register(function: Renderer) -> Renderer:
        RENDERERS[(shape, fmt)] = function
        return function

    return register


def formats_of(shape: str) -> tuple[str, ...]:
    return ("json", *sorted(fmt for (name, fmt) in RENDERERS if name == shape))


def represent(
    shape: str, data, *, status: int = 200, headers: dict | None = None, context: dict | None = None
) -> Response:
    """Answer `data` in the format the client asked for; 406 when the shape lacks it."""
    fmt = negotiate(formats_of(shape))
    headers = {**(headers or {}), "Vary": "Accept"}
    if fmt == "json":
        return json_response(data, status, headers)
    text = RENDERERS[(shape, fmt)](data, context or {})
    response = Response(text, status, headers=headers, mimetype=MIMETYPES[fmt])
    response.charset = "utf-8"
    return response


def version_response(version: Version) -> Response:
    """One version with its validators; 304 when the client already has it."""
    headers = validators(version)
    if not_modified(version):
        return Response(status=304, headers={**headers, "Vary": "Accept"})
    return represent("version", envelope(version), headers=headers, context={"version": version})


def page_response(shape: str, items: list[dict], next_position, context: dict | None = None):
    """A page as {"items", "next"} with a Link rel="next" header when there is more."""
    url, headers = next_link(next_position)
    return represent(shape, {"items": items, "next": url}, headers=headers, context=context)
