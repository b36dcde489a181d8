"""A cheaper first pass over a JSON body for a schema of plain fields, derived from the schema.

`first_pass(schema, document)` gives what `schema.load(document)` gives (the same keys in the
same order, the same values) for the documents it takes, and None for any other: it never
names an error, so the schema of record still loads, and words the 422 of, everything the
pass does not take. Issue 13: marshmallow's load was a fifth of a new score's time.

It takes only what it can decide exactly: a JSON object whose members are all declared
fields, each a String, a List of Strings or a Boolean (schemas.common's JSON-only kind), run
through the field's own validators (OneOf, Length, Regexp: the very objects the schema calls),
with required fields present and load defaults filled in declared order. Any other kind of
field, a null, a missing required field or a validator's refusal gives None. Hooks are not run:
the pass refuses a schema with hooks other than those it may leave aside (ALLOWED_HOOKS).
"""

from functools import lru_cache

from marshmallow import Schema, ValidationError, fields
from marshmallow.utils import missing

from schemas.common import Boolean

# The schema's hooks a first pass may leave aside, by name: StrictSchema's pre-load check of
# repeated query arguments (a JSON object comes back from it as it went in), and the control's
# check that chips and assumptions exist (POST /score checks them with reference_errors).
ALLOWED_HOOKS = frozenset({"one_value_each", "known_references"})
STRING, LIST, BOOLEAN = "string", "list", "boolean"


def kind_of(field: fields.Field) -> str | None:
    """How the pass reads a field, or None when it does not read that kind."""
    if type(field) is fields.String:
        return STRING
    if type(field) is Boolean:
        return BOOLEAN
    if type(field) is fields.List and type(field.inner) is fields.String:
        return LIST
    return None


def hooks(schema_class: type[Schema]) -> set[str]:
    """The names of the schema's pre/post-load and schema-level validation hooks."""
    return {
        name
        for name in dir(schema_class)
        if hasattr(getattr(schema_class, name, None), "__marshmallow_hook__")
    }


@lru_cache(maxsize=16)
def plan(schema_class: type[Schema]) -> tuple | None:
    """(name, kind, field, inner validators, required, default) per declared field, in
    order (kind None: a field the pass leaves to the schema); None when the schema has
    anything else the pass cannot decide."""
    if not hooks(schema_class) <= ALLOWED_HOOKS:
        return None
    steps = []
    for name, field in schema_class().load_fields.items():
        default = field.load_default
        if field.data_key not in (None, name) or field.allow_none or callable(default):
            return None
        kind = kind_of(field)
        if kind is None and (field.required or default is not missing):
            return None  # a field the pass cannot read, and every load reads it
        inner = tuple(field.inner.validators) if kind == LIST else ()
        steps.append((name, kind, field, inner, field.required, default))
    return tuple(steps)


def checked(kind: str, field: fields.Field, inner: tuple, value):
    """The value as the field loads it, or ValidationError/TypeError when the pass refuses."""
    if kind == STRING:
        if type(value) is not str:
            raise TypeError
    elif kind == BOOLEAN:
        if type(value) is not bool:
            raise TypeError
    else:
        if type(value) is not list or any(type(item) is not str for item in value):
            raise TypeError
        for item in value:
            for validate in inner:
                validate(item)
        value = list(value)
    for validate in field.validators:
        validate(value)
    return value


def first_pass(schema_class: type[Schema], document) -> dict | None:
    """schema_class().load(document) when the pass can decide it (see module docstring)."""
    steps = plan(schema_class)
    if steps is None or type(document) is not dict:
        return None
    if not document.keys() <= {step[0] for step in steps}:
        return None  # an unknown member: the schema raises on it
    loaded = {}
    try:
        for name, kind, field, inner, required, default in steps:
            if name in document:
                if kind is None:
                    return None
                loaded[name] = checked(kind, field, inner, document[name])
            elif required:
                return None
            elif default is not missing:
                loaded[name] = default
    except (ValidationError, TypeError):
        return None
    return loaded
