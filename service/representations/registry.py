"""The one place output formats are registered: (shape, format) -> renderer.

A renderer is a function (data, context) -> text; modules register theirs with `@renderer`,
and `load` imports every module that does, once, when the app is built.
"""

from collections.abc import Callable

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


def load() -> None:
    """Import the modules that register renderers: Markdown, CSV and HTML."""
    from service.representations import (  # noqa: F401
        charts,
        csv,
        html,
        markdown,
        markdown_score,
    )
