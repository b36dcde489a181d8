"""The body of a stored control: a real measure, its facts, and the sign the seeds give it."""

from marshmallow import fields, validate

from schemas.common import (
    SLUG_PATTERN,
    StrictSchema,
    Whole,
    sources_field,
    status_until_field,
    text,
    validate_partial_date,
)
from schemas.control import ControlSchema

# `unknown`: the status last recorded rested on a date that has passed (a suspension's end, an
# expiry) and no record of what followed was found; `status_until` names that date.
STATUSES = (
    "proposed",
    "pending",
    "in_force",
    "lifted",
    "reversed",
    "suspended",
    "superseded",
    "unknown",
)


class ExpectationSchema(StrictSchema):
    sign = Whole(required=True, validate=validate.OneOf((-1, 0, 1)))
    why = text()


class ControlResourceSchema(StrictSchema):
    control = fields.Nested(ControlSchema, required=True)
    date = fields.String(required=True, validate=validate_partial_date)
    agency = text(max_length=300)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    status_until = status_until_field()
    summary = text()
    expected = fields.Dict(
        keys=fields.String(validate=validate.Regexp(SLUG_PATTERN)),
        values=fields.Nested(ExpectationSchema),
        required=True,
    )
    sources = sources_field()
