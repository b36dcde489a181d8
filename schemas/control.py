"""The control: the body of POST /score, embedded in stored controls and watch-list items.

Enumerations are module constants, in the order DESIGN section 3 lists them: the scorer sorts a
control's lists in this order, so the order is part of the contract.
"""

import math

from marshmallow import ValidationError, fields, validate

from schemas.common import Slug, StrictSchema, text

DIRECTIONS = ("tighten", "loosen")
INSTRUMENTS = (
    "license_requirement",
    "license_approval",
    "entity_listing",
    "foreign_direct_product_rule",
    "end_user_exemption_revocation",
    "servicing_restriction",
    "guidance",
    "remote_access_restriction",
    "location_verification",
    "economic_security_requirement",
    "icts_restriction",
    "revenue_share",
    "country_licensing_tiers",
)
LAYERS = (
    "training_chips",
    "inference_chips",
    "hbm",
    "manufacturing_equipment",
    "eda_software",
    "cloud_compute",
    "model_weights",
    "datacenter_infrastructure",
)
REACHES = ("china_market", "china_production", "third_countries", "global")
BASES = ("fixed", "indexed")


def one_of(choices) -> validate.OneOf:
    """An enum check whose message lists what is allowed, so a 422 teaches the fix."""
    return validate.OneOf(choices, error="Must be one of: {choices}.")


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


def enum_list(choices) -> fields.List:
    """A required, non-empty list of enum values (duplicates are tidied by the scorer)."""
    return fields.List(
        fields.String(validate=one_of(choices)),
        required=True,
        validate=validate.Length(min=1, error="Give at least one value."),
    )


def non_negative() -> Number:
    return Number(validate=validate.Range(min=0, error="Must be at least 0."))


class ThresholdSchema(StrictSchema):
    """Where the control draws its line; `indexed` moves with what China can make."""

    basis = fields.String(required=True, validate=one_of(BASES))
    tpp = non_negative()
    performance_density = non_negative()
    memory_bandwidth_tbps = non_negative()


class ControlSchema(StrictSchema):
    """A proposed or real control, as DESIGN section 3 defines it."""

    name = text(max_length=300)
    description = text(required=False)
    direction = fields.String(required=True, validate=one_of(DIRECTIONS))
    instrument = fields.String(required=True, validate=one_of(INSTRUMENTS))
    layers = enum_list(LAYERS)
    reach = enum_list(REACHES)
    extraterritorial = Boolean(load_default=False)
    linked_to_negotiations = Boolean(load_default=False)
    threshold = fields.Nested(ThresholdSchema)
    chips = fields.List(fields.String(validate=Slug))


def validate_credence(value) -> None:
    if not 0 <= value <= 1:
        raise ValidationError("A credence must be between 0 and 1.")


class ScoreRequestSchema(ControlSchema):
    """POST /score: a control plus optional what-if credences for this call only."""

    assumptions = fields.Dict(
        keys=fields.String(validate=Slug),
        values=Number(validate=validate_credence),
        metadata={"description": "Assumption id -> credence in [0, 1], overriding the model's."},
    )
