"""The model's content against issue 10: citations, one description per measure, signals,
the seed's claims, targets, estimates marked in every representation."""

import csv
import io

import pytest

from service.fixtures import read_histories
from tests.conftest import FIXTURES

HISTORIES = read_histories(FIXTURES)
LATEST = {(h["kind"], h["id"]): h["versions"][-1] for h in HISTORIES}
SEED = "004_7c0f5d4bc74b5b6b"
SEED_TITLE = "Back to the Future: From Freeze-in-Place to Sliding-Scale Chip Controls"
MINE = ("assumptions", "watchlist", "controls", "chips")
# Watch items that are the same measure as a stored control: one description of it.
SAME_MEASURE = {
    "affiliates-rule": "affiliates-50-percent-rule",
    "chip-security-act": "chip-security-act",
    "remote-access-security-act": "remote-access-security-act",
    "sme-servicing-fdpr": "sme-servicing-fdpr",
    "veu-revocation-china-fabs": "veu-revocation-china-fabs",
}
TRANSACTIONAL = {
    "rare-earth-licensing",
    "samr-nvidia-mellanox",
    "trump-xi-summit",
    "ck-hutchison-ports",
    "market-reciprocity-bargain",
}
SEED_CLAIMS = {
    "controls-failure-verdict",
    "chinese-ai-breakthroughs",
    "uncoordinated-tech-policy",
    "china-self-reliance-drive",
    "market-reciprocity-bargain",
    "congress-pushback",
}
BROWSER = {"Accept": "text/html"}


def all_sources(value):
    if isinstance(value, dict):
        if "publisher" in value and "title" in value:
            yield value
        for item in value.values():
            yield from all_sources(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_sources(item)


def test_the_seed_is_cited_by_its_public_title_and_probable_publisher_everywhere():
    for history in HISTORIES:
        if history["kind"] not in MINE:
            continue
        for version in history["versions"]:
            assert "Trivium" not in version["change_note"]
            for source in all_sources(version["body"]):
                assert "Trivium" not in source["publisher"]
                if source.get("seed") == SEED:
                    assert source["title"] == SEED_TITLE
                    assert source["publisher"] == "probably Rhodium Group (unconfirmed)"


def test_readmes_cite_the_seed_by_its_title():
    for path in (FIXTURES.parent / "README.md", FIXTURES / "README.md"):
        text = path.read_text(encoding="utf-8")
        assert "Trivium" not in text, path


def test_no_fact_the_seed_does_not_state_is_cited_to_it():
    """The April 2025 thresholds come from the FT's report of Intel's notice, not the seed."""
    for history in HISTORIES:
        for version in history["versions"]:
            body = version["body"] or {}
            for item in [*body.get("updates", []), *body.get("evidence", [])]:
                if "1,400" in item["summary"]:
                    assert item["source"].get("seed") != SEED


@pytest.mark.parametrize("watch,control", sorted(SAME_MEASURE.items()))
def test_one_description_per_measure(watch, control):
    assert (
        LATEST[("watchlist", watch)]["body"]["control"]
        == LATEST[("controls", control)]["body"]["control"]
    )


def test_every_stored_and_embedded_control_names_its_targets_as_of_2026_11_29():
    for (kind, id_), version in LATEST.items():
        control = (version["body"] or {}).get("control")
        if kind in ("controls", "watchlist") and control:
            assert control.get("targets"), f"{kind}/{id_}"
            assert version["recorded_at"] >= "2026-11-29T00:00:00Z"
            history = next(h for h in HISTORIES if (h["kind"], h["id"]) == (kind, id_))
            earlier = [v for v in history["versions"] if v["recorded_at"] < "2026-11-29"]
            assert all("targets" not in (v["body"].get("control") or {}) for v in earlier)


def test_the_affiliates_suspension_is_a_loosening_of_its_own():
    suspension = LATEST[("controls", "affiliates-rule-suspension-2025-11")]["body"]
    rule = LATEST[("controls", "affiliates-50-percent-rule")]["body"]
    assert suspension["control"]["direction"] == "loosen"
    assert suspension["control"]["linked_to_negotiations"] is True
    assert rule["control"]["direction"] == "tighten"
    assert rule["control"]["linked_to_negotiations"] is False


def test_transactional_moves_signal_transactional_bargaining():
    for id_ in TRANSACTIONAL:
        signals = LATEST[("watchlist", id_)]["body"]["signals"]
        assert signals == {"level": "transactional_bargaining", "why": signals["why"]}
    assert "a6" not in LATEST[("watchlist", "ck-hutchison-ports")]["body"]["assumptions"]
    assert "ck-hutchison-ports" not in LATEST[("assumptions", "a6")]["body"]["watchlist"]


def test_the_seed_s_missing_claims_read_as_the_seed_on_its_date(client):
    for id_ in SEED_CLAIMS:
        body = client.get(f"/watchlist/{id_}?as_of=2025-07-21").get_json()["body"]
        assert any(s.get("seed") == SEED for s in body["sources"])
    bargain = client.get("/watchlist/market-reciprocity-bargain?as_of=2025-07-21").get_json()
    assert bargain["body"]["quotes"][0]["speaker"].startswith("Scott Bessent")


def test_the_eda_controls_tell_one_timeline():
    imposed = LATEST[("controls", "eda-licence-requirements-2025-05")]["body"]
    lifted = LATEST[("controls", "eda-licence-lifted-2025-07")]["body"]
    assert imposed["date"] < lifted["date"]
    for body in (imposed, lifted):
        assert "after the Geneva truce" in body["summary"]
        assert "ahead of the Geneva reset" in body["summary"]  # where the seed differs


def test_every_assessment_and_watch_item_carries_a_review_date():
    for history in HISTORIES:
        for version in history["versions"]:
            body = version["body"] or {}
            if history["kind"] == "assumptions":
                assert body["assessment"]["last_reviewed"]
            if history["kind"] == "watchlist":
                assert body["last_reviewed"]


def test_latest_reads_as_november_2026_with_sources(client):
    for kind in ("assumptions", "watchlist"):
        for item in client.get(f"/{kind}?limit=200").get_json()["items"]:
            reviewed = (
                item["body"]["assessment"]["last_reviewed"]
                if kind == "assumptions"
                else item["body"]["last_reviewed"]
            )
            assert reviewed >= "2026-11-29", item["id"]


@pytest.mark.parametrize(
    "signals,field",
    [
        ({"level": "transactional_bargaining", "framing": "sliding-scale", "why": "x"}, "framing"),
        ({"level": "worldview", "why": "x"}, "framing"),
        ({"level": "worldview", "framing": "middle-way", "why": "x"}, "framing"),
        ({"level": "haggling", "why": "x"}, "level"),
    ],
)
def test_signals_vocabulary_is_validated(client, editor, signals, field):
    current = client.get("/watchlist/rare-earth-licensing")
    body = {**current.get_json()["body"], "signals": signals}
    response = client.put(
        "/watchlist/rare-earth-licensing",
        json=body,
        headers={**editor, "If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 422
    assert f"signals.{field}" in response.get_json()["errors"]


def test_estimates_read_as_estimates_in_markdown_csv_and_html(client):
    md = client.get("/chips?format=md&limit=200").text
    row = next(line for line in md.splitlines() if "huawei-ascend-910c" in line)
    assert "12800 (est.)" in row
    nvidia = next(line for line in md.splitlines() if "nvidia-h100" in line)
    assert "(est.)" not in nvidia
    rows = list(csv.DictReader(io.StringIO(client.get("/chips?format=csv&limit=200").text)))
    c910 = next(r for r in rows if r["id"] == "huawei-ascend-910c")
    assert float(c910["tpp"]) == 12800 and "tpp" in c910["estimates"].split("; ")
    assert next(r for r in rows if r["id"] == "nvidia-h100")["estimates"] == ""
    html = client.get("/chips?limit=200", headers=BROWSER).text
    row = html[html.index('id="huawei-ascend-910c"') :]
    row = row[: row.index("</tr>")]
    assert "est." in row
    page = client.get("/chips/huawei-ascend-910c?format=md").text
    assert "(estimate)" in page


def test_control_markdown_shows_every_field(client):
    text = client.get("/controls/remote-access-security-act?format=md").text
    for label in (
        "Name", "Description", "Direction", "Instrument", "Layers", "Reach", "Targets",
        "Extraterritorial", "Linked to negotiations", "Threshold", "Chips",
    ):  # fmt: skip
        assert f"**{label}:**" in text, label
    assert "nvidia-h100" in text and "diversion" in text


def test_transactional_items_render_in_every_format(client):
    for fmt in ("md", "csv", "html"):
        response = client.get(f"/watchlist/rare-earth-licensing?format={fmt}")
        if fmt == "csv":
            response = client.get("/watchlist?format=csv&limit=200")
        assert response.status_code == 200, fmt
        assert "transactional" in response.text, fmt
