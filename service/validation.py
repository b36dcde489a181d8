"""Validate a resource body: its kind's schema, then the ids it names in other resources."""

from collections.abc import Callable

from marshmallow import ValidationError

from schemas.references import KNOWN
from service.kinds import Kind
from service.scoring import criteria_reference_errors

KnownIds = Callable[[str], set[str]]  # kind -> ids that exist


def _missing(ids, kind: str, known: KnownIds) -> list[str]:
    unknown = sorted(set(ids or []) - known(kind))
    return [f"Unknown {kind} id(s): {', '.join(unknown)}."] if unknown else []


def reference_errors(kind: str, body: dict, known: KnownIds) -> dict[str, list[str]]:
    """Ids a body names that do not exist, keyed by the field that names them."""
    errors: dict[str, list[str]] = {}
    control = body.get("control") or {}
    checks = {
        "control.chips": (control.get("chips"), "chips"),
        "assumptions": (body.get("assumptions") if kind == "watchlist" else None, "assumptions"),
        "watchlist": (body.get("watchlist"), "watchlist"),
    }
    for field, (ids, target) in checks.items():
        if messages := _missing(ids, target, known):
            errors[field] = messages
    if kind == "framings":
        named = [item["assumption"] for item in body.get("assumptions", [])]
        if messages := _missing(named, "assumptions", known):
            errors["assumptions"] = messages
        errors.update(criteria_reference_errors(body.get("criteria", []), known("assumptions")))
    return errors


def validate_body(kind: Kind, body, known: KnownIds) -> dict:
    """The body as it will be stored; ValidationError naming every offending field otherwise."""
    if not isinstance(body, dict):
        raise ValidationError({"_schema": ["The body must be a JSON object."]})
    token = KNOWN.set(known)  # unknown chip ids are then named together with type errors
    try:
        loaded = kind.body_schema().load(body)
    finally:
        KNOWN.reset(token)
    errors = reference_errors(kind.name, loaded, known)
    if errors:
        raise ValidationError(errors)
    return loaded
