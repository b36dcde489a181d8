"""History: the query arguments and answers of the diff between two versions and of the change
feed (JSON and Atom)."""

from marshmallow import Schema, fields, validate

from schemas.common import StrictSchema
from schemas.query import MAX_PAGE, format_field

FEED_LIMIT = 50
# SQLite integers are 64-bit: anything larger cannot name a version or a change.
MAX_INTEGER = 2**63 - 1
SEQ_RANGE = validate.Range(0, MAX_INTEGER, error="Must be a change sequence number, 0 or more.")


class DiffQueryArgsSchema(StrictSchema):
    from_ = fields.Integer(
        data_key="from",
        validate=validate.Range(1, MAX_INTEGER, error="Must be a version number, 1 or more."),
        metadata={
            "description": "The version to diff from (default: the version before n; "
            "for version 1, the empty document)."
        },
    )
    format = format_field()


SINCE_HELP = (
    "Only changes with seq greater than this: the page holds the first `limit` of them. "
    "The feed's cursor, the same in /changes and /changes.atom."
)
LIMIT_HELP = "How many changes a page holds at most (the same in /changes and /changes.atom)."


class ChangesQueryArgsSchema(StrictSchema):
    since = fields.Integer(
        load_default=0, validate=SEQ_RANGE, metadata={"description": SINCE_HELP + " Default 0."}
    )
    limit = fields.Integer(
        load_default=FEED_LIMIT,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": LIMIT_HELP},
    )
    format = format_field()


class AtomQueryArgsSchema(StrictSchema):
    since = fields.Integer(
        validate=SEQ_RANGE,
        metadata={"description": SINCE_HELP + " Without it: the last page, the newest changes."},
    )
    limit = fields.Integer(
        load_default=FEED_LIMIT,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": LIMIT_HELP},
    )


class PatchOperationSchema(Schema):
    op = fields.String(metadata={"description": "add, remove or replace"})
    path = fields.String(metadata={"description": "JSON Pointer (RFC 6901)"})
    value = fields.Raw(metadata={"description": "The new value (add, replace)"})
    old = fields.Raw(metadata={"description": "The value removed or replaced (remove, replace)"})


class DiffSchema(Schema):
    kind = fields.String()
    id = fields.String()
    from_ = fields.Integer(
        data_key="from", metadata={"description": "0 stands for the empty document"}
    )
    to = fields.Integer()
    patch = fields.List(
        fields.Nested(PatchOperationSchema),
        metadata={"description": "RFC 6902 JSON Patch from `from` to `to`"},
    )


class ChangeLinksSchema(Schema):
    self = fields.String(metadata={"description": "Permanent URL of the version"})


class ChangeSchema(Schema):
    seq = fields.Integer(metadata={"description": "Global, gap-free change sequence number"})
    kind = fields.String()
    id = fields.String()
    version = fields.Integer()
    recorded_at = fields.String(metadata={"description": "UTC, ISO 8601"})
    author = fields.String()
    change_note = fields.String()
    deleted = fields.Boolean()
    links = fields.Nested(ChangeLinksSchema)


class ChangesPageSchema(Schema):
    items = fields.List(fields.Nested(ChangeSchema))
    next = fields.String(
        allow_none=True, metadata={"description": "URL of the next page (since = last seq)"}
    )
