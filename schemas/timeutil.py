"""UTC timestamps: one textual form everywhere, so comparing strings compares instants."""

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache

STORED_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def now_utc() -> str:
    return datetime.now(UTC).strftime(STORED_FORMAT)


# RFC 3339 section 5.6 date-time: full-date "T" full-time, where full-time always carries
# seconds and an offset (Z or +hh:mm / -hh:mm); a fraction has at least one digit. "T" and "Z"
# may be lower case, and a space may stand for "T" (the RFC's note on readability).
DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
# The documented bare date, extended (2025-07-21) or basic (20250721) form.
BARE_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})", re.ASCII)


def parse_instant(text: str) -> datetime:
    """The one parser of times a client sends: an RFC 3339 date-time, or a bare date.

    A bare date means the end of that day, UTC. Offsets run -23:59 to +23:59 (+00:60 is
    refused, never read as +01:00). A leap second (:60) is accepted where RFC 3339 allows one,
    at 23:59:60 UTC on the last day of a month (1990-12-31T23:59:60Z, or 15:59:60-08:00 that
    day), and stands for 23:59:59 UTC: the last whole second of that day, since stored times
    have whole seconds and the leap second comes before midnight. Raises ValueError otherwise.
    """
    if (date := BARE_DATE.fullmatch(text)) is not None:
        year, month, day = (int(part) for part in date.groups())
        return datetime(year, month, day, 23, 59, 59, tzinfo=UTC)
    match = DATE_TIME.fullmatch(text)
    if match is None:
        raise ValueError("not an RFC 3339 date-time")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction, zulu, sign, offset_hours, offset_minutes = match.groups()[6:]
    offset = 0
    if not zulu:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            raise ValueError("offset out of range")
        offset = (int(offset_hours) * 60 + int(offset_minutes)) * (-1 if sign == "-" else 1)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    leap = second == 60
    moment = datetime(year, month, day, hour, minute, 59 if leap else second, micro)
    moment = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    try:
        moment = moment.astimezone(UTC)
    except OverflowError as error:  # e.g. 0001-01-01T00:00:00+01:00 falls before year 1
        raise ValueError("out of range") from error
    if leap:
        last_day = (moment + timedelta(seconds=1)).day == 1
        if (moment.hour, moment.minute, moment.second) != (23, 59, 59) or not last_day:
            raise ValueError("a leap second only at 23:59:60 UTC on the last day of a month")
    return moment


def normalise_instant(text: str) -> str:
    """parse_instant, in the stored form (whole seconds, a fraction dropped).

    Raises ValueError for anything that is not a date or an RFC 3339 date-time.
    """
    moment = parse_instant(text)
    # Stored instants compare as strings, which needs four-digit years.
    if not 1000 <= moment.year <= 9999:
        raise ValueError("year out of range")
    return moment.strftime(STORED_FORMAT)


@lru_cache(maxsize=4096)  # pure (datetimes are immutable); every read and 304 asks for it
def parse_stored(stored: str) -> datetime:
    return datetime.strptime(stored, STORED_FORMAT).replace(tzinfo=UTC)


@lru_cache(maxsize=4096)  # a pure function, called on every read for Last-Modified
def http_date(stored: str) -> str:
    """The stored form as an RFC 9110 HTTP-date for Last-Modified."""
    return format_datetime(parse_stored(stored), usegmt=True)
