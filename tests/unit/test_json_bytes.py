"""The JSON bytes contract: every JSON answer is what the stdlib encoder writes
(`json.dumps(data, ensure_ascii=False, separators=(",", ":"))` in UTF-8), whichever encoder
(orjson, or the stdlib as its fallback) service/web/http.py used to write it."""

import json
from dataclasses import dataclass
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.web.http import dumps, dumps_bytes


def stdlib(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


CASES = [
    {"b": 1, "a": [1.0, -0.0, 0.1 + 0.2, 1e16, 1.5e300, 1e22, 123456789012345.6]},
    {"small": [1e-4, 9.999e-5, 1e-5, 2.5e-7, 5e-324, -0.00009]},  # exponent forms
    {"text": 'é “q” \u2028 \u2029 \x7f \x1f </script> \\ " \t\n', "emoji": "🙂"},
    {"ints": [0, -1, 2**63 - 1, 2**64 - 1, 2**64, -(2**63), 10**30], "flags": [True, False]},
    {1: "non-string keys", None: "are", 2.5: "stringified", False: "by the stdlib"},
    {"sha": "sha256:3e5a1e-09c0.0000", "nested": [[[{"x": None}]]], "empty": [{}, [], ""]},
    [(1, 2), ("tuple",)],
]


@pytest.mark.parametrize("data", CASES)
def test_dumps_writes_the_stdlib_bytes(data):
    assert dumps_bytes(data) == stdlib(data)
    assert dumps(data) == stdlib(data).decode()


def test_what_the_stdlib_refuses_is_refused():
    @dataclass
    class Point:
        x: int

    # Not NaN or infinities: the stdlib writes NaN (not JSON), orjson null; schemas/common.py
    # refuses them and the scorer guards its one division, so no answer holds one.
    for value in (datetime(2026, 1, 1), Point(1), {1, 2}, object()):
        try:
            expected = stdlib(value)
        except (TypeError, ValueError) as error:
            with pytest.raises(type(error)):
                dumps_bytes(value)
        else:
            assert dumps_bytes(value) == expected


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_any_json_value_is_written_as_the_stdlib_writes_it(data):
    assert dumps_bytes(data) == stdlib(data)
