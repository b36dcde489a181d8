"""The control: the body of POST /score, embedded in stored controls and watch-list items.

Enumerations are module constants, in the order DESIGN section 3 lists them: the scorer sorts a
control's lists in this order, so the order is part of the contract.
"""

from marshmallow import ValidationError, fields, validate, validates_schema

from schemas.common import Boolean, Number, Slug, StrictSchema, text  # noqa: F401 (re-exported)
from schemas.references import check_known

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
    "export_promotion",
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
# Whom a control bites on (DESIGN section 3): the competitor and the customer told apart.
TARGETS = (
    "chinese_chip_industry",
    "chinese_ai_developers",
    "military_end_users",
    "diversion_routes",
    "allied_suppliers",
    "partner_countries",
    # Whom a measure of China's bites on (DESIGN section 3, "Who imposes a measure").
    "us_chip_vendors",
    "allied_supply_chains",
)
BASES = ("fixed", "indexed")
# Who imposes the measure: the framings prescribe US (and allied) policy; China's measures are
# read as evidence on the assumptions instead (service/scoring/countermeasure.py).
IMPOSERS = ("us", "ally", "china")
# Effect size (DESIGN section 3, "Degree"), each derived with reasons when absent.
BREADTHS = ("named_entities", "class_of_entities", "whole_market")
STRINGENCIES = ("advisory", "conditional", "prohibitive")
STAGES = ("proposed", "adopted", "in_force")


def one_of(choices) -> validate.OneOf:
    """An enum check whose message lists what is allowed, so a 422 teaches the fix."""
    return validate.OneOf(choices, error="Must be one of: {choices}.")


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
    targets = fields.List(
        fields.String(validate=one_of(TARGETS)),
        validate=validate.Length(min=1, error="Give at least one value, or leave targets out."),
        metadata={"description": "Whom the control bites on; derived and reported when absent."},
    )
    imposed_by = fields.String(
        validate=one_of(IMPOSERS),
        metadata={
            "description": "us (default), ally, or china: China's measures read as evidence."
        },
    )
    breadth = fields.String(
        validate=one_of(BREADTHS),
        metadata={"description": "How much of its target it covers; derived when absent."},
    )
    stringency = fields.String(
        validate=one_of(STRINGENCIES),
        metadata={"description": "How binding it is; derived from the instrument when absent."},
    )
    stage = fields.String(
        validate=one_of(STAGES),
        metadata={"description": "proposed, adopted or in_force; in_force when absent."},
    )

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def known_references(self, _data, original, **kwargs):
        """Unknown chip (and assumption) ids are named in the same 422 as any type error."""
        errors = {}
        for field, kind in (("chips", "chips"), ("assumptions", "assumptions")):
            raw = original.get(field) if isinstance(original, dict) else None
            try:
                check_known(kind, raw)
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)


def validate_credence(value) -> None:
    if not 0 <= value <= 1:
        raise ValidationError("A credence must be between 0 and 1.")


def what_if_credences(description: str) -> fields.Dict:
    """Assumption id -> credence in [0, 1], overriding the model's for one request."""
    return fields.Dict(
        keys=fields.String(validate=Slug),
        values=Number(validate=validate_credence),
        metadata={"description": description},
    )


class ScoreRequestSchema(ControlSchema):
    """POST /score: a control plus optional what-if credences for this call only."""

    assumptions = what_if_credences("Assumption id -> credence in [0, 1], overriding the model's.")
