"""UTC timestamps: one textual form everywhere, so comparing strings compares instants."""

from datetime import UTC, datetime, time
from email.utils import format_datetime
from functools import lru_cache

STORED_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def now_utc() -> str:
    return datetime.now(UTC).strftime(STORED_FORMAT)


def normalise_instant(text: str) -> str:
    """Parse ISO 8601 (a bare date means the end of that day, UTC) into the stored form.

    Raises ValueError for anything that is not a date or date-time.
    """
    text = text.strip()
    if len(text) == 10:
        moment = datetime.combine(datetime.fromisoformat(text).date(), time(23, 59, 59))
    else:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(STORED_FORMAT)


@lru_cache(maxsize=4096)  # a pure function, called on every read for Last-Modified
def http_date(stored: str) -> str:
    """The stored form as an RFC 9110 HTTP-date for Last-Modified."""
    moment = datetime.strptime(stored, STORED_FORMAT).replace(tzinfo=UTC)
    return format_datetime(moment, usegmt=True)
