"""The body of a watch-list item: a coming measure or event and what it would signal."""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.common import (
    SLUG_PATTERN,
    QuoteSchema,
    SourceSchema,
    StrictSchema,
    sources_field,
    status_until_field,
    text,
    validate_partial_date,
)
from schemas.control import ControlSchema
from schemas.references import check_known

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
    "policy_debate",
    "chinese_capability",
)
# `unknown`: as for controls, the status rested on a date that has passed with nothing later found.
STATUSES = ("pending", "active", "enacted", "stalled", "resolved", "withdrawn", "unknown")
ORIGINS = ("assumption-6", "analysis")
# What an item happening would signal, at the seed's two levels: the clash of worldviews (which
# framing wins) or transactional bargaining with Beijing, which the seed reads as a different
# level from the worldview clash and which signals neither framing.
SIGNAL_LEVELS = ("worldview", "transactional_bargaining")


class SignalSchema(StrictSchema):
    level = fields.String(
        load_default="worldview",
        validate=validate.OneOf(SIGNAL_LEVELS, error="Must be one of: {choices}."),
        metadata={
            "description": "`worldview`: it would signal a framing (name it in `framing`); "
            "`transactional_bargaining`: a move in the bargaining with Beijing, no framing."
        },
    )
    framing = fields.String(validate=validate.Regexp(SLUG_PATTERN))
    why = text()

    @validates_schema(skip_on_field_errors=True)
    def framing_fits_level(self, data, **kwargs):
        framing = data.get("framing")
        if data.get("level", "worldview") == "worldview":
            if framing is None:
                raise ValidationError("Name the framing it would signal.", "framing")
            check_known_framing(framing)
        elif framing is not None:
            raise ValidationError(
                "Transactional bargaining signals no framing; leave framing out.", "framing"
            )


def check_known_framing(framing: str) -> None:
    try:
        check_known("framings", [framing])
    except ValidationError as error:
        raise ValidationError(error.messages, "framing") from error


class UpdateSchema(StrictSchema):
    date = fields.String(required=True, validate=validate_partial_date)
    summary = text()
    source = fields.Nested(SourceSchema, required=True)


class WatchlistItemSchema(StrictSchema):
    title = text(max_length=300)
    description = text()
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    status_until = status_until_field()
    origin = fields.String(required=True, validate=validate.OneOf(ORIGINS))
    assumptions = fields.List(fields.String(validate=validate.Regexp(SLUG_PATTERN)), required=True)
    happens_when = text()
    signals = fields.Nested(SignalSchema, required=True)
    last_reviewed = fields.String(required=True, validate=validate_partial_date)
    updates = fields.List(fields.Nested(UpdateSchema))
    control = fields.Nested(ControlSchema)
    quotes = fields.List(fields.Nested(QuoteSchema))
    sources = sources_field()
