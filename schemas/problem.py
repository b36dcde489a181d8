"""The shape of every error answer: RFC 9457 problem details (application/problem+json)."""

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    type = fields.String(metadata={"description": "A URI naming the problem type"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String(metadata={"description": "The path and query that failed"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Offending field (dotted path) -> its messages"},
    )
