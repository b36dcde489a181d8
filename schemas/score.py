"""Shapes of scoring answers (for the OpenAPI document) and of a batch request."""

from marshmallow import Schema, fields, validate

from schemas.common import StrictSchema
from schemas.control import what_if_credences


class CriterionResultSchema(Schema):
    id = fields.String()
    label = fields.String()
    weight = fields.Float()
    applicable = fields.Boolean()
    value = fields.Float(allow_none=True)
    contribution = fields.Float(allow_none=True)
    rationale = fields.String(allow_none=True)
    relies_on = fields.List(fields.Dict())


class LabelTipSchema(Schema):
    credence = fields.Float(metadata={"description": "The credence at which the label changes"})
    label = fields.String(metadata={"description": "The robust label just past that credence"})


class LabelTippingSchema(Schema):
    below = fields.Nested(
        LabelTipSchema,
        allow_none=True,
        metadata={"description": "Nearest change as the credence falls; null if none in [0, 1]"},
    )
    above = fields.Nested(
        LabelTipSchema,
        allow_none=True,
        metadata={"description": "Nearest change as the credence rises; null if none in [0, 1]"},
    )


class RankingTipSchema(Schema):
    credence = fields.Float(metadata={"description": "The credence at which the order flips"})
    ranking = fields.List(
        fields.String(),
        metadata={"description": "The applicable framings by robust alignment just past it"},
    )


class RankingTippingSchema(Schema):
    below = fields.Nested(RankingTipSchema, allow_none=True)
    above = fields.Nested(RankingTipSchema, allow_none=True)


class SensitivitySchema(Schema):
    assumption = fields.String()
    credence = fields.Float(allow_none=True)
    delta = fields.Float(
        metadata={
            "description": "robust_impact at credence 1 minus at 0; robust impact is linear "
            "in the credence with this slope below its clamp at ±1: r(c) = r(c0) + delta·(c − c0)"
        }
    )
    tipping = fields.Nested(
        LabelTippingSchema,
        metadata={
            "description": "The credences (nearest below and above the current one) at which "
            "this framing's robust label would change, with the label it would become"
        },
    )
    ranking_flip = fields.Nested(
        RankingTippingSchema,
        metadata={
            "description": "The credences (nearest below and above) at which this framing's "
            "place in the robust ranking of the applicable framings would change, with the "
            "ranking just past that point"
        },
    )


class ImpactRangeSchema(Schema):
    low = fields.Float()
    high = fields.Float()


class ImpactFactorSchema(Schema):
    factor = fields.String(
        metadata={"description": "agenda, breadth, stringency, stage or capability"}
    )
    value = fields.Float(metadata={"description": "The factor, in [0, 1]"})
    inputs = fields.Dict(metadata={"description": "What the factor was worked out from"})
    reason = fields.String()


class FramingScoreSchema(Schema):
    version = fields.Integer(metadata={"description": "The framing version that scored"})
    impact = fields.Float(
        metadata={
            "description": "In [-1, 1]: direction x share of the framing's agenda engaged (not "
            "renormalised over the applicable criteria) x effect size"
        }
    )
    score = fields.Integer(metadata={"description": "round(50 + 50 x impact)"})
    label = fields.String(metadata={"description": "Cut on impact: ±0.02 and ±0.4"})
    robust_impact = fields.Float(
        metadata={"description": "Impact with each criterion weighed by its assumptions' credence"}
    )
    robust_label = fields.String(
        metadata={
            "description": "The label the robust impact would earn; differs when doubt matters"
        }
    )
    impact_range = fields.Nested(
        ImpactRangeSchema,
        metadata={
            "description": "Low and high impact over the credences (±0.25) and the spread of "
            "the estimates used (the frontier chip's estimated TPP, ±15%)"
        },
    )
    centrality = fields.String(
        metadata={"description": "central, secondary, peripheral or not_engaged"}
    )
    effect = fields.String(metadata={"description": "large, moderate or small effect size"})
    certainty = fields.String(
        metadata={"description": "firm when the whole impact range has the impact's sign"}
    )
    impact_factors = fields.List(fields.Nested(ImpactFactorSchema))
    alignment = fields.Float(
        metadata={
            "description": "Σ w·v / Σ w over the applicable criteria only (scorer 2's headline)"
        }
    )
    robust_alignment = fields.Float()
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
    countermeasure = fields.Dict(
        metadata={
            "description": "For a measure imposed by China only: bears_on (the assumptions it is "
            "evidence on), classification, what_if (the credences moved) and effects (stored "
            "measures whose robust impact that moves)"
        }
    )
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
    assumptions = what_if_credences("Credence overrides applied to every control")


class BatchResultSchema(Schema):
    results = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "Client key -> answer, or a problem object for a bad control"},
    )


BATCH_LIMIT = 1000


COMPARE_MIN, COMPARE_MAX = 2, 20


class CompareRequestSchema(StrictSchema):
    controls = fields.List(
        fields.Raw(),
        required=True,
        validate=validate.Length(
            COMPARE_MIN,
            COMPARE_MAX,
            error=f"Give between {COMPARE_MIN} and {COMPARE_MAX} controls to compare.",
        ),
        metadata={"description": "Two to twenty controls, each as POST /score takes it"},
    )
    assumptions = what_if_credences("Credence overrides applied to every control")


class RankedSchema(Schema):
    index = fields.Integer(metadata={"description": "Position of the control in `controls`"})
    name = fields.String()
    impact = fields.Float()
    label = fields.String()
    robust_impact = fields.Float()
    robust_label = fields.String()


class RankingSchema(Schema):
    impact = fields.List(fields.Nested(RankedSchema), metadata={"description": "Highest first"})
    robust_impact = fields.List(
        fields.Nested(RankedSchema), metadata={"description": "Highest first"}
    )


class CompareResultSchema(Schema):
    results = fields.List(
        fields.Nested(ScoreSchema), metadata={"description": "One answer per control, in order"}
    )
    rankings = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(RankingSchema),
        metadata={"description": "Per framing: the controls by impact and robust impact"},
    )
