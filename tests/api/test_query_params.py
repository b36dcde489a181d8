"""Repeated query parameters: a filter given several values matches any of them (OR), on
every filter of every list; a scalar (limit, cursor, as_of, release, format, since, from)
given twice is a 422. Digits outside ASCII are not numbers."""

import pytest

from service.kinds import KINDS
from tests.api.test_errors import assert_problem


def ids(client, query: str) -> set[str]:
    response = client.get(query)
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_a_repeated_filter_means_either_value(client):
    weakening = ids(client, "/assumptions?status=weakening&limit=200")
    holding = ids(client, "/assumptions?status=holding&limit=200")
    both = ids(client, "/assumptions?status=weakening&status=holding&limit=200")
    assert weakening and holding and both == weakening | holding


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind in KINDS.values() for name in kind.filters]
)
def test_every_filter_takes_any_of_several_values(client, kind, name):
    """Each filter's values are the union of what each value alone lists."""
    items = client.get(f"/{kind.name}?limit=200").get_json()["items"]
    path = kind.filters[name][0].removeprefix("$.").split(".")
    values = []
    for item in items:
        value = item["body"]
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        values += value if isinstance(value, list) else [value] if value is not None else []
    values = sorted(set(values))[:2] or ["nothing-matches"]
    if len(values) == 1:
        values.append(values[0])
    union = set()
    for value in values:
        union |= ids(client, f"/{kind.name}?{name}={value}&limit=200")
    both = ids(client, f"/{kind.name}?{name}={values[0]}&{name}={values[1]}&limit=200")
    assert both == union


def test_next_links_keep_every_value_of_a_repeated_filter(client):
    response = client.get("/assumptions?status=weakening&status=holding&limit=1")
    next_url = response.get_json()["next"]
    assert next_url.count("status=") == 2
    assert client.get(next_url).status_code == 200


def test_a_bad_value_in_a_repeated_filter_is_422_naming_the_filter(client):
    body = assert_problem(client.get("/assumptions?status=holding&status=nope"), 422)
    assert "query.status" in body["errors"]


@pytest.mark.parametrize(
    "query",
    [
        "/chips?limit=5&limit=6",
        "/chips?cursor=a&cursor=b",
        "/chips?as_of=2025-07-21&as_of=2025-08-01",
        "/chips?release=a&release=b",
        "/chips?format=json&format=md",
        "/chips/nvidia-h20?as_of=2025-07-21&as_of=2025-08-01",
        "/assumptions/a3/versions?limit=1&limit=2",
        "/changes?since=1&since=2",
        "/assumptions/a3/versions/2/diff?from=1&from=1",
    ],
)
def test_a_repeated_scalar_is_422_naming_it(client, query):
    name = query.split("?")[1].split("=")[0]
    body = assert_problem(client.get(query), 422)
    assert f"query.{name}" in body["errors"]


@pytest.mark.parametrize(
    "query",
    [
        "/chips?limit=\u0663",  # ARABIC-INDIC DIGIT THREE
        "/chips?limit=\uff15",  # FULLWIDTH DIGIT FIVE
        "/chips?limit=1_0",
        "/chips?limit=%205",
        "/changes?since=\u0661",
        "/assumptions/a3/versions/2/diff?from=\u0661",
    ],
)
def test_digits_outside_ascii_are_not_numbers(client, query):
    assert_problem(client.get(query), 422)


def test_a_version_number_in_non_ascii_digits_is_not_found(client):
    assert client.get("/assumptions/a3/versions/\u0661").status_code == 404
