"""POST /score/compare, GET /trajectory(.svg) and an assumption's credence (and its chart)."""

import xml.etree.ElementTree as ET

import pytest

from tests.api.test_scoring_dynamics import H20_APPROVAL, loosening_of

SVG = "{http://www.w3.org/2000/svg}"
OCT_2022 = {
    "name": "October 2022 rule",
    "direction": "tighten",
    "instrument": "license_requirement",
    "layers": ["training_chips", "manufacturing_equipment"],
    "reach": ["china_market", "china_production"],
    "threshold": {"basis": "fixed", "tpp": 4800},
}


# --- compare ---


def test_compare_answers_each_control_and_ranks_them_per_framing(client):
    body = {"controls": [H20_APPROVAL, OCT_2022, loosening_of("nvidia-h200")]}
    response = client.post("/score/compare", json=body)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert len(data["results"]) == 3
    single = client.post("/score", json=OCT_2022).get_json()
    assert data["results"][1] == single
    for fid, ranking in data["rankings"].items():
        for key in ("alignment", "robust_alignment"):
            values = [entry[key] for entry in ranking[key]]
            assert values == sorted(values, reverse=True)
            assert sorted(e["index"] for e in ranking[key]) == [0, 1, 2]
            for entry in ranking[key]:
                assert entry[key] == data["results"][entry["index"]]["framings"][fid][key]


@pytest.mark.parametrize("count", [0, 1, 21])
def test_compare_takes_two_to_twenty_controls(client, count):
    response = client.post("/score/compare", json={"controls": [OCT_2022] * count})
    assert response.status_code == 422
    assert "controls" in response.get_json()["errors"]


def test_compare_names_the_bad_field_of_the_bad_control(client):
    bad = {**OCT_2022, "direction": "sideways"}
    response = client.post("/score/compare", json={"controls": [OCT_2022, bad]})
    assert response.status_code == 422
    assert "controls.1.direction" in response.get_json()["errors"]
    unknown = {**OCT_2022, "chips": ["no-such-chip"]}
    response = client.post("/score/compare", json={"controls": [unknown, OCT_2022]})
    assert "controls.0.chips" in response.get_json()["errors"]


def test_compare_as_a_markdown_table(client):
    body = {"controls": [H20_APPROVAL, OCT_2022]}
    text = client.post("/score/compare?format=md", json=body).get_data(as_text=True)
    assert text.startswith("# Compared controls")
    assert "| control |" in text and "October 2022 rule" in text and "(#1)" in text


# --- trajectory ---


def test_trajectory_scores_each_control_on_its_date_and_now_in_date_order(client):
    data = client.get("/trajectory").get_json()
    items = data["items"]
    assert len(items) >= 20
    assert [i["plotted_on"] for i in items] == sorted(i["plotted_on"] for i in items)
    assert set(data["framings"]) >= {"sliding-scale", "freeze-in-place"}
    first = items[0]
    assert first["id"] == "oct-2022-rule" and first["scored_as_of"] == "2022-10-07T23:59:59Z"
    for item in items:
        for when in ("then", "now"):
            for f in item[when].values():
                assert set(f) == {"alignment", "robust_alignment", "label", "robust_label"}
    # a control dated by month is scored at the end of that month, drawn on its first day
    monthly = next(i for i in items if i["date"] == "2025-07")
    assert monthly["scored_as_of"] == "2025-07-31T23:59:59Z"
    assert monthly["plotted_on"] == "2025-07-01"


def test_trajectory_now_matches_the_stored_score(client):
    item = next(i for i in client.get("/trajectory").get_json()["items"])
    stored = client.get(f"/controls/{item['id']}/score").get_json()
    for fid, f in item["now"].items():
        assert f["alignment"] == stored["framings"][fid]["alignment"]


def test_trajectory_shows_the_drift_from_freeze_in_place_to_the_sliding_scale(client):
    items = client.get("/trajectory").get_json()["items"]

    def lean(item):
        now = item["now"]
        return now["sliding-scale"]["alignment"] - now["freeze-in-place"]["alignment"]

    early = [lean(i) for i in items if i["date"] < "2025"]
    late = [lean(i) for i in items if i["date"] >= "2025-07"]
    assert sum(early) / len(early) < sum(late) / len(late)


def test_trajectory_filters_take_repeated_values_as_either(client):
    everything = client.get("/trajectory").get_json()["items"]
    one = client.get("/trajectory?status=in_force").get_json()["items"]
    two = client.get("/trajectory?status=in_force&status=pending").get_json()["items"]
    assert one and all(i["status"] == "in_force" for i in one)
    assert len(one) < len(two) < len(everything)
    chips = client.get("/trajectory?targets=chinese_chip_industry").get_json()["items"]
    assert chips and all("chinese_chip_industry" in i["targets"] for i in chips)
    listed = client.get("/trajectory?instrument=entity_listing").get_json()["items"]
    assert listed and all(i["instrument"] == "entity_listing" for i in listed)
    assert client.get("/trajectory?status=bogus").status_code == 422


def test_trajectory_honours_as_of(client):
    earlier = client.get("/trajectory?as_of=2025-08-01").get_json()
    assert earlier["as_of"] == "2025-08-01T23:59:59Z"
    assert len(earlier["items"]) < len(client.get("/trajectory").get_json()["items"])


def test_trajectory_as_markdown_and_csv(client):
    text = client.get("/trajectory?format=md").get_data(as_text=True)
    assert "| date | control |" in text and "October 7, 2022" in text
    response = client.get("/trajectory", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("date,id,name,status")
    assert "sliding-scale_now_alignment" in lines[0]


def parse_svg(response):
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    return ET.fromstring(response.get_data())


def test_trajectory_svg_is_an_accessible_deterministic_chart(client):
    response = client.get("/trajectory.svg")
    root = parse_svg(response)
    assert root[0].tag == f"{SVG}title" and root[1].tag == f"{SVG}desc"
    assert root.get("role") == "img"
    marks = [t.text for t in root.iter(f"{SVG}title") if t.text and "(20" in t.text]
    assert any("October 2022" in m or "2022-10-07" in m for m in marks)
    assert b"<script" not in response.get_data()
    assert b"prefers-color-scheme" in response.get_data()
    assert client.get("/trajectory.svg").get_data() == response.get_data()
    assert response.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/trajectory.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# --- credence ---


def test_credence_history_steps_evidence_and_status_changes(client):
    data = client.get("/assumptions/a3/credence").get_json()
    steps = data["steps"]
    assert steps[0] == {
        "date": "2025-07-21",
        "credence": 0.3,
        "version": 1,
        "url": "/assumptions/a3/versions/1",
    }
    assert all(a["credence"] != b["credence"] for a, b in zip(steps, steps[1:], strict=False))
    assert {e["direction"] for e in data["evidence"]} <= {"supports", "undermines"}
    assert any(s["status"] == "broken" for s in data["statuses"])
    earlier = client.get("/assumptions/a3/credence?as_of=2025-08-01").get_json()
    assert [s["credence"] for s in earlier["steps"]] == [0.3, 0.25]


def test_credence_svg_marks_name_their_version(client):
    root = parse_svg(client.get("/assumptions/a3/credence.svg"))
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any("undermines" in t and "/assumptions/a3/versions/" in t for t in titles)
    assert any("status broken" in t for t in titles)
    assert client.get("/assumptions/nope/credence.svg").status_code == 404
    md = client.get("/assumptions/a3/credence?format=md").get_data(as_text=True)
    assert md.startswith("# Credence in assumption a3")


@pytest.mark.parametrize(
    "path, chart",
    [
        ("/framings", "/trajectory.svg"),
        ("/framings/sliding-scale", "/trajectory.svg"),
        ("/assumptions/a3", "/assumptions/a3/credence.svg"),
        ("/controls/oct-2022-rule/score", "/trajectory.svg"),
    ],
)
def test_the_html_face_shows_the_charts(client, path, chart):
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<img src="{chart}"' in html
    dated = client.get(path + "?as_of=2025-08-01", headers={"Accept": "text/html"})
    assert f'src="{chart}?as_of=' in dated.get_data(as_text=True)
