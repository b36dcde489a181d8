"""The format registry (service/representations/formats.py): a format added as its docstring
says is negotiated, validated and documented everywhere, with no other edit."""

import pytest

from service import create_app
from service.representations import formats

DUMMY_TYPE = "text/x-dummy"


def dummy_version(item: dict, context: dict) -> str:
    return f"dummy {item['kind']}/{item['id']} v{item['version']}\n"


@pytest.fixture
def dummy_app(db_path):
    """An app built with one more format, `dummy`, that renders versions; removed after."""
    formats.register_format("dummy", DUMMY_TYPE, description="A dummy format for the tests")
    formats.renderer("version", "dummy")(dummy_version)
    try:
        yield create_app({"DATABASE": str(db_path), "TESTING": True})
    finally:
        formats.FORMATS.pop("dummy")


def test_an_added_format_is_chosen_by_its_name(dummy_app):
    response = dummy_app.test_client().get("/framings/sliding-scale?format=dummy")
    assert response.status_code == 200
    assert response.mimetype == DUMMY_TYPE
    assert response.text.startswith("dummy framings/sliding-scale v")


def test_an_added_format_is_negotiated_on_accept(dummy_app):
    response = dummy_app.test_client().get(
        "/framings/sliding-scale", headers={"Accept": f"{DUMMY_TYPE}, application/json;q=0.5"}
    )
    assert response.status_code == 200 and response.mimetype == DUMMY_TYPE


def test_an_added_format_gets_its_own_validator(dummy_app):
    client = dummy_app.test_client()
    first = client.get("/framings/sliding-scale?format=dummy")
    assert first.headers["ETag"].startswith('"dummy-')
    again = client.get(
        "/framings/sliding-scale?format=dummy", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_added_format_is_not_offered_where_it_has_no_renderer(dummy_app):
    response = dummy_app.test_client().get("/framings?format=dummy")
    assert response.status_code == 406


def test_an_added_format_is_in_the_openapi_document(dummy_app):
    document = dummy_app.test_client().get("/openapi.json").json
    operation = document["paths"]["/framings/{id}"]["get"]
    assert DUMMY_TYPE in operation["responses"]["200"]["content"]
    (fmt,) = [p for p in operation["parameters"] if p["name"] == "format"]
    assert "dummy" in fmt["schema"]["enum"]
    listing = document["paths"]["/framings"]["get"]["responses"]["200"]["content"]
    assert DUMMY_TYPE not in listing


def test_a_format_registered_again_with_other_facts_is_refused():
    formats.load()
    with pytest.raises(ValueError):
        formats.register_format("md", "text/x-not-markdown")


def test_every_registered_media_type_names_one_format():
    formats.load()
    types = [entry.media_type for entry in formats.FORMATS.values()]
    assert len(types) == len(set(types))
