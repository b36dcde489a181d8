"""One error shape on every path: application/problem+json per RFC 9457, never a traceback."""

import pytest

from service import create_app
from tests.conftest import tombstone


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body


ERROR_PATHS = [
    ("GET", "/chips/no-such-chip", None, 404),
    ("GET", "/no/such/route", None, 404),
    ("GET", "/chips/nvidia-h20/versions/99", None, 404),
    ("GET", "/chips/no-such-chip/versions", None, 404),
    ("DELETE", "/health", None, 405),
    ("GET", "/chips?format=xml", None, 406),
    ("GET", "/chips/nvidia-h20?format=yaml", None, 406),
    ("GET", "/chips?limit=0", None, 422),
    ("GET", "/chips?limit=abc", None, 422),
    ("GET", "/chips?origin=mars", None, 422),
    ("GET", "/chips?colour=red", None, 422),
    ("GET", "/chips/nvidia-h20?as_of=yesterday", None, 422),
    ("GET", "/chips?cursor=%%%", None, 422),
    ("GET", "/chips?as_of=2025-08-01&release=r1", None, 422),
    ("GET", "/chips?release=no-such-release", None, 422),
    ("GET", "/problems/no-such-type", None, 404),
]


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    ERROR_PATHS,
    ids=[f"{m} {p} -> {s}" for m, p, _, s in ERROR_PATHS],
)
def test_error_path_answers_problem_json(client, method, path, headers, status):
    assert_problem(client.open(path, method=method, headers=headers), status)


def test_unacceptable_accept_header_is_406(client):
    assert_problem(client.get("/chips", headers={"Accept": "image/png"}), 406)


def test_405_names_the_allowed_methods(client):
    response = client.delete("/health")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_422_names_every_offending_query_field(client):
    body = assert_problem(client.get("/chips?limit=0&origin=mars&colour=red"), 422)
    assert {"query.limit", "query.origin", "query.colour"} <= set(body["errors"])
    assert body["type"] == "/problems/validation"


def test_410_for_a_deleted_resource(client, db):
    tombstone(db, "chips", "nvidia-a100")
    body = assert_problem(client.get("/chips/nvidia-a100"), 410)
    assert "/chips/nvidia-a100/versions" in body["detail"]


def test_413_for_a_body_over_the_documented_size(client):
    response = client.post("/score", data="x" * (1024 * 1024 + 1), content_type="application/json")
    assert_problem(response, 413)


def test_unexpected_exception_is_500_problem_without_traceback(db_path):
    app = create_app({"DATABASE": str(db_path)})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert body["title"] == "Internal Server Error"


def test_problem_type_uri_is_explained(client):
    body = client.get("/problems/validation").get_json()
    assert "errors" in body["description"]


def test_version_number_beyond_sqlite_integers_is_404(client):
    assert_problem(client.get("/assumptions/a1/versions/99999999999999999999999"), 404)


def test_forged_cursor_with_a_huge_number_is_422(client):
    from service.web.http import encode_cursor

    cursor = encode_cursor(10**30)
    assert_problem(client.get(f"/assumptions/a1/versions?cursor={cursor}"), 422)


def test_forged_cursor_of_the_wrong_type_is_422(client):
    from service.web.http import encode_cursor

    assert_problem(client.get(f"/chips?cursor={encode_cursor({'x': 1})}"), 422)
    assert_problem(client.get(f"/releases?cursor={encode_cursor([1])}"), 422)


@pytest.mark.parametrize(
    "as_of", ["0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59-01:00", "0999-01-01", "20251"]
)
def test_as_of_out_of_range_is_422_not_500(client, as_of):
    body = assert_problem(client.get(f"/assumptions/a1?as_of={as_of}"), 422)
    assert "query.as_of" in body["errors"]


def test_a_failing_if_match_on_a_snapshot_is_a_problem_not_the_file(client, admin):
    assert (
        client.post("/releases", json={"name": "r1", "description": "x"}, headers=admin).status_code
        == 201
    )
    response = client.get("/releases/r1/snapshot", headers={"If-Match": '"not-r1"'})
    assert_problem(response, 412)
    assert len(response.get_data()) < 1000 and "Content-Disposition" not in response.headers


def test_a_failing_if_match_on_a_docs_asset_is_a_problem_not_the_file(client):
    response = client.get("/docs/assets/swagger-ui.css", headers={"If-Match": '"nope"'})
    assert_problem(response, 412)
    assert ".swagger-ui" not in response.get_data(as_text=True)


def test_a_range_outside_a_file_is_a_problem(client):
    response = client.get("/docs/assets/swagger-ui.css", headers={"Range": "bytes=99999999-"})
    assert_problem(response, 416)
