"""GET /review: what has not been reviewed for FRAMINGS_REVIEW_DAYS days, oldest first."""

from datetime import date

import pytest

from service import create_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def review(client, query=""):
    response = client.get(f"/review{query}")
    assert response.status_code == 200
    return response.get_json()


def test_everything_was_reviewed_on_the_last_content_pass(client):
    data = review(client, "?as_of=2026-11-29")
    assert data == {"as_of": "2026-11-29", "review_days": 120, "items": []}


def test_as_of_lists_overdue_items_oldest_review_first(client):
    items = review(client, "?as_of=2026-06-01")["items"]
    assert items, "by June 2026 the seed's own watch items had gone unreviewed for months"
    days = [date.fromisoformat(i["last_reviewed"]) for i in items]
    assert days == sorted(days)
    for item in items:
        assert item["days_since_review"] >= 120
        assert item["overdue_by_days"] == item["days_since_review"] - 120
        assert item["url"] == f"/{item['kind']}/{item['id']}/versions/{item['version']}"
        # the version listed is the one the model held then, and it says the same review date
        body = client.get(item["url"]).get_json()["body"]
        last = body["assessment"]["last_reviewed"] if item["kind"] == "assumptions" else None
        assert (last or body["last_reviewed"]) == item["last_reviewed"]
        assert body and item["kind"] in ("assumptions", "watchlist")


def test_only_items_past_the_period_are_listed(client):
    listed = {(i["kind"], i["id"]) for i in review(client, "?as_of=2026-06-01")["items"]}
    watch = client.get("/watchlist?as_of=2026-06-01&limit=200").get_json()["items"]
    for item in watch:
        age = (date(2026, 6, 1) - date.fromisoformat(item["body"]["last_reviewed"])).days
        assert (("watchlist", item["id"]) in listed) == (age >= 120), item["id"]


def test_the_period_comes_from_framings_review_days(db_path, monkeypatch):
    monkeypatch.delenv("FRAMINGS_REVIEW_DAYS", raising=False)
    default = review(app_client(db_path), "?as_of=2026-06-01")
    monkeypatch.setenv("FRAMINGS_REVIEW_DAYS", "10")
    data = review(app_client(db_path), "?as_of=2026-06-01")
    assert (default["review_days"], data["review_days"]) == (120, 10)
    assert len(data["items"]) > len(default["items"])


def app_client(db_path):
    return create_app({"DATABASE": str(db_path), "TESTING": True}).test_client()


def test_without_as_of_the_reference_day_is_today(client):
    assert review(client)["as_of"] == date.today().isoformat()


def test_markdown_lists_the_same_items_with_permanent_links(client):
    items = review(client, "?as_of=2026-06-01")["items"]
    for query, headers in (
        ("?as_of=2026-06-01&format=md", {}),
        ("?as_of=2026-06-01", {"Accept": "text/markdown"}),
    ):
        response = client.get(f"/review{query}", headers=headers)
        assert response.mimetype == "text/markdown"
        text = response.text
        assert text.startswith("# Due for review")
        positions = [text.index(f"http://localhost{i['url']}") for i in items]
        assert positions == sorted(positions)


def test_html_marks_every_listed_item_overdue(client):
    response = client.get("/review?as_of=2026-06-01", headers=HTML)
    assert response.mimetype == "text/html"
    items = review(client, "?as_of=2026-06-01")["items"]
    assert response.text.count('class="tag tag-overdue"') == len(items)
    assert "Nothing is due for review" in client.get("/review?as_of=2026-11-29", headers=HTML).text


def test_resource_pages_mark_an_overdue_review(client):
    old = client.get("/watchlist/icts-data-centers?as_of=2026-06-01", headers=HTML).text
    assert "overdue for review" in old
    fresh = client.get("/watchlist/icts-data-centers?as_of=2026-11-29", headers=HTML).text
    assert "overdue for review" not in fresh


@pytest.mark.parametrize(
    "query", ["?as_of=yesterday", "?colour=red", "?as_of=2026-01-01&release=x"]
)
def test_bad_queries_are_problems(client, query):
    response = client.get(f"/review{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_review_is_in_the_openapi_document(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "get" in paths["/review"]


def test_statuses_resting_on_a_day_now_past_are_listed_first(client):
    items = review(client, "?as_of=2026-12-04")["items"]
    lapsed = [i for i in items if i["reason"] == "status_lapsed"]
    assert items[: len(lapsed)] == lapsed
    assert {(i["kind"], i["id"]) for i in lapsed} >= {
        ("controls", "affiliates-50-percent-rule"),
        ("controls", "affiliates-rule-suspension-2025-11"),
        ("watchlist", "affiliates-rule"),
    }
    assert all(i["status"] == "unknown" for i in lapsed)


def test_a_status_past_its_day_is_listed_before_anyone_corrects_it(client):
    # On 15 November 2026 the model still held the suspension as in force until 9 November.
    items = review(client, "?as_of=2026-11-15")["items"]
    lapsed = {i["id"]: i for i in items if i["reason"] == "status_lapsed"}
    assert items[: len(lapsed)] == list(lapsed.values())
    held = lapsed["affiliates-rule-suspension-2025-11"]
    assert (held["status"], held["status_until"]) == ("in_force", "2026-11-09")
    assert lapsed["affiliates-50-percent-rule"]["status"] == "suspended"
    html = client.get("/review?as_of=2026-11-15", headers=HTML).text
    assert 'class="tag tag-lapsed"' in html


@pytest.mark.parametrize("status,code", [("unknown", 200), ("lapsed", 422)])
def test_the_unknown_status_is_in_the_validated_vocabulary(client, editor, status, code):
    current = client.get("/controls/affiliates-50-percent-rule")
    body = {**current.get_json()["body"], "status": status}
    response = client.put(
        "/controls/affiliates-50-percent-rule",
        json=body,
        headers={**editor, "If-Match": current.headers["ETag"], "X-Change-Note": "status check"},
    )
    assert response.status_code == code, response.get_json()
    if code == 422:
        assert "status" in response.get_json()["errors"]


def test_a_page_read_after_a_status_s_day_says_the_status_is_unknown(client):
    url = "/controls/affiliates-rule-suspension-2025-11"
    before = client.get(f"{url}?as_of=2026-11-01", headers=HTML).text
    after = client.get(f"{url}?as_of=2026-11-15", headers=HTML).text
    assert "held until 2026-11-09" in before and "tag-lapsed" not in before
    assert "status unknown after 2026-11-09" in after
    md = client.get(f"{url}?as_of=2026-11-15&format=md").text
    assert "held until 2026-11-09; unknown after it" in md
