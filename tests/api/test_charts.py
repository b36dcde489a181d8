"""POST /score/compare, GET /trajectory(.svg) and an assumption's credence (and its chart)."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from markupsafe import escape

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
        for key in ("impact", "robust_impact"):
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
                assert set(f) == {"impact", "robust_impact", "label", "robust_label", "alignment"}
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


def axis_ticks(root) -> list[tuple[float, str]]:
    """The x axis's (position, label) pairs."""
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "axis x")
    return [(float(t.get("x")), t.text) for t in axis.iter(f"{SVG}text")]


def marks(root) -> list[tuple[float, float, str]]:
    """Every mark as (x, y, its title)."""
    return [
        (float(c.get("cx")), float(c.get("cy")), c.findtext(f"{SVG}title"))
        for c in root.iter(f"{SVG}circle")
        if c.findtext(f"{SVG}title")
    ]


def pairs(values: list) -> list:
    return list(zip(values, values[1:], strict=False))


def test_trajectory_svg_ticks_its_time_axis_at_evenly_spaced_calendar_months(client):
    ticks = axis_ticks(parse_svg(client.get("/trajectory.svg")))
    days = [datetime.strptime(label, "%b %Y").date() for _, label in ticks]
    steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in pairs(days)}
    assert len(steps) == 1 and steps <= {1, 2, 3, 6, 12}
    assert 4 <= len(ticks) <= 11
    per_day = (ticks[-1][0] - ticks[0][0]) / (days[-1] - days[0]).days
    for (x, _), day in zip(ticks, days, strict=True):  # a real time axis: x follows the date
        assert x == pytest.approx(ticks[0][0] + per_day * (day - days[0]).days, abs=0.5)


def test_trajectory_svg_puts_each_control_where_its_date_falls(client):
    root = parse_svg(client.get("/trajectory.svg"))
    ticks = axis_ticks(root)
    origin = datetime.strptime(ticks[0][1], "%b %Y").date()
    end = datetime.strptime(ticks[-1][1], "%b %Y").date()
    per_day = (ticks[-1][0] - ticks[0][0]) / (end - origin).days
    items = client.get("/trajectory").get_json()["items"]
    for n, item in enumerate(items, start=1):
        x = next(x for x, _, title in marks(root) if title.startswith(f"{n}. {item['name']}"))
        day = date.fromisoformat(item["plotted_on"])
        assert x == pytest.approx(ticks[0][0] + per_day * (day - origin).days, abs=0.5)


def test_trajectory_svg_names_every_control_in_a_key_and_numbers_marks_beside_them(client):
    root = parse_svg(client.get("/trajectory.svg"))
    items = client.get("/trajectory").get_json()["items"]
    key = [t for t in root.iter(f"{SVG}text") if t.get("class") == "key-entry"]
    said = [t.findtext(f"{SVG}title") for t in key]
    assert said == [f"{n}. {i['name']} ({i['date']})" for n, i in enumerate(items, start=1)]
    assert all(i["date"] in "".join(t.itertext()) for t, i in zip(key, items, strict=True))
    numbers = [t for t in root.iter(f"{SVG}text") if t.get("class") == "mark-number"]
    assert len({t.text for t in numbers}) > len(items) // 2
    for number in numbers:  # each number sits within a few px of a mark of its control
        x, y = float(number.get("x")), float(number.get("y"))
        assert any(
            title.startswith(f"{number.text}. ") and abs(mx - x) < 25 and abs(my - y) < 25
            for mx, my, title in marks(root)
        )
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert max(float(t.get("y")) for t in key) < height


def test_trajectory_svg_plots_each_framing_s_impact(client):
    root = parse_svg(client.get("/trajectory.svg"))
    items = client.get("/trajectory").get_json()["items"]
    assert any(t.text == "impact" for t in root.iter(f"{SVG}text"))
    titles = [title for _, _, title in marks(root)]
    for n, item in enumerate(items, start=1):
        for fid, f in item["now"].items():
            name = "the sliding scale" if fid == "sliding-scale" else fid
            assert any(t.startswith(f"{n}. ") and f"{name} {f['impact']:+.2f}" in t for t in titles)
    ys = {round(y) for _, y, _ in marks(root)}
    assert len(ys) > 6  # graded readings, not a wall of ±1


def test_trajectory_markdown_and_csv_give_each_framing_s_impact(client):
    item = client.get("/trajectory").get_json()["items"][0]
    f = item["now"]["freeze-in-place"]
    text = client.get("/trajectory?format=md").get_data(as_text=True)
    assert (
        f"{f['impact']:+.2f} {f['label'].replace('_', ' ')} (robust {f['robust_impact']:+.2f})"
        in text
    )
    header = client.get("/trajectory?format=csv").get_data(as_text=True).splitlines()[0]
    assert "freeze-in-place_now_impact" in header and "freeze-in-place_now_robust_impact" in header


def test_trajectory_in_a_browser_is_a_page_with_the_chart_and_a_table_of_controls(client):
    response = client.get("/trajectory?status=in_force", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert '<img src="/trajectory.svg?status=in_force"' in text
    items = client.get("/trajectory?status=in_force").get_json()["items"]
    for n, item in enumerate(items, start=1):
        row = re.search(rf'<tr id="{item["id"]}">(.*?)</tr>', text, re.S).group(1)
        assert f'<td class="num">{n}</td>' in row and item["date"] in row
        assert str(escape(item["name"])) in row and f'href="{item["url"]}"' in row
    assert client.get("/trajectory", headers={"Accept": "*/*"}).mimetype == "application/json"


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
    # a3 first moved on 21 August 2025 (DeepSeek tuning for domestic chips)
    earlier = client.get("/assumptions/a3/credence?as_of=2025-08-22").get_json()
    assert [s["credence"] for s in earlier["steps"]] == [0.3, 0.28]


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
