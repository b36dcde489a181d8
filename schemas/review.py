"""The review list: what is due for review (GET /review)."""

from marshmallow import Schema, fields


class ReviewItemSchema(Schema):
    kind = fields.String(metadata={"description": "assumptions or watchlist"})
    id = fields.String()
    title = fields.String()
    version = fields.Integer()
    last_reviewed = fields.String(metadata={"description": "The date of the last review."})
    days_since_review = fields.Integer()
    overdue_by_days = fields.Integer(metadata={"description": "Days past the review period."})
    url = fields.String(metadata={"description": "Permanent URL of the version read."})


class ReviewSchema(Schema):
    as_of = fields.String(metadata={"description": "The reference day (YYYY-MM-DD)."})
    review_days = fields.Integer(metadata={"description": "The review period in days."})
    items = fields.List(fields.Nested(ReviewItemSchema), metadata={"description": "Oldest first."})
