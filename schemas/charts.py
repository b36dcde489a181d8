"""Shapes of the trajectory and of an assumption's credence history (for the OpenAPI document)."""

from marshmallow import Schema, fields


class FramingPointSchema(Schema):
    impact = fields.Float(metadata={"description": "The control's impact under the framing"})
    robust_impact = fields.Float()
    label = fields.String()
    robust_label = fields.String()
    alignment = fields.Float(metadata={"description": "Over the applicable criteria only"})


class TrajectoryItemSchema(Schema):
    id = fields.String()
    name = fields.String()
    date = fields.String(
        metadata={"description": "The control's own date: YYYY-MM-DD, YYYY-MM or YYYY"}
    )
    plotted_on = fields.String(metadata={"description": "The first day of that date's period"})
    scored_as_of = fields.String(
        metadata={"description": "The end of that date's period: the model `then` was read at"}
    )
    status = fields.String(allow_none=True)
    instrument = fields.String()
    targets = fields.List(fields.String(), metadata={"description": "Named or derived"})
    url = fields.String(metadata={"description": "The version of the control read"})
    then = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(FramingPointSchema),
        metadata={"description": "Per framing, as the model stood on the control's date"},
    )
    now = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(FramingPointSchema),
        metadata={"description": "Per framing, as the model stands at the point read"},
    )


class TrajectorySchema(Schema):
    as_of = fields.String(allow_none=True)
    release = fields.String(allow_none=True)
    framings = fields.List(fields.String())
    items = fields.List(fields.Nested(TrajectoryItemSchema), metadata={"description": "By date"})


class CredenceStepSchema(Schema):
    date = fields.String()
    credence = fields.Float()
    version = fields.Integer()
    url = fields.String()


class EvidenceMarkSchema(Schema):
    date = fields.String(allow_none=True)
    direction = fields.String(allow_none=True, metadata={"description": "supports or undermines"})
    summary = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "The version that first recorded it"})
    url = fields.String()


class StatusMarkSchema(Schema):
    date = fields.String()
    status = fields.String(allow_none=True)
    from_ = fields.String(
        allow_none=True, data_key="from", metadata={"description": "The status before"}
    )
    version = fields.Integer()
    url = fields.String()


class CredenceSchema(Schema):
    id = fields.String()
    steps = fields.List(fields.Nested(CredenceStepSchema), metadata={"description": "Oldest first"})
    evidence = fields.List(fields.Nested(EvidenceMarkSchema))
    statuses = fields.List(fields.Nested(StatusMarkSchema))
