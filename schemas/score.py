"""Shapes of scoring answers (for the OpenAPI document) and of a batch request."""

from marshmallow import Schema, fields, validate

from schemas.common import StrictSchema
from schemas.control import Number


class CriterionResultSchema(Schema):
    id = fields.String()
    label = fields.String()
    weight = fields.Float()
    applicable = fields.Boolean()
    value = fields.Float(allow_none=True)
    contribution = fields.Float(allow_none=True)
    rationale = fields.String(allow_none=True)
    relies_on = fields.List(fields.Dict())


class SensitivitySchema(Schema):
    assumption = fields.String()
    credence = fields.Float(allow_none=True)
    delta = fields.Float(metadata={"description": "robust_alignment at credence 1 minus at 0"})


class FramingScoreSchema(Schema):
    version = fields.Integer(metadata={"description": "The framing version that scored"})
    alignment = fields.Float()
    score = fields.Integer()
    label = fields.String()
    robust_alignment = fields.Float()
    robust_label = fields.String(
        metadata={
            "description": "The label the robust alignment would earn; differs when doubt matters"
        }
    )
    criteria = fields.List(fields.Nested(CriterionResultSchema))
    sensitivity = fields.List(fields.Nested(SensitivitySchema))


class ScoreSourceSchema(Schema):
    kind = fields.String()
    id = fields.String()
    version = fields.Integer()
    url = fields.String(metadata={"description": "The permanent URL of the version scored"})


class ScoreSchema(Schema):
    control = fields.Dict(metadata={"description": "The control, normalised"})
    derived = fields.Dict(
        metadata={
            "description": "classification, foreign_availability and targets (whom the control "
            "bites on: named, or derived with reasons)"
        }
    )
    framings = fields.Dict(keys=fields.String(), values=fields.Nested(FramingScoreSchema))
    verdict = fields.Dict()
    model = fields.Dict(
        metadata={
            "description": "Every resource version used, the what-if credences of the request "
            "(`what_if`), and the scorer version"
        }
    )
    input_hash = fields.String()
    source = fields.Nested(
        ScoreSourceSchema,
        metadata={"description": "The stored version whose control was scored (stored scores)"},
    )


class BatchRequestSchema(StrictSchema):
    controls = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=200)),
        values=fields.Raw(),
        required=True,
        metadata={"description": "Client key -> control; at most 1,000"},
    )
    assumptions = fields.Dict(
        keys=fields.String(),
        values=Number(validate=validate.Range(0, 1)),
        metadata={"description": "Credence overrides applied to every control"},
    )


class BatchResultSchema(Schema):
    results = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "Client key -> answer, or a problem object for a bad control"},
    )


BATCH_LIMIT = 1000
