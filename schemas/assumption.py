"""The body of an assumption: the seed's statement, its reading, and a dated assessment."""

from marshmallow import ValidationError, fields, validate, validates_schema

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
from schemas.framing import When

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
    last_reviewed = fields.String(
        required=True,
        validate=validate_partial_date,
        metadata={"description": "When the assessment was last checked against the record."},
    )

    @validates_schema(skip_on_field_errors=True)
    def reviewed_after_assessed(self, data, **kwargs):
        reviewed, assessed = data["last_reviewed"], data["assessed_on"]
        common = min(len(reviewed), len(assessed))  # partial dates compare on what both give
        if reviewed[:common] < assessed[:common]:
            raise ValidationError(
                "A review cannot predate the assessment it reviews.", "last_reviewed"
            )


class EvidenceSchema(StrictSchema):
    date = fields.String(required=True, validate=validate_partial_date)
    summary = text()
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    source = fields.Nested(SourceSchema, required=True)


class CountermeasureRuleSchema(StrictSchema):
    """When a measure China imposes is evidence on this assumption (DESIGN section 3)."""

    id = fields.String(required=True, validate=validate.Regexp(SLUG_PATTERN))
    when = When(
        required=True,
        metadata={"description": "Condition object(s) on the measure, as a criterion's `when`"},
    )
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    reason = text()


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
    countermeasure_rules = fields.List(
        fields.Nested(CountermeasureRuleSchema),
        metadata={"description": "Rules reading China's measures as evidence on this assumption"},
    )
