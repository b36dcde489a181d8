"""Point-in-time truth (DESIGN section 1): a version says only what was known on its date.

Checked over every version of every resource in fixtures/: no dated item later than the version's
`recorded_at`, statuses consistent with the dates they rest on, and no later date written into
its prose except as something announced ahead (an effective date, a deadline, an expiry).
"""

import calendar
import datetime
import re

import pytest

from service.fixtures import read_histories
from tests.conftest import FIXTURES

HISTORIES = read_histories(FIXTURES)
VERSIONS = [
    (h["kind"], h["id"], v) for h in HISTORIES for v in h["versions"] if not v.get("deleted")
]
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()  # noqa: E501
    )
}
# A later date may appear in prose only where it was announced ahead of time.
FORWARD = re.compile(
    r"(until|effective|due|deadline|expir\w*|from|by|before|to|through|rising on|back on|"
    r"planned|scheduled|ends?|lapses?|returns?|runs? to|within|takes? effect|for|ahead of( the)?|"
    r"planned for|expected (in|on|by)|opens?|closes?)\W*(on\W*)?$",
    re.IGNORECASE,
)
ISO = re.compile(r"\b(20\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b")
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (20\d\d)\b", re.IGNORECASE)
MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r") (?:\d{1,2}, )?(20\d\d)\b", re.IGNORECASE)
YEAR = re.compile(r"(?<![\d-])(20\d\d)(?![\d-])")
# Dates announced ahead in a form the pattern above cannot see (a roadmap, an expected meeting).
ANNOUNCED_AHEAD = (
    "September or October 2025",
    "Ascend 950 in 2026, 960 in 2027, 970 in 2028",
    "(Q1 2026)",
    "(Q4 2026)",
    "(Q4 2027)",
    "(Q4 2028)",
    "for a Q1 2026 launch",
    "planned for Q4 2026",
    "fiscal Q2 2026",  # NVIDIA's fiscal year runs ahead of the calendar
    "China fabs in 2026",  # annual licences granted in December 2025 for the coming year
    "their lines in 2026",
    "double output of top AI chip in 2026",  # Huawei's plan for the coming year (Bloomberg)
)
TAKES_EFFECT = re.compile(
    r"(effective|takes? effect|in force|applies|apply)\W*(on\W*|from\W*)?$", re.I
)


def label(kind, id_, version) -> str:
    return f"{kind}/{id_} v{version['version']} ({version['recorded_at'][:10]})"


def day(recorded_at: str) -> str:
    return recorded_at[:10]


def dated_items(kind: str, body: dict):
    """(where, date) for every structured date a body carries."""
    for i, source in enumerate(body.get("sources", [])):
        yield f"sources[{i}].date", source["date"]
    for i, quote in enumerate(body.get("quotes", []) or []):
        yield f"quotes[{i}].source.date", quote["source"]["date"]
    if kind == "assumptions":
        assessment = body["assessment"]
        yield "assessment.assessed_on", assessment["assessed_on"]
        yield "assessment.last_reviewed", assessment["last_reviewed"]
        for i, item in enumerate(body.get("evidence", [])):
            yield f"evidence[{i}].date", item["date"]
            yield f"evidence[{i}].source.date", item["source"]["date"]
    if kind == "watchlist":
        yield "last_reviewed", body["last_reviewed"]
        for i, item in enumerate(body.get("updates", [])):
            yield f"updates[{i}].date", item["date"]
            yield f"updates[{i}].source.date", item["source"]["date"]
    if kind == "controls":
        yield "date", body["date"]
    if kind == "chips":
        for i, item in enumerate(body.get("volume", [])):
            yield f"volume[{i}].source.date", item["source"]["date"]


def texts(value, where=""):
    """Every string in a body, with its path (ids and enum values are harmless)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts(item, f"{where}[{i}]")
    elif isinstance(value, str):
        yield where, value


def prose_dates(text: str):
    """(start offset, YYYY-MM-DD or YYYY-MM) for each date written in prose."""
    for match in ISO.finditer(text):
        year, month, dd = match.groups()
        yield match.start(), f"{year}-{month}" + (f"-{dd}" if dd else "")
    for match in DAY_MONTH_YEAR.finditer(text):
        dd, month, year = match.groups()
        yield match.start(), f"{year}-{MONTHS[month.lower()]:02d}-{int(dd):02d}"
    covered = set()
    for match in DAY_MONTH_YEAR.finditer(text):
        covered.update(range(match.start(), match.end()))
    for match in MONTH_YEAR.finditer(text):
        month, year = match.groups()
        if match.start() not in covered:
            yield match.start(), f"{year}-{MONTHS[month.lower()]:02d}"
        covered.update(range(match.start(), match.end()))
    for match in ISO.finditer(text):
        covered.update(range(match.start(), match.end()))
    for match in YEAR.finditer(text):
        if match.start() not in covered:
            yield match.start(), match.group(1)


def last_day(date: str) -> str:
    """A date as the last day it can mean: a month-precise date counts as the month's last
    day, a year as 31 December, since nothing in it says the event came any earlier."""
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        year, month = int(date[:4]), int(date[5:])
        return f"{date}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def later(date: str, recorded_at: str) -> bool:
    """A date is later when the last day it can mean falls after the recording day."""
    return last_day(date) > day(recorded_at)


def later_in_prose(date: str, recorded_at: str) -> bool:
    """A day or a month named in prose as `later`; a bare year is read from its first day, as
    prose names a year as a period ("output in 2025", "Huawei Connect 2025") that had begun."""
    if len(date) == 4:
        return date > day(recorded_at)[:4]
    return later(date, recorded_at)


@pytest.mark.parametrize("kind,id_,version", VERSIONS, ids=[label(*v) for v in VERSIONS])
def test_no_structured_date_is_later_than_the_version(kind, id_, version):
    leaks = [
        f"{where} = {date}"
        for where, date in dated_items(kind, version["body"])
        if later(date, version["recorded_at"])
    ]
    assert not leaks, f"{label(kind, id_, version)} carries later dates: {leaks}"


@pytest.mark.parametrize("kind,id_,version", VERSIONS, ids=[label(*v) for v in VERSIONS])
def test_no_later_date_in_prose_unless_announced_ahead(kind, id_, version):
    leaks = []
    for where, text in texts(version["body"]):
        # status_until is a day announced ahead by its nature: a suspension's end, an expiry
        if where.endswith((".url", "date", ".control", ".chips", ".period", "status_until")):
            continue
        for start, date in prose_dates(text):
            if any(
                phrase in text and text.index(phrase) <= start < text.index(phrase) + len(phrase)
                for phrase in ANNOUNCED_AHEAD
            ):
                continue
            if later_in_prose(date, version["recorded_at"]) and not FORWARD.search(text[:start]):
                leaks.append(f"{where}: …{text[max(0, start - 40) : start + 20]}…")
    assert not leaks, f"{label(kind, id_, version)} mentions later events: {leaks}"


@pytest.mark.parametrize("kind,id_,version", VERSIONS, ids=[label(*v) for v in VERSIONS])
def test_change_notes_and_bodies_are_the_version_s_own(kind, id_, version):
    for where, text in [("change_note", version["change_note"])]:
        for start, date in prose_dates(text):
            leak = later_in_prose(date, version["recorded_at"])
            assert not leak or FORWARD.search(text[:start]), (
                f"{label(kind, id_, version)} {where} names a later date {date}"
            )


CONTROLS = [(k, i, v) for k, i, v in VERSIONS if k == "controls"]


@pytest.mark.parametrize("kind,id_,version", CONTROLS, ids=[label(*v) for v in CONTROLS])
def test_a_control_is_in_force_only_from_its_effective_date(kind, id_, version):
    """`in_force` (or any status of a measure that took effect) only once the effect began."""
    body = version["body"]
    if body["status"] not in ("in_force", "lifted", "reversed", "suspended", "superseded"):
        return
    assert not later(body["date"], version["recorded_at"]), label(kind, id_, version)
    for where, text in texts(body):
        for start, date in prose_dates(text):
            if TAKES_EFFECT.search(text[:start]):
                assert not later_in_prose(date, version["recorded_at"]), (
                    f"{label(kind, id_, version)} is {body['status']} before it takes effect "
                    f"({where}: {date})"
                )


WATCH = [(k, i, v) for k, i, v in VERSIONS if k == "watchlist"]


@pytest.mark.parametrize("kind,id_,version", WATCH, ids=[label(*v) for v in WATCH])
def test_watch_updates_are_oldest_first_and_end_by_the_review(kind, id_, version):
    body = version["body"]
    dates = [u["date"] for u in body.get("updates", [])]
    assert dates == sorted(dates), label(kind, id_, version)
    assert all(not later(d, body["last_reviewed"] + "T") for d in dates), label(kind, id_, version)


ASSUMPTIONS = [(k, i, v) for k, i, v in VERSIONS if k == "assumptions"]


@pytest.mark.parametrize("kind,id_,version", ASSUMPTIONS, ids=[label(*v) for v in ASSUMPTIONS])
def test_an_assessment_rests_on_evidence_it_could_have_seen(kind, id_, version):
    assessment = version["body"]["assessment"]
    evidence = [e["date"] for e in version["body"].get("evidence", [])]
    assert all(not later(d, assessment["last_reviewed"] + "T") for d in evidence), label(
        kind, id_, version
    )
    assert assessment["assessed_on"] <= assessment["last_reviewed"]


def test_every_history_runs_forward_in_time():
    for history in HISTORIES:
        stamps = [v["recorded_at"] for v in history["versions"]]
        assert stamps == sorted(stamps), f"{history['kind']}/{history['id']}"


def test_the_point_in_time_checks_catch_a_leak():
    """The checks themselves: a July 2025 version naming a January 2026 vote is caught."""
    leaky = {"summary": "Passed the House 369-22 on 12 January 2026; licences for 2026."}
    found = [d for _, t in texts(leaky) for s, d in prose_dates(t)]
    assert found == ["2026-01-12", "2026"] and later(found[0], "2025-07-21T00:00:00Z")
    assert FORWARD.search("Effective on ") and not FORWARD.search("Passed the House on ")
    assert later("2026-01", "2025-12-31T00:00:00Z") and not later_in_prose("2025", "2025-07-21T")


def test_a_month_counts_as_its_last_day_unless_the_day_is_given():
    """A source dated "2025-07" may be from 31 July: a version of 21 July cannot cite it."""
    assert later("2025-07", "2025-07-21T00:00:00Z") and not later("2025-07", "2025-07-31T")
    assert later("2024-02", "2024-02-28T") and not later("2024-02", "2024-02-29T")
    assert later("2025", "2025-07-21T") and not later("2025-07-21", "2025-07-21T")
    assert later_in_prose("July 2025"[-4:] + "-07", "2025-07-21T")


STATUSED = [(k, i, v) for k, i, v in VERSIONS if k in ("controls", "watchlist")]
# The model's own "now": the day of its newest recorded version.
NEWEST_DAY = max(day(v["recorded_at"]) for _, _, v in VERSIONS)


@pytest.mark.parametrize("kind,id_,version", STATUSED, ids=[label(*v) for v in STATUSED])
def test_no_version_asserts_a_status_past_the_day_it_rests_on(kind, id_, version):
    """A status with a `status_until` earlier than the version's day must read `unknown`."""
    body = version["body"]
    until = body.get("status_until")
    if until and later(version["recorded_at"][:10], until + "T"):
        assert body["status"] == "unknown", f"{label(kind, id_, version)}: {body['status']}"


def test_each_latest_version_names_no_status_whose_end_date_has_passed_without_saying_so():
    """Against the newest day the model records, every status resting on an end date that has
    passed reads `unknown`; and those known to rest on one carry it."""
    passed = []
    for history in HISTORIES:
        latest = history["versions"][-1]
        body = latest.get("body") or {}
        until = body.get("status_until")
        if until and last_day(until) < NEWEST_DAY and body.get("status") != "unknown":
            passed.append(f"{history['kind']}/{history['id']}: {body['status']} until {until}")
    assert not passed
    rested = {"affiliates-50-percent-rule", "affiliates-rule-suspension-2025-11", "affiliates-rule"}
    for history in HISTORIES:
        if history["id"] in rested:
            body = history["versions"][-1]["body"]
            assert body["status"] == "unknown" and body["status_until"] == "2026-11-09"


def first_carried(history: dict, item: dict) -> str:
    """The day of the first version whose evidence includes this item (by date and source)."""
    for version in history["versions"]:
        for other in (version.get("body") or {}).get("evidence", []):
            if (other["date"], other["source"]["title"]) == (item["date"], item["source"]["title"]):
                return day(version["recorded_at"])
    raise AssertionError(item)


@pytest.mark.parametrize("id_", [f"a{n}" for n in range(1, 7)])
def test_each_event_after_the_seed_has_a_version_near_its_date(id_):
    """No version folds in events of months before: an `as_of` read between events is true."""
    history = next(h for h in HISTORIES if (h["kind"], h["id"]) == ("assumptions", id_))
    seed_day = day(history["versions"][0]["recorded_at"])
    late = []
    for item in history["versions"][-1]["body"]["evidence"]:
        if last_day(item["date"]) <= seed_day:
            continue
        carried = first_carried(history, item)
        lag = (
            datetime.date.fromisoformat(carried)
            - datetime.date.fromisoformat(last_day(item["date"]))
        ).days
        if lag > 31:
            late.append(f"{item['date']} first carried {carried}: {item['summary'][:60]}")
    assert not late
