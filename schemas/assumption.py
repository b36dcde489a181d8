"""The body of an assumption: the seed's statement, its reading, and a dated assessment."""

from marshmallow import fields, validate

from schemas.common import (
    SLUG_PATTERN,
    Number,
    QuoteSchema,
    SourceSchema,
    StrictSchema,
    Whole,
    sources_field,
    text,
    validate_partial_date,
)

STATUSES = ("untested", "holding", "weakening", "broken")
POLARITIES = ("positive", "negative")
DIRECTIONS = ("supports", "undermines")
slug_list = fields.List(fields.String(validate=validate.Regexp(SLUG_PATTERN)))


class UnderpinsSchema(StrictSchema):
    framing = fields.String(required=True, validate=validate.Regexp(SLUG_PATTERN))
    polarity = fields.String(required=True, validate=validate.OneOf(POLARITIES))
    why = text()


class AssessmentSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    credence = Number(required=True, validate=validate.Range(0, 1))
    rationale = text()
    assessed_on = fields.String(required=True, validate=validate_partial_date)


class EvidenceSchema(StrictSchema):
    date = fields.String(required=True, validate=validate_partial_date)
    summary = text()
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    source = fields.Nested(SourceSchema, required=True)


class AssumptionSchema(StrictSchema):
    number = Whole(required=True, validate=validate.Range(1, 99))
    title = text(max_length=300)
    statement = text()
    reading = text()
    underpins = fields.List(fields.Nested(UnderpinsSchema), required=True)
    assessment = fields.Nested(AssessmentSchema, required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema))
    indicators = fields.List(fields.String(validate=validate.Length(min=1)))
    watchlist = slug_list
    quotes = fields.List(fields.Nested(QuoteSchema))
    sources = sources_field()
