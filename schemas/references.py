"""Ids that exist, so a schema can name unknown references in the same 422 as type errors.

A request handler that knows the model sets `KNOWN` to a function kind -> ids for the length of
the request; with nothing set, reference checks are left to the caller.
"""

from collections.abc import Callable
from contextvars import ContextVar

from marshmallow import ValidationError

KNOWN: ContextVar[Callable[[str], set] | None] = ContextVar("known_ids", default=None)


def check_known(kind: str, ids) -> None:
    """Raise a ValidationError listing ids of `kind` that do not exist, when that is known."""
    lookup = KNOWN.get()
    if lookup is None or not isinstance(ids, list | dict):
        return
    known = lookup(kind)
    unknown = sorted({i for i in ids if isinstance(i, str)} - set(known))
    if unknown:
        raise ValidationError(
            f"Unknown {kind} id(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}."
        )
