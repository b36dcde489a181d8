"""Releases: named, immutable snapshots of the model (a manifest of kind/id -> version)."""

from marshmallow import Schema, fields, validate

from schemas.common import SLUG_PATTERN, StrictSchema

# Names a replica keeps beside its snapshots (its serving link is `current.sqlite3`): a release
# may not take one, so no release can be mistaken for the link on any node.
RESERVED_NAMES = frozenset({"current"})


class ReleaseRequestSchema(StrictSchema):
    name = fields.String(
        required=True,
        validate=[
            validate.Regexp(SLUG_PATTERN),
            validate.NoneOf(RESERVED_NAMES, error="'{input}' is reserved; choose another name."),
        ],
    )
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ReleaseSchema(Schema):
    name = fields.String()
    created_at = fields.String()
    author = fields.String()
    description = fields.String()
    seq = fields.Integer(metadata={"description": "The change sequence number it froze"})
    manifest = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "kind/id -> version"},
    )
    links = fields.Dict()


class ReleasePageSchema(Schema):
    items = fields.List(fields.Nested(ReleaseSchema))
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page"})


class ReleaseQueryArgsSchema(StrictSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(validate=validate.Length(max=200))
    format = fields.String()
