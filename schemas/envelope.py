"""Envelopes around bodies: one version with its metadata, and a page of them."""

from marshmallow import Schema, fields


class LinksSchema(Schema):
    self = fields.String(metadata={"description": "Permanent URL of this version"})
    latest = fields.String()
    versions = fields.String()


class VersionSchema(Schema):
    kind = fields.String()
    id = fields.String()
    version = fields.Integer()
    seq = fields.Integer(metadata={"description": "Global, gap-free change sequence number"})
    recorded_at = fields.String(metadata={"description": "UTC, ISO 8601"})
    author = fields.String()
    change_note = fields.String()
    deleted = fields.Boolean()
    links = fields.Nested(LinksSchema)
    body = fields.Dict(allow_none=True, metadata={"description": "The resource itself"})


class PageSchema(Schema):
    items = fields.List(fields.Nested(VersionSchema))
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page"})


class HealthSchema(Schema):
    status = fields.String()
    seq = fields.Integer(metadata={"description": "The model's latest change sequence number"})
    scorer = fields.String()


class IndexSchema(Schema):
    name = fields.String()
    description = fields.String()
    collections = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "Collection name -> href, description"},
    )
    links = fields.Dict(keys=fields.String(), values=fields.String())


class ProblemTypeSchema(Schema):
    type = fields.String()
    description = fields.String()
