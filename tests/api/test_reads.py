"""Reading the model over HTTP: lists, one resource, history, validators and point in time."""

import pytest

from service import store
from service.fixtures import read_histories
from tests.conftest import FIXTURES, tombstone

KINDS = ("framings", "assumptions", "watchlist", "chips", "controls")
HISTORIES = read_histories(FIXTURES)


def test_index_links_every_collection(client):
    body = client.get("/").get_json()
    assert set(body["collections"]) == set(KINDS)


def test_health_reports_latest_seq(client, db):
    assert client.get("/health").get_json()["seq"] == store.max_seq(db)


@pytest.mark.parametrize("history", HISTORIES, ids=lambda h: f"{h['kind']}/{h['id']}")
def test_every_fixture_resource_reads_at_its_latest_version(client, history):
    response = client.get(f"/{history['kind']}/{history['id']}")
    assert response.status_code == 200
    assert response.get_json()["version"] == len(history["versions"])
    assert response.headers["ETag"] == f'"{len(history["versions"])}"'
    assert response.headers["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("kind", KINDS)
def test_list_returns_every_live_resource_of_the_kind(client, kind):
    expected = sorted(h["id"] for h in HISTORIES if h["kind"] == kind)
    body = client.get(f"/{kind}?limit=200").get_json()
    assert [item["id"] for item in body["items"]] == expected and body["next"] is None


def test_list_pages_with_cursor_and_link_header(client):
    first = client.get("/chips?limit=3")
    link = first.headers["Link"]
    assert link.endswith('rel="next"') and first.get_json()["next"] in link
    second = client.get(first.get_json()["next"]).get_json()
    ids = [i["id"] for i in first.get_json()["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 6


def test_last_page_has_no_next_link(client):
    response = client.get("/framings?limit=50")
    assert "Link" not in response.headers and response.get_json()["next"] is None


def test_list_filters_chips_by_origin(client):
    items = client.get("/chips?origin=china").get_json()["items"]
    assert items and all(i["body"]["origin"] == "china" for i in items)


def test_list_filters_watchlist_by_assumption(client):
    items = client.get("/watchlist?assumption=a6").get_json()["items"]
    ids = {i["id"] for i in items}
    assert {
        "uae-ai-annex",
        "trade-deal-security-terms",
        "compute-governance",
        "icts-data-centers",
    } <= ids
    assert all("a6" in i["body"]["assumptions"] for i in items)


def test_list_filters_assumptions_by_assessment_status(client):
    everything = client.get("/assumptions").get_json()["items"]
    status = everything[0]["body"]["assessment"]["status"]
    items = client.get(f"/assumptions?status={status}").get_json()["items"]
    assert items and all(i["body"]["assessment"]["status"] == status for i in items)


def test_if_none_match_with_current_etag_is_304(client):
    etag = client.get("/assumptions/a1").headers["ETag"]
    response = client.get("/assumptions/a1", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_if_none_match_with_old_etag_is_200(client):
    response = client.get("/assumptions/a1", headers={"If-None-Match": 'W/"999"'})
    assert response.status_code == 200


def test_versions_list_history_oldest_first(client):
    history = next(h for h in HISTORIES if h["kind"] == "assumptions" and len(h["versions"]) > 1)
    items = client.get(f"/assumptions/{history['id']}/versions").get_json()["items"]
    assert [i["version"] for i in items] == list(range(1, len(history["versions"]) + 1))


def test_one_old_version_is_readable_with_its_own_etag(client):
    response = client.get("/assumptions/a1/versions/1")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert response.get_json()["recorded_at"] == "2025-07-21T00:00:00Z"


def test_as_of_seed_date_reads_the_seed_assessment(client):
    history = next(h for h in HISTORIES if h["kind"] == "assumptions" and len(h["versions"]) > 1)
    body = client.get(f"/assumptions/{history['id']}?as_of=2025-07-21").get_json()
    assert body["version"] == 1
    assert body["body"] == history["versions"][0]["body"]


def test_as_of_before_the_model_existed_is_404(client):
    assert client.get("/assumptions/a1?as_of=2020-01-01").status_code == 404


def test_as_of_moves_lists_back_in_time(client):
    later = [h for h in HISTORIES if h["versions"][0]["recorded_at"] > "2025-07-21T00:00:00Z"]
    ids_then = {
        i["id"]
        for kind in KINDS
        for i in client.get(f"/{kind}?as_of=2025-07-21&limit=200").get_json()["items"]
    }
    assert not ids_then & {h["id"] for h in later}


def test_deleted_resource_answers_410_and_keeps_its_versions(client, db):
    tombstone(db, "chips", "nvidia-a100")
    assert client.get("/chips/nvidia-a100").status_code == 410
    assert client.get("/chips/nvidia-a100/versions/1").status_code == 200
    assert "nvidia-a100" not in {i["id"] for i in client.get("/chips").get_json()["items"]}


def test_json_is_the_default_representation(client):
    assert client.get("/chips/nvidia-h20").mimetype == "application/json"


def test_if_modified_since_the_last_change_is_304(client):
    last_modified = client.get("/assumptions/a1").headers["Last-Modified"]
    response = client.get("/assumptions/a1", headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304 and response.headers["Vary"] == "Accept"


def test_if_modified_since_before_the_last_change_is_200(client):
    response = client.get(
        "/assumptions/a1", headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
    )
    assert response.status_code == 200


def test_basic_format_date_means_the_end_of_that_day(client):
    extended = client.get("/assumptions/a3?as_of=2025-07-31").get_json()["version"]
    assert client.get("/assumptions/a3?as_of=20250731").get_json()["version"] == extended
