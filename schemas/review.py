"""The review list: what is due for review (GET /review)."""

from marshmallow import Schema, fields


class ReviewItemSchema(Schema):
    kind = fields.String(metadata={"description": "assumptions or watchlist"})
    id = fields.String()
    title = fields.String()
    version = fields.Integer()
    reason = fields.String(
        metadata={
            "description": "`status_lapsed`: the status is `unknown` or rests on a date before "
            "as_of (listed first); `review_due`: not reviewed for the review period."
        }
    )
    status = fields.String(
        allow_none=True, metadata={"description": "Controls and watch items: the status."}
    )
    status_until = fields.String(
        allow_none=True, metadata={"description": "The last day the status was known to hold."}
    )
    last_reviewed = fields.String(metadata={"description": "The date of the last review."})
    days_since_review = fields.Integer()
    overdue_by_days = fields.Integer(metadata={"description": "Days past the review period."})
    url = fields.String(metadata={"description": "Permanent URL of the version read."})


class ReviewSchema(Schema):
    as_of = fields.String(metadata={"description": "The reference day (YYYY-MM-DD)."})
    review_days = fields.Integer(metadata={"description": "The review period in days."})
    items = fields.List(
        fields.Nested(ReviewItemSchema),
        metadata={"description": "Lapsed statuses first, then overdue reviews, oldest first."},
    )
