"""The OpenAPI document is generated from the schemas and valid; /docs needs no CDN."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_openapi_3(client):
    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_openapi_documents_every_read_path(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for kind in ("framings", "assumptions", "watchlist", "chips", "controls"):
        assert {
            f"/{kind}",
            f"/{kind}/{{id_}}",
            f"/{kind}/{{id_}}/versions",
            f"/{kind}/{{id_}}/versions/{{number}}",
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
