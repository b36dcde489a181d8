"""One strict parser of times: RFC 3339 date-times and the documented bare date, everywhere a
time is read (as_of on every read, score and embed)."""

import pytest

from schemas.timeutil import normalise_instant
from tests.api.test_errors import assert_problem


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2025-07-21T12:00:00Z", "2025-07-21T12:00:00Z"),
        ("2025-07-21T12:00:00+01:00", "2025-07-21T11:00:00Z"),
        ("2025-07-21T12:00:00-00:00", "2025-07-21T12:00:00Z"),
        ("2025-07-21t12:00:00.999z", "2025-07-21T12:00:00Z"),
        ("2025-07-21 12:00:00Z", "2025-07-21T12:00:00Z"),
        ("2025-07-21", "2025-07-21T23:59:59Z"),
        ("20250721", "2025-07-21T23:59:59Z"),
        # A leap second stands for the last whole second of its day (timeutil.parse_instant).
        ("1990-12-31T23:59:60Z", "1990-12-31T23:59:59Z"),
        ("1990-12-31T15:59:60-08:00", "1990-12-31T23:59:59Z"),
        ("2016-12-31T23:59:60.5Z", "2016-12-31T23:59:59Z"),
    ],
)
def test_rfc_3339_and_the_bare_date_are_read(text, stored):
    assert normalise_instant(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "2025-07-21T12:00:00+00:60",  # not +01:00
        "2025-07-21T12:00:00+24:00",
        "2025-07-21T12:00:00.+01:00",  # a fraction needs a digit
        "2025-07-21T12:00:00",  # no offset
        "2025-07-21T12:00Z",  # no seconds
        "2025-07-21T12:00:60Z",  # a leap second only at 23:59:60 UTC
        "2025-07-15T23:59:60Z",  # ... on the last day of a month
        "2025-07-21T24:00:00Z",
        "2025-02-30",
        "2025-07",
        "2025-W30-1",
        "2025-07-21T12:00:00+0100",
        " 2025-07-21",
        "\u0662\u0660\u0662\u0665-07-21",  # non-ASCII digits
        "0001-01-01T00:00:00+01:00",
        "yesterday",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        normalise_instant(text)


@pytest.mark.parametrize(
    "path",
    [
        "/chips?as_of={}",
        "/chips/nvidia-h20?as_of={}",
        "/controls/h20-licence-reversal-2025-07/score?as_of={}",
        "/embed/chips/nvidia-h20?as_of={}",
    ],
)
def test_every_read_refuses_a_bad_offset_and_takes_a_leap_second(client, path):
    assert_problem(client.get(path.format("2025-07-21T12:00:00%2B00:60")), 422)
    assert_problem(client.get(path.format("2025-07-21T12:00:00.%2B01:00")), 422)
    assert client.get(path.format("2025-12-31T23:59:60Z")).status_code == 200


@pytest.mark.parametrize(
    "date", ["2025-02-30", "2025-04-31", "\u0662\u0660\u0662\u0665-07-21", "2025-07-21\n"]
)
def test_dates_in_bodies_are_days_of_the_calendar_in_ascii(date):
    from marshmallow import ValidationError

    from schemas.common import validate_partial_date

    with pytest.raises(ValidationError):
        validate_partial_date(date)


@pytest.mark.parametrize("date", ["2024-02-29", "2025-07", "2025"])
def test_whole_and_partial_dates_in_bodies_are_taken(date):
    from schemas.common import validate_partial_date

    validate_partial_date(date)
