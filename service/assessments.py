"""Dating an assessment that a write changes, a pure function.

An assumption's assessment carries the day it was made (`assessed_on`) and last checked
(`last_reviewed`). A write that changes its credence or status is a new assessment, made on the
write's day: when the write does not give a new `assessed_on`, it gets that day (and
`last_reviewed` at least that day, since a review cannot predate what it reviews). A write that
gives its own `assessed_on` (a finding dated when it was made) keeps it. So the chart, the
Markdown and the review list never date today's change to an older day.
"""

JUDGED = ("credence", "status")


def dated(before: dict | None, after, day: str):
    """`after` (the body a write would store) with its assessment dated `day` (YYYY-MM-DD) if
    the assessment's credence or status differs from `before`'s and `assessed_on` does not."""
    old = (before or {}).get("assessment") if isinstance(before, dict) else None
    new = after.get("assessment") if isinstance(after, dict) else None
    if not isinstance(old, dict) or not isinstance(new, dict):
        return after
    if all(new.get(key) == old.get(key) for key in JUDGED):
        return after
    if new.get("assessed_on") != old.get("assessed_on"):
        return after
    assessment = {**new, "assessed_on": day}
    reviewed = new.get("last_reviewed")
    if not isinstance(reviewed, str) or reviewed[: len(day)] < day[: len(reviewed)]:
        assessment["last_reviewed"] = day
    return {**after, "assessment": assessment}
