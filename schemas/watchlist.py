"""The body of a watch-list item: a coming measure or event and what it would signal."""

from marshmallow import fields, validate

from schemas.common import (
    SLUG_PATTERN,
    SourceSchema,
    StrictSchema,
    sources_field,
    text,
    validate_partial_date,
)
from schemas.control import ControlSchema

CATEGORIES = (
    "bilateral_deal",
    "trade_agreement",
    "compute_governance",
    "icts",
    "export_rule",
    "legislation",
    "antitrust",
    "enforcement",
    "licensing",
    "chinese_countermeasure",
    "negotiation",
)
STATUSES = ("pending", "active", "enacted", "stalled", "resolved", "withdrawn")
ORIGINS = ("assumption-6", "analysis")


class SignalSchema(StrictSchema):
    framing = fields.String(required=True, validate=validate.Regexp(SLUG_PATTERN))
    why = text()


class UpdateSchema(StrictSchema):
    date = fields.String(required=True, validate=validate_partial_date)
    summary = text()
    source = fields.Nested(SourceSchema, required=True)


class WatchlistItemSchema(StrictSchema):
    title = text(max_length=300)
    description = text()
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    origin = fields.String(required=True, validate=validate.OneOf(ORIGINS))
    assumptions = fields.List(fields.String(validate=validate.Regexp(SLUG_PATTERN)), required=True)
    happens_when = text()
    signals = fields.Nested(SignalSchema, required=True)
    last_reviewed = fields.String(required=True, validate=validate_partial_date)
    updates = fields.List(fields.Nested(UpdateSchema))
    control = fields.Nested(ControlSchema)
    sources = sources_field()
