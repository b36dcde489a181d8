"""Conditional requests exactly per RFC 9110 section 13, and validators that tell the truth.

Writes: If-Match compares entity-tags strongly, as exact strings; `*` needs a current
representation; If-None-Match: * makes a PUT create-only; a 410 carries the tombstone's ETag.
Reads: each representation of a resource has its own ETag, which changes whenever its bytes
would; every read (lists, the feed, the index, the OpenAPI document) has one and answers 304.
"""

import pytest

from service import store
from tests.conftest import tombstone

A4 = "/assumptions/a4"
CHIP = "/chips/nvidia-a100"


def head(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_json(), response.headers["ETag"]


def versions_of(db, kind, id_):
    return len(store.list_versions(db, kind, id_, limit=10_000))


def problem_type(response):
    assert response.mimetype == "application/problem+json"
    return response.get_json()["type"]


def patch(client, editor, path, if_match=None, **headers):
    if if_match is not None:
        headers["If-Match"] = if_match
    return client.patch(
        path,
        data='{"assessment": {"credence": 0.3}}',
        content_type="application/merge-patch+json",
        headers={**editor, **headers},
    )


# --- fault 5: preconditions on writes --------------------------------------------------------


def test_write_etag_is_strong_and_the_etag_read_is_the_one_to_write_with(client, editor):
    body, etag = head(client, A4)
    assert etag == f'"{body["version"]}"'
    response = patch(client, editor, A4, etag)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{body["version"] + 1}"'


@pytest.mark.parametrize(
    "tag",
    [
        'W/"{n}"',  # weak: If-Match compares strongly, so a weak tag never matches
        '"0{n}"',  # the same number, another string: tags are opaque
        '"{n}.0"',
        '"9' + "9" * 5000 + '"',  # a huge "number" is just a tag that does not match
    ],
)
def test_if_match_compares_tags_as_exact_strings(client, editor, db, tag):
    body, _ = head(client, A4)
    before = versions_of(db, "assumptions", "a4")
    response = patch(client, editor, A4, tag.replace("{n}", str(body["version"])))
    assert response.status_code == 412
    assert problem_type(response) == "/problems/stale-version"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert versions_of(db, "assumptions", "a4") == before


@pytest.mark.parametrize("tag", ["{n}", '"{n}', '" {n}"', '"{n}", {n}'])
def test_an_if_match_that_is_not_quoted_tags_is_a_400_saying_so(client, editor, db, tag):
    body, _ = head(client, A4)
    before = versions_of(db, "assumptions", "a4")
    response = patch(client, editor, A4, tag.replace("{n}", str(body["version"])))
    assert response.status_code == 400 and problem_type(response) == "/problems/validation"
    assert "double quotes" in response.get_json()["detail"]
    assert list(response.get_json()["errors"]) == ["headers.If-Match"]
    assert versions_of(db, "assumptions", "a4") == before


def test_an_unquoted_if_none_match_on_a_put_is_a_400_too(client, editor):
    body, _ = head(client, CHIP)
    headers = {**editor, "If-None-Match": "new"}
    response = client.put("/chips/new-chip", json=body["body"], headers=headers)
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["headers.If-None-Match"]


def test_if_match_lists_any_of_several_tags_including_one_with_a_comma(client, editor):
    body, etag = head(client, A4)
    response = patch(client, editor, A4, f'"a,b", W/{etag}, {etag}, "x"')
    assert response.status_code == 200


def test_if_match_star_writes_a_live_resource(client, editor):
    assert patch(client, editor, A4, "*").status_code == 200


def test_if_match_star_on_a_deleted_resource_is_412_and_does_not_revive(client, editor, db):
    body, etag = head(client, CHIP)
    client.delete(CHIP, headers={**editor, "If-Match": etag})
    before = versions_of(db, "chips", "nvidia-a100")
    response = client.put(CHIP, json=body["body"], headers={**editor, "If-Match": "*"})
    assert response.status_code == 412
    assert problem_type(response) == "/problems/precondition-failed"
    assert response.headers["ETag"] == f'"{before}"'  # the tombstone's, to revive with
    assert client.get(CHIP).status_code == 410
    assert versions_of(db, "chips", "nvidia-a100") == before
    assert client.delete(CHIP, headers={**editor, "If-Match": "*"}).status_code == 412


def test_gone_answer_carries_the_tombstone_etag_and_a_put_with_it_revives(client, editor, db):
    body, etag = head(client, CHIP)
    deleted = client.delete(CHIP, headers={**editor, "If-Match": etag})
    gone = client.get(CHIP)
    assert gone.status_code == 410 and gone.mimetype == "application/problem+json"
    assert gone.headers["ETag"] == deleted.headers["ETag"] == f'"{body["version"] + 1}"'
    revived = client.put(
        CHIP, json=body["body"], headers={**editor, "If-Match": gone.headers["ETag"]}
    )
    assert revived.status_code == 201 and revived.headers["Location"] == CHIP
    assert client.get(CHIP).get_json()["version"] == body["version"] + 2


def test_patch_and_delete_of_a_deleted_resource_are_410_with_the_tombstone_etag(client, editor):
    _, etag = head(client, CHIP)
    tomb = client.delete(CHIP, headers={**editor, "If-Match": etag}).headers["ETag"]
    again = client.delete(CHIP, headers={**editor, "If-Match": tomb})
    patched = client.patch(
        CHIP,
        data="{}",
        content_type="application/merge-patch+json",
        headers={**editor, "If-Match": tomb},
    )
    for response in (again, patched):
        assert response.status_code == 410 and response.headers["ETag"] == tomb


def test_if_none_match_star_makes_put_fail_with_412_when_the_resource_exists(client, editor, db):
    body, etag = head(client, A4)
    before = versions_of(db, "assumptions", "a4")
    response = client.put(A4, json=body["body"], headers={**editor, "If-None-Match": "*"})
    assert response.status_code == 412
    assert problem_type(response) == "/problems/precondition-failed"
    assert response.headers["ETag"] == etag
    assert versions_of(db, "assumptions", "a4") == before


def test_if_none_match_star_with_a_matching_if_match_still_fails_when_it_exists(client, editor):
    body, etag = head(client, A4)
    headers = {**editor, "If-Match": etag, "If-None-Match": "*"}
    assert client.put(A4, json=body["body"], headers=headers).status_code == 412


def test_if_none_match_star_put_creates_an_absent_resource_as_version_one(client, editor):
    body, _ = head(client, CHIP)
    response = client.put(
        "/chips/example-new-chip", json=body["body"], headers={**editor, "If-None-Match": "*"}
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "/chips/example-new-chip"
    assert response.headers["ETag"] == '"1"'
    assert client.get("/chips/example-new-chip").get_json()["version"] == 1
    again = client.put(
        "/chips/example-new-chip", json=body["body"], headers={**editor, "If-None-Match": "*"}
    )
    assert again.status_code == 412 and again.headers["ETag"] == '"1"'


def test_create_only_put_needs_a_slug_id(client, editor):
    body, _ = head(client, CHIP)
    response = client.put(
        "/chips/Not_A_Slug", json=body["body"], headers={**editor, "If-None-Match": "*"}
    )
    assert response.status_code == 422 and "path.id" in response.get_json()["errors"]


def test_if_none_match_star_put_revives_a_deleted_resource(client, editor, db):
    body, _ = head(client, CHIP)
    tombstone(db, "chips", "nvidia-a100")
    response = client.put(CHIP, json=body["body"], headers={**editor, "If-None-Match": "*"})
    assert response.status_code == 201
    assert client.get(CHIP).get_json()["version"] == body["version"] + 2


def test_put_if_match_on_a_resource_that_never_existed_is_412(client, editor):
    body, _ = head(client, CHIP)
    response = client.put(
        "/chips/never-was", json=body["body"], headers={**editor, "If-Match": "*"}
    )
    assert response.status_code == 412 and "ETag" not in response.headers


def test_if_none_match_naming_the_current_tag_makes_a_write_412(client, editor):
    _, etag = head(client, A4)
    response = patch(client, editor, A4, etag, **{"If-None-Match": f"W/{etag}"})
    assert response.status_code == 412
    assert problem_type(response) == "/problems/precondition-failed"


def test_if_none_match_naming_another_tag_lets_the_write_through(client, editor):
    _, etag = head(client, A4)
    assert patch(client, editor, A4, etag, **{"If-None-Match": '"1"'}).status_code == 200


def test_write_without_if_match_or_if_none_match_star_is_428(client, editor):
    response = patch(client, editor, A4, **{"If-None-Match": '"1"'})
    assert response.status_code == 428
    assert problem_type(response) == "/problems/precondition-required"


# --- fault 5: preconditions on reads ---------------------------------------------------------


def test_read_with_if_match_of_another_tag_is_412_and_of_its_own_is_200(client):
    _, etag = head(client, A4)
    assert client.get(A4, headers={"If-Match": etag}).status_code == 200
    failed = client.get(A4, headers={"If-Match": f"W/{etag}"})
    assert failed.status_code == 412 and failed.headers["ETag"] == etag
    assert problem_type(failed) == "/problems/precondition-failed"
    listed = client.get("/assumptions", headers={"If-Match": '"nope"'})
    assert listed.status_code == 412 and listed.mimetype == "application/problem+json"


def test_read_with_if_unmodified_since_before_its_last_change_is_412(client):
    assert (
        client.get(A4, headers={"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}).status_code
        == 412
    )
    assert (
        client.get(A4, headers={"If-Unmodified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}).status_code
        == 200
    )


def test_if_none_match_takes_precedence_over_if_modified_since(client):
    _, etag = head(client, A4)
    future = "Fri, 01 Jan 2100 00:00:00 GMT"
    headers = {"If-None-Match": '"other"', "If-Modified-Since": future}
    assert client.get(A4, headers=headers).status_code == 200
    assert client.get(A4, headers={"If-Modified-Since": future}).status_code == 304


def test_a_deleted_resource_answers_410_whatever_its_conditions(client, db):
    tombstone(db, "chips", "nvidia-a100")
    for headers in ({"If-None-Match": "*"}, {"If-Match": '"x"'}):
        assert client.get(CHIP, headers=headers).status_code == 410


# --- fault 6: validators that tell the truth ---------------------------------------------------

REPRESENTATIONS = {"json": "application/json", "md": "text/markdown", "html": "text/html"}
ACCEPTS = tuple(REPRESENTATIONS.values())


def tags_of(client, path, accepts=ACCEPTS):
    return {
        accept: client.get(path, headers={"Accept": accept}).headers["ETag"] for accept in accepts
    }


def test_each_representation_of_a_resource_has_its_own_etag_under_vary_accept(client):
    tags = tags_of(client, A4)
    assert len(set(tags.values())) == len(tags)
    for accept, tag in tags.items():
        response = client.get(A4, headers={"Accept": accept, "If-None-Match": tag})
        assert response.status_code == 304 and response.headers["ETag"] == tag
        assert "Accept" in response.headers["Vary"]
        for other, other_tag in tags.items():
            if other != accept:  # another representation's tag does not validate this one
                again = client.get(A4, headers={"Accept": accept, "If-None-Match": other_tag})
                assert again.status_code == 200


def test_format_query_and_accept_give_the_same_tag_for_the_same_bytes(client):
    for fmt, accept in REPRESENTATIONS.items():
        by_query = client.get(f"{A4}?format={fmt}")
        by_accept = client.get(A4, headers={"Accept": accept})
        assert by_query.data == by_accept.data
        assert by_query.headers["ETag"] == by_accept.headers["ETag"]


def test_csv_and_json_of_a_list_have_their_own_etags(client):
    tags = tags_of(client, "/chips", ["application/json", "text/csv", "text/markdown", "text/html"])
    assert len(set(tags.values())) == 4


@pytest.mark.parametrize("read", ["versions/1", "?as_of=2025-07-22"])
def test_html_naming_the_latest_version_changes_its_etag_when_the_latest_changes(
    client, editor, read
):
    path = f"{A4}/{read}" if read.startswith("versions") else f"{A4}{read}"
    html = {"Accept": "text/html"}
    before = client.get(path, headers=html)
    json_before = client.get(path).headers["ETag"]
    md_before = client.get(path, headers={"Accept": "text/markdown"}).headers["ETag"]
    _, etag = head(client, A4)
    assert patch(client, editor, A4, etag).status_code == 200
    latest = client.get(A4).get_json()["version"]
    after = client.get(path, headers={**html, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200, "a browser would keep a page naming the old latest"
    assert f"version {latest}</a>" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
    # the JSON and Markdown of that version do not name the latest: their bytes and tags stay
    assert client.get(path).headers["ETag"] == json_before
    assert client.get(path, headers={"Accept": "text/markdown"}).headers["ETag"] == md_before


READS_WITH_VALIDATORS = [
    "/",
    "/?format=md",
    "/assumptions",
    "/chips?format=csv",
    "/assumptions/a4/versions",
    "/changes",
    "/changes?format=md",
    "/changes.atom",
    "/openapi.json",
    "/releases",
    "/assumptions/a4/versions/2/diff",
    "/embed/assumptions/a4",
]


@pytest.mark.parametrize("path", READS_WITH_VALIDATORS)
def test_every_read_has_a_strong_etag_and_answers_304_to_it(client, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert client.get(path).headers["ETag"] == etag  # the same bytes, the same tag
    for field in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(path, headers={"If-None-Match": field})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.head(path, headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize(
    "path", ["/", "/assumptions", "/changes", "/changes.atom", "/assumptions/a4/versions"]
)
def test_read_validators_change_when_a_write_changes_the_answer(client, editor, path):
    accept = {"Accept": "text/html"} if path == "/" else {}
    before = client.get(path, headers=accept).headers["ETag"]
    _, etag = head(client, A4)
    assert patch(client, editor, A4, etag).status_code == 200
    response = client.get(path, headers={**accept, "If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before


def test_health_is_never_stored_so_it_carries_no_validator(client):
    response = client.get("/health")
    assert "ETag" not in response.headers and "no-store" in response.headers["Cache-Control"]
