"""The OpenAPI document is generated from the schemas and valid, and says what the server does:
operationIds, request headers, error answers and media types per operation; /docs needs no CDN.
(The live checks are in test_live_walk.py, test_schemathesis.py and test_generated_client.py.)
"""

import re

from openapi_spec_validator import validate

METHODS = ("get", "put", "post", "patch", "delete")


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def headers_of(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}


def test_openapi_document_is_valid_openapi_3(client):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_openapi_documents_every_read_path(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for kind in ("framings", "assumptions", "watchlist", "chips", "controls"):
        assert {
            f"/{kind}",
            f"/{kind}/{{id}}",
            f"/{kind}/{{id}}/versions",
            f"/{kind}/{{id}}/versions/{{number}}",
        } <= set(paths)


def test_every_operation_has_a_summary(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method != "parameters":
                assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def test_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/docs").get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000


def test_every_operation_has_a_readable_unique_operation_id(client):
    spec = client.get("/openapi.json").get_json()
    ids = [operation["operationId"] for _, _, operation in operations(spec)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids), ids
    assert {
        "listAssumptions",
        "getAssumption",
        "getAssumptionVersion",
        "updateAssumption",
        "scoreControl",
        "scoreBatch",
        "getControlScore",
    } <= set(ids)


def test_every_view_declares_its_contract(app):
    """Each route's view carries its operationId (and errors, headers, formats) itself, with
    service/web/openapi.contract: no central table, no name made up from the view's."""
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.startswith(("api-docs", "docs_asset", "static"))
        and "operationId"
        not in getattr(app.view_functions[rule.endpoint], "_apidoc", {}).get("manual_doc", {})
    ]
    assert undeclared == []


def test_summaries_are_grammatical(client):
    spec = client.get("/openapi.json").get_json()
    for path, method, operation in operations(spec):
        summary = operation["summary"]
        assert not re.search(r"\ba [aeiou]", summary), f"{method} {path}: {summary}"
        assert not summary.endswith("."), f"{method} {path}: {summary}"


def test_path_parameters_are_named_id_not_id_(client):
    assert "id_" not in client.get("/openapi.json").get_data(as_text=True)


def test_writes_document_their_headers_and_every_refusal(client):
    spec = client.get("/openapi.json").get_json()
    for path, method, operation in operations(spec):
        if method not in ("put", "patch", "delete") or "{id}" not in path:
            continue
        headers = headers_of(operation)
        assert headers["X-Change-Note"]["required"] and headers["If-Match"]["required"]
        assert {"401", "403", "404", "412", "422", "428", "429"} <= set(operation["responses"])
        assert operation["security"] == [{"bearer": []}]
        assert "ETag" in operation["responses"]["200"]["headers"]
    create = spec["paths"]["/assumptions"]["post"]
    assert headers_of(create)["Idempotency-Key"]["schema"]["maxLength"] == 255
    assert {"Slug", "X-Change-Note"} <= set(headers_of(create))
    assert {"ETag", "Location"} <= set(create["responses"]["201"]["headers"])
    assert {"409", "413", "415"} <= set(create["responses"])
    limited = spec["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in limited["headers"]


def test_every_error_answer_is_documented_as_problem_json(client):
    spec = client.get("/openapi.json").get_json()
    components = spec["components"]["responses"]
    for path, _, operation in operations(spec):
        for status, answer in operation["responses"].items():
            if status == "default" or int(status) >= 400 and path != "/score/form":
                answer = components[answer["$ref"].rsplit("/", 1)[-1]]
                assert list(answer["content"]) == ["application/problem+json"], (path, status)


def test_public_operations_say_so(client):
    spec = client.get("/openapi.json").get_json()
    for path, method, operation in operations(spec):
        expected = [] if method == "get" or path.startswith("/score") else [{"bearer": []}]
        assert operation["security"] == expected, f"{method} {path}"


def test_media_types_are_the_ones_the_server_answers(client):
    paths = client.get("/openapi.json").get_json()["paths"]

    def types(path, method="get", status="200"):
        return set(paths[path][method]["responses"][status]["content"])

    assert "text/csv" not in types("/controls/{id}") | types("/controls/{id}/score")
    assert "text/csv" not in types("/score", "post")
    assert "text/csv" in types("/controls")
    assert types("/changes.atom") == {"application/atom+xml"}
    assert types("/controls/{id}/badge.svg") == {"image/svg+xml"}
    assert types("/embed/{kind}/{id}") == {"text/html", "text/markdown"}
    assert types("/score/form") == {"text/html"}
    assert types("/score/form", "post", "422") == {"text/html"}


def test_the_score_schema_allows_the_source_a_stored_score_returns(client):
    spec = client.get("/openapi.json").get_json()
    score = client.get("/controls/affiliates-50-percent-rule/score").get_json()
    properties = spec["components"]["schemas"]["Score"]["properties"]
    assert set(score) <= set(properties) and "source" in score
