"""Request shapes for writes that are not a whole resource body."""

from marshmallow import INCLUDE, Schema


class MergePatchSchema(Schema):
    """Any JSON object: members replace, null removes (RFC 7396); the result is validated."""

    class Meta:
        unknown = INCLUDE
