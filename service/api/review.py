"""GET /review: statuses that rest on a date now past, then assumptions and watch-list items
not reviewed for a while, oldest first.

A control's or watch item's status lapses when it is `unknown` or its `status_until` (the last
day it is known to hold, as a month's or year's last day when given so) is before the reference
day; such items come first, whatever their review date (`reason: "status_lapsed"`).

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
from service.web.openapi import NEGOTIATES, TAKES_QUERY, contract
from service.web.reads import point_from
from service.web.review_period import first_day, last_day, reference_day, review_days

DEFAULT_DAYS = 120
REVIEWED_KINDS = ("assumptions", "watchlist")
# Kinds whose status can rest on a date that passes (a suspension's end, an expiry).
STATUS_KINDS = ("controls", "watchlist")

blp = Blueprint(
    "review",
    __name__,
    description="What has not been reviewed for FRAMINGS_REVIEW_DAYS days (default 120).",
)


def reviewed_on(kind: str, body: dict) -> str | None:
    if kind == "assumptions":
        return (body.get("assessment") or {}).get("last_reviewed")
    return body.get("last_reviewed")


def entry(kind: str, version: store.Version, last: str, day: date, days: int, reason: str):
    age = (day - first_day(last)).days
    return {
        "kind": kind,
        "id": version.id,
        "title": title_of(kind, version.id, version.body),
        "version": version.version,
        "reason": reason,
        "status": (version.body or {}).get("status"),
        "status_until": (version.body or {}).get("status_until"),
        "last_reviewed": last,
        "days_since_review": age,
        "overdue_by_days": age - days,
        "url": f"/{kind}/{version.id}/versions/{version.version}",
    }


def status_lapsed(body: dict, day: date) -> bool:
    """The status is `unknown`, or rests on a day (`status_until`) before `day`."""
    until = body.get("status_until")
    return body.get("status") == "unknown" or bool(until and last_day(until) < day)


def lapsed_items(point: store.Point, day: date, days: int) -> list[dict]:
    """Controls and watch items whose status rests on a date that has passed, by that date."""
    items = []
    for kind in STATUS_KINDS:
        for version in store.list_current(get_db(), kind, point, limit=10_000):
            body = version.body or {}
            if status_lapsed(body, day):
                last = reviewed_on(kind, body) or version.recorded_at[:10]
                items.append(entry(kind, version, last, day, days, "status_lapsed"))
    return sorted(items, key=lambda i: (i["status_until"] or "", i["kind"], i["id"]))


def due_items(point: store.Point, day: date, days: int) -> list[dict]:
    """Lapsed statuses first, then everything visible at `point` whose last review is `days`
    or more before `day`, oldest review first."""
    lapsed = lapsed_items(point, day, days)
    seen = {(i["kind"], i["id"]) for i in lapsed}
    items = []
    for kind in REVIEWED_KINDS:
        for version in store.list_current(get_db(), kind, point, limit=10_000):
            last = reviewed_on(kind, version.body or {})
            if last and (kind, version.id) not in seen and (day - first_day(last)).days >= days:
                items.append(entry(kind, version, last, day, days, "review_due"))
    items.sort(key=lambda i: (first_day(i["last_reviewed"]), i["kind"], i["id"]))
    return lapsed + items


@blp.route("/review")
@contract(
    "listDueForReview",
    "List what is due for review, oldest review first",
    errors=NEGOTIATES + TAKES_QUERY,
    formats="review",
    conditional=True,
)
@blp.arguments(PointQueryArgsSchema(), location="query", unknown=RAISE)
@blp.response(200, ReviewSchema)
def review(args):
    """Assumptions and watch-list items not reviewed for FRAMINGS_REVIEW_DAYS days (default
    120) as of now, or as of `as_of`; `release` reads the model as that release holds it."""
    point = point_from(args)
    day = reference_day(args.get("as_of") or now_utc())
    days = review_days()
    data = {"as_of": day.isoformat(), "review_days": days, "items": due_items(point, day, days)}
    return represent("review", data, headers={"Cache-Control": "no-cache"})
