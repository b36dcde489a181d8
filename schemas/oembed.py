"""oEmbed 1.0 (https://oembed.com): the provider's query arguments and its JSON answer."""

from marshmallow import Schema, fields, validate

from schemas.common import StrictSchema


class OEmbedQueryArgsSchema(StrictSchema):
    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={
            "description": "The URL of the page to embed: a resource (/<kind>/<id>) or "
            "its embed page (/embed/<kind>/<id>), with as_of or release if wanted."
        },
    )
    # Documented as the one format offered; any other value reaches the view, which answers
    # 501 Not Implemented as oEmbed section 2.3.4 says (a 422 would not be what consumers expect).
    format = fields.String(
        metadata={"enum": ["json"], "description": "json (the default); any other is a 501."},
    )
    maxwidth = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "Pixels; the width at most"}
    )
    maxheight = fields.Integer(
        validate=validate.Range(min=1), metadata={"description": "Pixels; the height at most"}
    )


class OEmbedSchema(Schema):
    type = fields.String(metadata={"description": "Always `rich`: an iframe of the embed page"})
    version = fields.String(metadata={"description": "`1.0`"})
    html = fields.String(metadata={"description": "The iframe to place in the consumer's page"})
    width = fields.Integer(metadata={"description": "Pixels"})
    height = fields.Integer(metadata={"description": "Pixels"})
    title = fields.String()
    provider_name = fields.String()
    provider_url = fields.String()
    cache_age = fields.Integer(metadata={"description": "Seconds the answer may be kept"})
