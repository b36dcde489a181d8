"""Point-in-time truth through the HTTP API: a read as of the seed's day cites only what was
public by that day, at day precision (a source dated to a month counts as its last day)."""

import calendar

import pytest

SEED_DAY = "2025-07-21"
KINDS = ("framings", "assumptions", "watchlist", "chips", "controls")
LATE_SEEDS = {"000_54e62ec877305d75", "001_ff4fe6b8fd156428", "002_a729c5eec0df45dc",
              "003_a762ae2abe46bd51"}  # fmt: skip


def last_day(date: str) -> str:
    if len(date) == 4:
        return f"{date}-12-31"
    if len(date) == 7:
        return f"{date}-{calendar.monthrange(int(date[:4]), int(date[5:]))[1]:02d}"
    return date


def sources_in(value):
    if isinstance(value, dict):
        if "publisher" in value and "title" in value:
            yield value
        for item in value.values():
            yield from sources_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from sources_in(item)


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_as_of_the_seed_day_cites_only_what_was_public_by_then(client, kind):
    items = client.get(f"/{kind}?as_of={SEED_DAY}&limit=200").get_json()["items"]
    assert items
    late = [
        (item["id"], source["title"], source["date"])
        for item in items
        for source in sources_in(item["body"])
        if last_day(source["date"]) > SEED_DAY or source.get("seed") in LATE_SEEDS
    ]
    assert not late


def test_the_former_officials_letter_of_28_july_appears_from_that_day_only(client):
    then = client.get(f"/framings/freeze-in-place?as_of={SEED_DAY}").get_json()["body"]
    after = client.get("/framings/freeze-in-place?as_of=2025-07-28").get_json()["body"]
    assert not any("28 July 2025" in p for p in then["proponents"])
    assert any("28 July 2025" in p for p in after["proponents"])


def test_a_proposal_first_made_after_the_seed_is_absent_on_the_seed_day(client):
    url = "/controls/h20-licences-existing-inventory"
    assert client.get(f"{url}?as_of={SEED_DAY}").status_code == 404
    later = client.get(f"{url}?as_of=2025-07-28")
    assert later.get_json()["body"]["sources"][0]["author"] == "Sam Winter-Levy"


@pytest.mark.parametrize("framing,first", [("freeze-in-place", 3), ("sliding-scale", 2)])
def test_a_framing_s_first_version_says_its_criteria_were_restated_later(client, framing, first):
    version = client.get(f"/framings/{framing}/versions/1").get_json()
    note = version["body"]["criteria_note"]
    assert note.startswith("Restated later, in the seed's terms")
    assert f"Version {first} is the first version that carried each of them" in note
    for criterion in version["body"]["criteria"]:
        assert criterion["id"] in note
    assert "restated later in the seed's terms" in version["change_note"]
    for fmt in ("md", "html"):
        page = client.get(f"/framings/{framing}/versions/1?format={fmt}").text
        assert "Restated later, in the seed" in page, fmt
