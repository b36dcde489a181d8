"""The one way per-kind routes are made: a function that adds one kind's routes, called here
once for each kind (or each kind that carries a control to score)."""

from collections.abc import Callable

from service.kinds import KINDS, Kind


def per_kind(make: Callable[[Kind], object], *, scored: bool = False) -> list:
    """`make(kind)` for every kind, in KINDS order; if `scored`, only for the kinds whose
    resources hold a control, by name (the order of their routes in the OpenAPI document)."""
    if scored:
        return [make(kind) for kind in sorted(KINDS.values(), key=lambda k: k.name) if kind.scored]
    return [make(kind) for kind in KINDS.values()]
