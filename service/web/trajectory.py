"""The data behind the pictures: the trajectory of stored controls, an assumption's credence.

Trajectory dates. A control dated to the day is scored with the model as it stood at the end of
that day (UTC). A control dated only by month (YYYY-MM) or year (YYYY) is scored as the model
stood at the end of that month or year: the measure surely existed by then, and the model's
reading of a period is complete only when the period is over. Its point on the chart is drawn
on the first day of the period, where a reader of the date "2025-07" looks for it.
"""

import calendar

from schemas.timeutil import normalise_instant
from service import store
from service.scoring import score_control
from service.web.db import get_db
from service.web.model import compiled_at

SUMMARY = ("impact", "robust_impact", "label", "robust_label", "alignment")
LIMIT = 10_000


def period(date: str) -> tuple[str, str]:
    """(first day, last day) of a YYYY, YYYY-MM or YYYY-MM-DD date."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 3:
        return date, date
    year = parts[0]
    if len(parts) == 2:
        month = parts[1]
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def instant_of(date: str) -> str:
    """The as_of a control's date is scored at: the end of its last day (see the docstring)."""
    return normalise_instant(period(date)[1])


def _summary(answer: dict) -> dict:
    return {fid: {k: f[k] for k in SUMMARY} for fid, f in answer["framings"].items()}


def _wanted(values, have) -> bool:
    return not values or bool(set(values) & set(have))


def trajectory(point: store.Point, filters: dict) -> dict:
    """Every stored control at `point`, scored on its own date and at `point`, by date."""
    db = get_db()
    now_model = compiled_at(point)
    items = []
    for version in store.list_current(db, "controls", point, limit=LIMIT):
        body, date = version.body, (version.body or {}).get("date")
        control = body.get("control")
        if control is None or not date:
            continue
        now = score_control(control, now_model)
        targets = now["derived"]["targets"]["value"]
        if not (
            _wanted(filters.get("instrument"), [control["instrument"]])
            and _wanted(filters.get("status"), [body.get("status")])
            and _wanted(filters.get("targets"), targets)
        ):
            continue
        as_of = instant_of(date)
        then = score_control(control, compiled_at(store.Point(as_of=as_of)))
        items.append(
            {
                "id": version.id,
                "name": control["name"],
                "date": date,
                "plotted_on": period(date)[0],
                "scored_as_of": as_of,
                "status": body.get("status"),
                "instrument": control["instrument"],
                "targets": targets,
                "url": f"/controls/{version.id}/versions/{version.version}",
                "then": _summary(then),
                "now": _summary(now),
            }
        )
    items.sort(key=lambda item: (item["plotted_on"], item["id"]))
    framings = sorted({fid for item in items for fid in item["now"]})
    return {
        "as_of": point.as_of,
        "release": point.release,
        "framings": framings,
        "items": items,
    }


def credence_history(versions: list, id_: str) -> dict:
    """Credence over time from an assumption's versions (oldest first), with each evidence item
    and each change of status, dated, and the version that first recorded it."""
    steps, evidence, statuses, seen, last_status = [], [], [], set(), None
    for v in versions:
        if v.deleted:
            continue
        body = v.body or {}
        assessment = body.get("assessment") or {}
        url = f"/assumptions/{id_}/versions/{v.version}"
        date = assessment.get("assessed_on") or v.recorded_at[:10]
        credence = assessment.get("credence")
        if credence is not None and (not steps or steps[-1]["credence"] != credence):
            steps.append({"date": date, "credence": credence, "version": v.version, "url": url})
        status = assessment.get("status")
        if status != last_status:
            statuses.append(
                {
                    "date": date,
                    "status": status,
                    "from": last_status,
                    "version": v.version,
                    "url": url,
                }
            )
            last_status = status
        for item in body.get("evidence") or []:
            key = (item.get("date"), item.get("summary"))
            if key in seen:
                continue
            seen.add(key)
            evidence.append(
                {
                    "date": item.get("date"),
                    "direction": item.get("direction"),
                    "summary": item.get("summary"),
                    "version": v.version,
                    "url": url,
                }
            )
    evidence.sort(key=lambda e: (e["date"] or "", e["version"]))
    return {"id": id_, "steps": steps, "evidence": evidence, "statuses": statuses}


def credence_at(point: store.Point, id_: str, current) -> dict:
    """The credence history visible at `point` (versions up to the one `current` names)."""
    versions = store.list_versions(get_db(), "assumptions", id_, limit=LIMIT)
    return credence_history([v for v in versions if v.version <= current.version], id_)
