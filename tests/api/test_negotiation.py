"""Content negotiation per RFC 9110 12.5.1 (parameters, q-values, wildcards), in one function;
bodies of the wrong type are a 415 naming the type to send; PATCH's media type is advertised."""

import pytest

from service.representations.negotiation import choose
from tests.api.test_errors import assert_problem

LIST = ("application/json", "text/csv", "text/html", "text/markdown")


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/json; charset=utf-8", "application/json"),
        ("text/markdown; charset=utf-8", "text/markdown"),
        ("text/csv; charset=UTF-8", "text/csv"),
        ('text/html; charset="utf-8"', "text/html"),
        ("text/markdown;q=0.9, text/csv;q=0.8", "text/markdown"),
        ("text/csv;q=0.5, text/markdown;q=0.6, application/json;q=0.4", "text/markdown"),
        ("*/*", "application/json"),
        ("*/*;q=0.1, text/csv", "text/csv"),
        ("text/*, application/json;q=0.5", "text/csv"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/json; indent=2", "application/json"),
        ("garbage, text/markdown", "text/markdown"),
    ],
)
def test_accept_is_negotiated_per_rfc_9110(client, accept, mimetype):
    response = client.get("/chips", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == mimetype


@pytest.mark.parametrize(
    "accept",
    [
        "text/markdown; charset=iso-8859-1",
        "application/json;q=0",
        "*/*;q=0",
        "text/*;q=0, application/*;q=0",
        "image/png",
    ],
)
def test_what_is_not_acceptable_is_406(client, accept):
    assert_problem(client.get("/chips", headers={"Accept": accept}), 406)


def test_a_more_specific_range_overrides_a_wildcard():
    assert choose("text/*;q=1, text/csv;q=0", LIST) == "text/html"
    assert choose("*/*;q=0.2, application/json;q=0", LIST) == "text/csv"


def test_an_accept_with_no_well_formed_range_counts_as_absent():
    assert choose("nonsense", LIST) == "application/json"
    assert choose("text/csv;q=2", LIST) == "application/json"


def test_single_resources_negotiate_the_same_way(client):
    for accept, mimetype in [
        ("text/markdown; charset=utf-8", "text/markdown"),
        ("application/json; charset=utf-8", "application/json"),
    ]:
        response = client.get("/assumptions/a3", headers={"Accept": accept})
        assert response.mimetype == mimetype
    assert_problem(client.get("/assumptions/a3", headers={"Accept": "text/csv"}), 406)


def test_embeds_negotiate_with_parameters(client):
    response = client.get(
        "/embed/chips/nvidia-h20", headers={"Accept": "text/markdown;charset=utf-8"}
    )
    assert response.mimetype == "text/markdown"


@pytest.mark.parametrize(
    ("method", "path", "wanted"),
    [
        ("POST", "/score", "application/json"),
        ("POST", "/score/batch", "application/json"),
        ("POST", "/chips", "application/json"),
        ("PUT", "/chips/nvidia-h20", "application/json"),
        ("POST", "/releases", "application/json"),
    ],
)
def test_a_form_body_is_415_naming_the_type_to_send(client, admin, method, path, wanted):
    response = client.open(
        path,
        method=method,
        data="name=x",
        content_type="application/x-www-form-urlencoded",
        headers=admin,
    )
    body = assert_problem(response, 415)
    assert wanted in body["detail"] and "x-www-form-urlencoded" in body["detail"]
    assert body["type"] == "/problems/unsupported-media-type"
    assert response.headers["Accept"] == wanted


def test_a_body_without_a_content_type_is_415(client):
    response = client.post("/score", data='{"name": "x"}')
    assert "application/json" in assert_problem(response, 415)["detail"]


def test_json_in_another_charset_is_415(client):
    response = client.post(
        "/score", data='{"name": "x"}', content_type="application/json; charset=iso-8859-1"
    )
    assert_problem(response, 415)


def test_json_with_a_utf8_charset_is_accepted(client):
    response = client.post("/score", data="{}", content_type="application/json; charset=utf-8")
    assert_problem(response, 422)  # reaches the schema: name and the rest are missing


def test_patch_415_carries_accept_patch(client, editor):
    etag = client.get("/chips/nvidia-h20").headers["ETag"]
    response = client.patch(
        "/chips/nvidia-h20", json={"notes": "x"}, headers={**editor, "If-Match": etag}
    )
    body = assert_problem(response, 415)
    assert "application/merge-patch+json" in body["detail"]
    assert response.headers["Accept-Patch"] == "application/merge-patch+json"


def test_options_on_a_resource_carries_accept_patch(client):
    response = client.options("/chips/nvidia-h20")
    assert "PATCH" in response.headers["Allow"]
    assert response.headers["Accept-Patch"] == "application/merge-patch+json"
    assert "Accept-Patch" not in client.options("/chips").headers


def test_the_html_form_still_takes_a_form(client):
    response = client.post(
        "/score/form", data="name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 422 and response.mimetype == "text/html"
