"""GET /review: assumptions and watch-list items not reviewed for a while, oldest first.

An item is due for review when its last review (an assessment's `last_reviewed`, a watch item's
`last_reviewed`) is at least FRAMINGS_REVIEW_DAYS days (default 120) before the reference day:
`as_of` when the request gives one, otherwise today. The model is read as of that point (or as
a named release), so the list says what was overdue then. JSON, Markdown and HTML, like every
read (renderers in representations/markdown.py and html.py).
"""

from datetime import date

from flask_smorest import Blueprint
from marshmallow import RAISE

from schemas.query import PointQueryArgsSchema
from schemas.review import ReviewSchema
from schemas.timeutil import now_utc
from service import store
from service.representations.citation import title_of
from service.representations.respond import represent
from service.web.db import get_db
from service.web.reads import point_from
from service.web.review_period import first_day, reference_day, review_days

DEFAULT_DAYS = 120
REVIEWED_KINDS = ("assumptions", "watchlist")

blp = Blueprint(
    "review",
    __name__,
    description="What has not been reviewed for FRAMINGS_REVIEW_DAYS days (default 120).",
)


def reviewed_on(kind: str, body: dict) -> str | None:
    if kind == "assumptions":
        return (body.get("assessment") or {}).get("last_reviewed")
    return body.get("last_reviewed")


def due_items(point: store.Point, day: date, days: int) -> list[dict]:
    """Everything visible at `point` whose last review is `days` or more before `day`."""
    items = []
    for kind in REVIEWED_KINDS:
        for version in store.list_current(get_db(), kind, point, limit=10_000):
            last = reviewed_on(kind, version.body or {})
            if not last:
                continue
            age = (day - first_day(last)).days
            if age >= days:
                items.append(
                    {
                        "kind": kind,
                        "id": version.id,
                        "title": title_of(kind, version.id, version.body),
                        "version": version.version,
                        "last_reviewed": last,
                        "days_since_review": age,
                        "overdue_by_days": age - days,
                        "url": f"/{kind}/{version.id}/versions/{version.version}",
                    }
                )
    return sorted(items, key=lambda i: (first_day(i["last_reviewed"]), i["kind"], i["id"]))


@blp.route("/review")
@blp.arguments(PointQueryArgsSchema(), location="query", unknown=RAISE)
@blp.response(200, ReviewSchema)
@blp.doc(summary="List what is due for review, oldest review first")
def review(args):
    """Assumptions and watch-list items not reviewed for FRAMINGS_REVIEW_DAYS days (default
    120) as of now, or as of `as_of`; `release` reads the model as that release holds it."""
    point = point_from(args)
    day = reference_day(args.get("as_of") or now_utc())
    days = review_days()
    data = {"as_of": day.isoformat(), "review_days": days, "items": due_items(point, day, days)}
    return represent("review", data, headers={"Cache-Control": "no-cache"})
