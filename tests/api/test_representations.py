"""Markdown for wikis, CSV for spreadsheets, JSON by default; 406 for a format a shape lacks."""

import csv
import io

import pytest

from service.representations.presentation import headers_for

KINDS = {
    "framings": "sliding-scale",
    "assumptions": "a3",
    "watchlist": "uae-ai-annex",
    "chips": "huawei-ascend-910c",
    "controls": "h20-licence-reversal-2025-07",
}


@pytest.mark.parametrize(("kind", "id_"), KINDS.items())
def test_markdown_of_a_resource_ends_with_a_citation_of_its_permanent_url(client, kind, id_):
    response = client.get(f"/{kind}/{id_}?format=md")
    version = client.get(f"/{kind}/{id_}").get_json()["version"]
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/markdown" and text.startswith("# ")
    assert f"/{kind}/{id_}/versions/{version}>" in text.strip().splitlines()[-1]
    assert "## Sources" in text


def test_accept_text_markdown_selects_markdown(client):
    response = client.get("/assumptions/a3", headers={"Accept": "text/markdown"})
    assert response.mimetype == "text/markdown" and "Vary" in response.headers


def test_markdown_of_an_old_version_cites_that_version(client):
    text = client.get("/assumptions/a3/versions/1?format=md").get_data(as_text=True)
    assert "(assumptions/a3), version 1, recorded 2025-07-21." in text


def test_markdown_html_and_embeds_cite_a_version_the_same_way(client):
    # version 4 (4 December 2026) is the 910C's latest, what the embed shows
    cite = "Framings, chip “Huawei Ascend 910C” (chips/huawei-ascend-910c), version 4, recorded"
    for path in ("/chips/huawei-ascend-910c/versions/4", "/embed/chips/huawei-ascend-910c"):
        for fmt in ("md", "html"):
            assert cite in client.get(f"{path}?format={fmt}").get_data(as_text=True), (path, fmt)


@pytest.mark.parametrize("kind", KINDS)
def test_markdown_list_is_a_table_with_a_row_per_resource(client, kind):
    items = client.get(f"/{kind}?limit=200").get_json()["items"]
    text = client.get(f"/{kind}?limit=200&format=md").get_data(as_text=True)
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == len(items)


@pytest.mark.parametrize("kind", KINDS)
def test_csv_list_has_stable_columns_and_a_row_per_resource(client, kind):
    response = client.get(f"/{kind}?limit=200", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert rows[0] == headers_for(kind)
    assert len(rows) - 1 == len(client.get(f"/{kind}?limit=200").get_json()["items"])


def test_csv_of_chips_carries_the_figures(client):
    text = client.get("/chips?origin=china&format=csv").get_data(as_text=True)
    row = next(
        r
        for r in csv.DictReader(io.StringIO(text))
        if r["id"] == "nvidia-h20" or r["id"] == "huawei-ascend-910c"
    )
    assert float(row["tpp"]) > 0 and row["origin"] == "china"


def test_csv_of_one_resource_is_406(client):
    response = client.get("/chips/nvidia-h20?format=csv")
    assert response.status_code == 406 and response.mimetype == "application/problem+json"


def test_history_as_csv_and_markdown(client):
    assert (
        client.get("/assumptions/a3/versions?format=csv")
        .get_data(as_text=True)
        .startswith("kind,id,version")
    )
    assert "# History of assumptions/a3" in client.get(
        "/assumptions/a3/versions?format=md"
    ).get_data(as_text=True)


def test_score_as_markdown_has_a_criteria_table_per_framing_and_provenance(client):
    text = client.get("/controls/h20-licence-reversal-2025-07/score?format=md").get_data(
        as_text=True
    )
    assert text.count("| criterion | weight |") == 2
    assert "sha256:" in text and "Scored by Framings scorer" in text


def test_score_as_markdown_leads_each_framing_with_impact_its_range_and_words(client):
    path = "/controls/oct-2022-rule/score"
    answer = client.get(path).get_json()
    text = client.get(f"{path}?format=md").get_data(as_text=True)
    sections = text.split("\n## ")[1:]
    for f, section in zip(answer["framings"].values(), sections, strict=True):
        low, high = f["impact_range"]["low"], f["impact_range"]["high"]
        heading = section.split("\n", 1)[0]
        assert heading.endswith(f"impact {f['impact']:+.2f}") and "score" not in heading
        lead = section.index(f"**Impact {f['impact']:+.2f}**")
        assert section.index(f"range {low:+.2f} to {high:+.2f}") > lead
        for said in (f["centrality"], f"{f['effect']} effect", f["certainty"]):
            assert said in section[lead : section.index("Robust impact")]
        assert lead < section.index(f"alignment {f['alignment']:+.2f}")
        assert "| factor | value | why |" in section


def test_score_as_markdown_of_a_measure_of_china_s_reads_it_as_evidence(client):
    body = {
        "name": "Beijing guidance against buying H20s",
        "direction": "tighten",
        "instrument": "guidance",
        "layers": ["inference_chips"],
        "reach": ["china_market"],
        "targets": ["chinese_ai_developers"],
        "chips": ["nvidia-h20"],
        "imposed_by": "china",
    }
    answer = client.post("/score", json=body).get_json()
    text = client.post("/score?format=md", json=body).get_data(as_text=True)
    assert "## A measure China imposes" in text
    for b in answer["countermeasure"]["bears_on"]:
        assert f"- {b['assumption']} ({b['direction']})" in text
    assert f"**Classification:** {answer['countermeasure']['classification']['value']}" in text
    assert text.count("**Classification:**") == 1
    assert "**Impact" not in text and "| criterion |" not in text


def test_diff_as_markdown_is_a_table(client):
    text = client.get("/assumptions/a3/versions/2/diff?format=md").get_data(as_text=True)
    assert "| op | path | old | new |" in text


def test_changes_as_csv_starts_with_seq(client):
    text = client.get("/changes?format=csv").get_data(as_text=True)
    assert text.startswith("seq,kind,id,version")


def test_markdown_table_cells_cannot_break_the_table(client, editor):
    body = client.get("/chips/nvidia-h20").get_json()["body"]
    etag = client.get("/chips/nvidia-h20").headers["ETag"]
    body["name"] = "Pipe | and\nnewline"
    client.put("/chips/nvidia-h20", json=body, headers={**editor, "If-Match": etag})
    text = client.get("/chips?format=md").get_data(as_text=True)
    row = next(line for line in text.splitlines() if "nvidia-h20" in line)
    assert "Pipe \\| and newline" in row


def test_unsupported_format_on_a_score_is_406(client):
    assert client.get("/controls/h20-licence-reversal-2025-07/score?format=csv").status_code == 406


def test_csv_quotes_text_a_spreadsheet_would_run_as_a_formula(client, editor):
    body = client.get("/chips/nvidia-h20").get_json()["body"]
    etag = client.get("/chips/nvidia-h20").headers["ETag"]
    body["name"] = '=HYPERLINK("http://evil")'
    client.put("/chips/nvidia-h20", json=body, headers={**editor, "If-Match": etag})
    rows = csv.DictReader(io.StringIO(client.get("/chips?format=csv").get_data(as_text=True)))
    assert next(r for r in rows if r["id"] == "nvidia-h20")["name"].startswith("'=")


def test_csv_keeps_negative_numbers_as_numbers(client):
    rows = csv.DictReader(io.StringIO(client.get("/controls?format=csv").get_data(as_text=True)))
    assert "-1" in {r["expected_sliding_scale"] for r in rows}
