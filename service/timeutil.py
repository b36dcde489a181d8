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
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if "T" not in text and " " not in text:  # any bare date, basic or extended form
        moment = datetime.combine(moment.date(), time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError as error:  # e.g. 0001-01-01T00:00+01:00 falls before year 1
        raise ValueError("out of range") from error
    # Stored instants compare as strings, which needs four-digit years.
    if not 1000 <= moment.year <= 9999:
        raise ValueError("year out of range")
    return moment.strftime(STORED_FORMAT)


def parse_stored(stored: str) -> datetime:
    return datetime.strptime(stored, STORED_FORMAT).replace(tzinfo=UTC)


@lru_cache(maxsize=4096)  # a pure function, called on every read for Last-Modified
def http_date(stored: str) -> str:
    """The stored form as an RFC 9110 HTTP-date for Last-Modified."""
    return format_datetime(parse_stored(stored), usegmt=True)
