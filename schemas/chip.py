"""The body of a chip: the figures that foreign availability is judged on."""

from marshmallow import fields, validate

from schemas.common import Boolean, Number, SourceSchema, StrictSchema, Whole, sources_field, text

NUMERIC_FIELDS = (
    "bf16_tflops",
    "tpp",
    "performance_density",
    "memory_gb",
    "memory_bandwidth_tbps",
    "die_area_mm2",
)
STATUSES = ("in_production", "end_of_life", "announced")
EXPORT_STATUSES = (
    "not_controlled",
    "licence_required",
    "case_by_case",
    "prohibited",
    "not_applicable",
)


def figure():
    return Number(required=True, allow_none=True, validate=validate.Range(min=0))


class VolumeSchema(StrictSchema):
    period = fields.String(required=True, validate=validate.Length(min=1))
    units = Whole(required=True, validate=validate.Range(min=0))
    basis = text()
    estimate = Boolean(required=True)
    source = fields.Nested(SourceSchema, required=True)


class ChipSchema(StrictSchema):
    name = text(max_length=200)
    vendor = text(max_length=200)
    origin = fields.String(required=True, validate=validate.OneOf(("us", "china")))
    bf16_tflops = figure()
    tpp = figure()
    performance_density = figure()
    memory_gb = figure()
    memory_bandwidth_tbps = figure()
    die_area_mm2 = figure()
    estimates = fields.List(fields.String(validate=validate.OneOf(NUMERIC_FIELDS)))
    volume = fields.List(fields.Nested(VolumeSchema))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    us_export_status = fields.String(required=True, validate=validate.OneOf(EXPORT_STATUSES))
    export_note = text(required=False)
    notes = text(required=False)
    sources = sources_field()
