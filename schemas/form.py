"""The HTML score form's query arguments (GET /score/form)."""

from marshmallow import fields, validate

from schemas.common import SLUG_PATTERN, StrictSchema


class FormQueryArgsSchema(StrictSchema):
    control = fields.String(
        validate=validate.Regexp(SLUG_PATTERN),
        metadata={
            "description": "Fill the form in from this stored control, to score a variation."
        },
    )
