"""The review period and the day reviews are measured against (GET /review, the HTML face)."""

import calendar
from datetime import date, datetime

from flask import current_app, has_request_context, request

from schemas.timeutil import normalise_instant, now_utc
from service import config

DEFAULT_DAYS = 120


def review_days() -> int:
    """The review period: the app's REVIEW_DAYS, else FRAMINGS_REVIEW_DAYS, else 120."""
    configured = current_app.config.get("REVIEW_DAYS") or config.review_days()
    try:
        days = int(configured) if configured is not None else DEFAULT_DAYS
    except ValueError:
        days = DEFAULT_DAYS
    return days if days >= 0 else DEFAULT_DAYS


def first_day(partial: str) -> date:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as its first day: a review dated only by month
    counts from the month's start, so nothing is reported later than it should be."""
    parts = [int(p) for p in partial.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def last_day(partial: str) -> date:
    """A YYYY, YYYY-MM or YYYY-MM-DD date as its last day: a status said to hold until a month
    holds to that month's end."""
    year, *rest = (int(p) for p in partial.split("-"))
    if not rest:
        return date(year, 12, 31)
    month = rest[0]
    return date(year, month, rest[1] if len(rest) > 1 else calendar.monthrange(year, month)[1])


def reference_day(as_of: str | None = None) -> date:
    """The day reviews are measured against: `as_of` (or this request's), else today (UTC)."""
    if as_of is None and has_request_context():
        as_of = request.args.get("as_of")
    try:
        instant = normalise_instant(as_of) if as_of else now_utc()
    except ValueError:
        instant = now_utc()
    return datetime.fromisoformat(instant.replace("Z", "+00:00")).date()
