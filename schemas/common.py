"""Shapes shared by every resource body: sources, quotes, dates and slugs."""

import math
import re

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from schemas.timeutil import parse_instant

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
SEED_PATTERN = r"^\d{3}_[0-9a-f]{16}$"
ASCII_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", re.ASCII)

Slug = validate.Regexp(SLUG_PATTERN, error="Must be a lowercase slug (a-z, 0-9 and '-').")


def validate_partial_date(value: str) -> None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD: sources are often dated only by month."""
    if not PARTIAL_DATE.fullmatch(value):
        raise ValidationError("Must be a date as YYYY-MM-DD, YYYY-MM or YYYY.")
    if len(value) == 10:  # a whole date must be one the calendar has (not 2025-02-30)
        try:
            parse_instant(value)
        except ValueError as error:
            raise ValidationError("Not a day of the calendar.") from error


class StrictSchema(Schema):
    """Unknown fields are an error everywhere: a typo must never be silently dropped."""

    class Meta:
        unknown = RAISE
        ordered = True

    @pre_load
    def one_value_each(self, data, **kwargs):
        """Query (and form) arguments: a scalar given twice is a 422, never its first value
        silently; a list field (a filter) takes every value given. Integers are ASCII digits:
        "٣" or "1_000" is no number here, though Python's int() would read one."""
        getlist = getattr(getattr(data, "data", data), "getlist", None)  # webargs wraps it
        if getlist is None:
            return data  # a JSON body: its types speak for themselves
        errors = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            values = getlist(key)
            if len(values) > 1 and not isinstance(field, fields.List):
                errors[key] = [f"Given {len(values)} times; give it once."]
            elif isinstance(field, fields.Integer) and not all(
                map(ASCII_INTEGER.fullmatch, values)
            ):
                errors[key] = ["Not a valid integer: write it in the ASCII digits 0-9."]
        if errors:
            raise ValidationError(errors)
        return data


class SourceSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1))
    author = fields.String(validate=validate.Length(min=1), metadata={"description": "Byline."})
    publisher = fields.String(required=True, validate=validate.Length(min=1))
    date = fields.String(required=True, validate=validate_partial_date)
    url = fields.Url()
    seed = fields.String(validate=validate.Regexp(SEED_PATTERN))


class QuoteSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=400))
    speaker = fields.String(required=True, validate=validate.Length(min=1))
    source = fields.Nested(SourceSchema, required=True)


def sources_field():
    """Every body cites at least one source."""
    return fields.List(fields.Nested(SourceSchema), required=True, validate=validate.Length(min=1))


def status_until_field():
    """The last day a status is known to hold; after it the status reads `unknown`."""
    return fields.String(
        validate=validate_partial_date,
        metadata={
            "description": "The last day the stated status is known to hold (a suspension's "
            "end, an expiry). After it, with nothing later found, the status is `unknown`; "
            "GET /review lists such items first."
        },
    )


def text(required: bool = True, max_length: int = 5000):
    return fields.String(required=required, validate=validate.Length(min=1, max=max_length))


class Number(fields.Number):
    """A JSON number, kept as given: ints stay ints so a stored body round-trips byte for byte.

    Strings and booleans are refused rather than coerced: "12" or true is a type error, and a
    type error must be a 422, not a silently different number.
    """

    num_type = float
    default_error_messages = {
        "invalid": "Not a valid number.",
        "special": "Must be a finite number.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        try:
            finite = math.isfinite(value)  # an int too large for a float overflows here
        except OverflowError:
            finite = False
        if not finite:
            raise self.make_error("special")
        return value

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class Boolean(fields.Boolean):
    """JSON true or false only: 1, "yes" or "true" are type errors, not booleans."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Whole(Number):
    """A JSON integer only: 1.5, "1" and true are type errors."""

    default_error_messages = {"invalid": "Not a valid integer."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value
