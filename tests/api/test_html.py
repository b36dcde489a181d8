"""The HTML face: pages a browser gets, the score form, wiki embeds and SVG badges."""

import copy
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from markupsafe import escape

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SAMPLES = {
    "framings": "sliding-scale",
    "assumptions": "a3",
    "watchlist": "uae-ai-annex",
    "chips": "nvidia-h20",
    "controls": "h20-licence-reversal-2025-07",
}
EVIL = '<script>alert("x")</script> & <b>bold</b>'
VALID_FORM = {
    "name": "Sell H20s again",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "linked_to_negotiations": "on",
    "chips": ["nvidia-h20"],
}
VALID_JSON = {**VALID_FORM, "linked_to_negotiations": True, "extraterritorial": False}


def esc(text: str) -> str:
    """Text as Jinja's autoescape writes it."""
    return str(escape(text))


class Links(HTMLParser):
    """Every href and src on a page."""

    def __init__(self, text: str):
        super().__init__()
        self.urls: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def latest(client, kind: str, id_: str) -> dict:
    return client.get(f"/{kind}/{id_}").get_json()


def card(text: str, framing: str) -> str:
    """One framing's card on a score page."""
    return re.search(rf'<article [^>]*id="framing-{framing}">(.*?)</article>', text, re.S).group(1)


def row(text: str, row_id: str) -> str:
    return re.search(rf'<tr id="{row_id}">(.*?)</tr>', text, re.S).group(1)


def test_home_page_shows_both_framings_with_premise_and_criteria(client):
    text = page(client, "/")
    for id_ in ("sliding-scale", "freeze-in-place"):
        body = latest(client, "framings", id_)["body"]
        for value in (body["title"], body["premise"], body["criteria"][0]["label"]):
            assert esc(value) in text


def test_home_page_lists_six_assumptions_with_credence_and_history_link(client):
    text = page(client, "/")
    for n in range(1, 7):
        body = latest(client, "assumptions", f"a{n}")["body"]
        cells = row(text, f"a{n}")
        assert esc(body["title"]) in cells
        assert f'value="{body["assessment"]["credence"]}"' in cells
        assert f'href="/assumptions/a{n}/versions"' in cells


def test_home_page_groups_the_watchlist_by_status(client):
    text = page(client, "/")
    parts = text[text.index('id="watch-h"') :].split("<h3>")[1:]
    groups = {re.search(r'tag-(\w+)"', part).group(1): part for part in parts}
    for item in client.get("/watchlist?limit=200").get_json()["items"]:
        assert f'href="/watchlist/{item["id"]}"' in groups[item["body"]["status"]]


def test_home_page_links_the_score_form(client):
    assert 'href="/score/form"' in page(client, "/")


@pytest.mark.parametrize("kind", SAMPLES)
def test_resource_page_of_each_kind_has_its_citation_line(client, kind):
    item = latest(client, kind, SAMPLES[kind])
    text = page(client, f"/{kind}/{SAMPLES[kind]}")
    permanent = f"http://localhost/{kind}/{SAMPLES[kind]}/versions/{item['version']}"
    assert "Cite as:" in text and permanent in text and item["recorded_at"][:10] in text
    assert f'href="/{kind}/{SAMPLES[kind]}/versions"' in text


def test_browser_accept_gets_html_and_curl_accept_gets_json(client):
    assert client.get("/assumptions/a3", headers=BROWSER).mimetype == "text/html"
    assert client.get("/assumptions/a3", headers={"Accept": "*/*"}).mimetype == "application/json"


def test_format_html_query_gives_html_to_any_client(client):
    assert client.get("/assumptions/a3?format=html").mimetype == "text/html"


@pytest.mark.parametrize("kind", SAMPLES)
def test_list_page_links_every_item_of_the_kind(client, kind):
    urls = Links(page(client, f"/{kind}")).urls
    for item in client.get(f"/{kind}?limit=200").get_json()["items"]:
        assert f"/{kind}/{item['id']}" in urls


def test_history_page_links_each_version_and_its_diff_from_the_one_before(client):
    versions = latest(client, "assumptions", "a3")["version"]
    urls = Links(page(client, "/assumptions/a3/versions")).urls
    for n in range(1, versions + 1):
        assert f"/assumptions/a3/versions/{n}" in urls
    for n in range(2, versions + 1):
        assert f"/assumptions/a3/versions/{n}/diff?from={n - 1}" in urls


def test_diff_page_shows_each_path_with_old_and_new_values(client):
    diff = client.get("/assumptions/a3/versions/4/diff?from=3").get_json()
    text = page(client, "/assumptions/a3/versions/4/diff?from=3")
    for op in diff["patch"]:
        assert f"<code>{esc(op['path'])}</code>" in text
        if op["op"] == "replace" and isinstance(op["value"], str):
            assert esc(op["old"]) in text and esc(op["value"]) in text
    assert {"/assumptions/a3/versions/3", "/assumptions/a3/versions/4"} <= set(Links(text).urls)


def test_old_version_page_points_to_the_latest(client):
    text = page(client, "/assumptions/a3/versions/1")
    head = latest(client, "assumptions", "a3")["version"]
    assert f'href="/assumptions/a3/versions/{head}"' in text and "the latest is" in text


def test_score_form_offers_every_chip_of_the_catalogue(client):
    text = page(client, "/score/form")
    for chip in client.get("/chips?limit=200").get_json()["items"]:
        assert f'<option value="{chip["id"]}"' in text


def test_score_form_prefills_a_stored_control(client):
    text = page(client, "/score/form?control=h20-licence-reversal-2025-07")
    assert 'value="license_approval" selected' in text and 'value="nvidia-h20" selected' in text


def test_score_form_scores_a_valid_control_as_post_score_does(client):
    answer = client.post("/score", json=VALID_JSON).get_json()
    response = client.post("/score/form", data=VALID_FORM)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert esc(answer["verdict"]["summary"]) in text and answer["input_hash"] in text
    for fid, result in answer["framings"].items():
        assert f'<span class="big">{result["impact"]:+.2f}</span> impact' in card(text, fid)


def test_score_form_rerenders_a_bad_control_with_422_and_messages(client):
    form = {
        "name": "",
        "direction": "loosen",
        "instrument": "guidance",
        "reach": ["global"],
        "threshold_tpp": "lots",
        "description": "kept <here>",
    }
    response = client.post("/score/form", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and response.mimetype == "text/html"
    for field in ("name", "layers", "threshold_basis", "threshold_tpp"):
        assert f'id="{field}-error"' in text
    assert "Not a valid number." in text and "kept &lt;here&gt;" in text
    assert 'value="global" checked' in text


def test_score_form_rejects_an_unknown_chip_with_422(client):
    response = client.post("/score/form", data={**VALID_FORM, "chips": ["no-such-chip"]})
    assert response.status_code == 422 and "Unknown chip id(s): no-such-chip" in response.text


def test_stored_control_score_page_shows_verdict_and_criteria(client):
    path = "/controls/h20-licence-reversal-2025-07/score"
    answer = client.get(path).get_json()
    text = page(client, path)
    assert esc(answer["verdict"]["summary"]) in text
    criterion = answer["framings"]["sliding-scale"]["criteria"][0]
    assert esc(criterion["label"]) in text and esc(criterion["rationale"]) in text


def test_changes_and_release_pages_render(client, admin):
    assert "/assumptions/a3/versions/4" in Links(page(client, "/changes?limit=200")).urls
    client.post("/releases", json={"name": "r1", "description": "First"}, headers=admin)
    assert "/releases/r1" in Links(page(client, "/releases")).urls
    version = latest(client, "assumptions", "a1")["version"]
    assert f"/assumptions/a1/versions/{version}" in Links(page(client, "/releases/r1")).urls


def test_embed_fragment_is_self_contained_with_a_citation(client):
    response = client.get("/embed/assumptions/a3")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and response.headers["ETag"].startswith('"html-')
    # A whole page with no assets (its one <link> is the oEmbed discovery link, not fetched).
    assert 'rel="stylesheet"' not in text and "<script" not in text
    assert all(url.startswith("http://localhost/") for url in Links(text).urls)
    head = latest(client, "assumptions", "a3")["version"]
    assert f"http://localhost/assumptions/a3/versions/{head}" in text and 'style="' in text


def test_embed_has_a_markdown_twin(client):
    for response in (
        client.get("/embed/assumptions/a3?format=md"),
        client.get("/embed/assumptions/a3", headers={"Accept": "text/markdown"}),
    ):
        assert response.mimetype == "text/markdown"
        head = latest(client, "assumptions", "a3")["version"]
        assert f"/assumptions/a3/versions/{head}" in response.text and "NVIDIA" in response.text


def test_embed_honours_as_of(client):
    first = client.get("/assumptions/a3/versions/1").get_json()
    text = client.get(f"/embed/assumptions/a3?as_of={first['recorded_at']}").text
    assert "http://localhost/assumptions/a3/versions/1" in text


def test_embed_of_an_unknown_kind_or_id_is_404(client):
    assert client.get("/embed/widgets/a3").status_code == 404
    assert client.get("/embed/assumptions/a99").status_code == 404


def badge_texts(response) -> list[str]:
    svg = ET.fromstring(response.data)
    return [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize(
    "path", ["/controls/h20-licence-reversal-2025-07", "/watchlist/uae-ai-annex"]
)
def test_badge_is_svg_showing_the_score_under_each_framing(client, path):
    answer = client.get(f"{path}/score").get_json()
    response = client.get(f"{path}/badge.svg")
    assert response.mimetype == "image/svg+xml" and "max-age" in response.headers["Cache-Control"]
    texts = badge_texts(response)
    for framing, result in answer["framings"].items():
        label = result["label"].replace("_", " ")
        assert f"{framing} {result['impact']:+.2f} {label}" in texts
    title = ET.fromstring(response.data).findtext("{http://www.w3.org/2000/svg}title")
    low = answer["framings"]["sliding-scale"]["impact_range"]["low"]
    assert f"range {low:+.2f} to" in title


def test_badge_answers_304_to_its_own_etag(client):
    etag = client.get("/controls/oct-2022-rule/badge.svg").headers["ETag"]
    response = client.get("/controls/oct-2022-rule/badge.svg", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_watchlist_item_without_a_control_has_no_badge(client):
    assert client.get("/watchlist/trump-xi-summit/badge.svg").status_code == 404


def put(client, editor, kind, id_, change) -> None:
    item = client.get(f"/{kind}/{id_}")
    body = copy.deepcopy(item.get_json()["body"])
    change(body)
    response = client.put(
        f"/{kind}/{id_}", json=body, headers={**editor, "If-Match": item.headers["ETag"]}
    )
    assert response.status_code == 200, response.get_json()


def test_a_malicious_title_is_escaped_everywhere_it_shows(client, editor):
    put(client, editor, "assumptions", "a1", lambda body: body.update(title=EVIL))
    version = latest(client, "assumptions", "a1")["version"]
    for path in (
        "/",
        "/assumptions",
        "/assumptions/a1",
        "/embed/assumptions/a1",
        f"/assumptions/a1/versions/{version}/diff",
        "/assumptions/a1/versions",
    ):
        text = client.get(path, headers=BROWSER).get_data(as_text=True)
        assert "<script>alert" not in text and "<b>bold" not in text
    assert esc(EVIL) in page(client, "/assumptions/a1")


def test_a_malicious_control_name_leaves_the_badge_valid_xml(client, editor):
    put(client, editor, "controls", "oct-2022-rule", lambda body: body["control"].update(name=EVIL))
    response = client.get("/controls/oct-2022-rule/badge.svg")
    assert EVIL in ET.fromstring(response.data).find("{http://www.w3.org/2000/svg}title").text


def test_score_form_offers_targets_and_scores_the_ones_ticked_as_named(client):
    assert 'value="chinese_chip_industry"' in page(client, "/score/form")
    form = {**VALID_FORM, "targets": ["chinese_chip_industry"]}
    answer = client.post("/score", json={**VALID_JSON, "targets": ["chinese_chip_industry"]})
    text = client.post("/score/form", data=form).get_data(as_text=True)
    assert answer.get_json()["input_hash"] in text


def test_score_form_prefills_the_targets_of_a_stored_control(client):
    text = page(client, "/score/form?control=h20-licence-reversal-2025-07")
    assert 'value="chinese_ai_developers" checked' in text


def test_a_watch_item_signalling_transactional_bargaining_says_so_on_every_html_face(client):
    item = "rare-earth-licensing"
    assert client.get(f"/watchlist/{item}").get_json()["body"]["signals"]["level"] == (
        "transactional_bargaining"
    )
    for path in ("/", "/watchlist", f"/watchlist/{item}", f"/embed/watchlist/{item}"):
        assert "transactional bargaining" in page(client, path), path


@pytest.mark.parametrize("framing", ["sliding-scale", "freeze-in-place"])
def test_framing_page_criteria_table_prints_no_python_lists_or_none(client, framing):
    table = page(client, f"/framings/{framing}").split("<h2>Criteria</h2>")[1].split("</table>")[0]
    for leak in ("None", "[&#39;", "[&#34;", "['", "{&#39;", "True", "False"):
        assert leak not in table


def test_framing_page_says_each_band_of_a_banded_criterion_with_null_bands_not_applicable(client):
    body = latest(client, "framings", "sliding-scale")["body"]
    criterion = next(c for c in body["criteria"] if c["id"] == "ss-foreign-availability")
    cells = row(page(client, "/framings/sliding-scale"), criterion["id"])
    edges = criterion["bands"]["edges"]
    assert f"under {edges[0]}: tighten −1.0, loosen +1.0" in cells
    assert f"{edges[1]} to under {edges[2]}: not applicable" in cells
    assert f"{edges[-1]} or more: not applicable" in cells
    for text in criterion["rationale"]["tighten"]:
        assert esc(text) in cells


def test_framing_page_says_when_a_criterion_applies_in_words(client):
    cells = row(page(client, "/framings/sliding-scale"), "ss-production-controls-stay")
    assert esc("It covers chipmaking equipment or HBM and it reaches China's market") in cells
    assert "<em>or</em> It is a servicing restriction" in cells
    assert f'{esc("/assumptions/a2")}">a2</a> (must hold)' in cells


def test_score_form_takes_who_imposes_and_effect_size_and_scores_them_as_post_score_does(client):
    assert 'name="imposed_by"' in page(client, "/score/form")
    extra = {"imposed_by": "ally", "breadth": "named_entities", "stage": "proposed"}
    answer = client.post("/score", json={**VALID_JSON, **extra})
    text = client.post("/score/form", data={**VALID_FORM, **extra}).get_data(as_text=True)
    assert answer.get_json()["input_hash"] in text


def test_score_form_prefills_the_stage_of_a_stored_control(client):
    text = page(client, "/score/form?control=chip-security-act")
    assert 'value="proposed" selected' in text


CHINA_GUIDANCE = {
    "name": "Beijing guidance against buying H20s",
    "direction": "tighten",
    "instrument": "guidance",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "targets": ["chinese_ai_developers"],
    "chips": ["nvidia-h20"],
    "imposed_by": "china",
}


def test_score_page_leads_each_framing_with_impact_its_range_and_words_not_a_score_of_100(client):
    path = "/controls/oct-2022-rule/score"
    answer = client.get(path).get_json()
    text = page(client, path)
    assert "/100" not in text
    for fid, f in answer["framings"].items():
        cells = card(text, fid)
        low, high = f["impact_range"]["low"], f["impact_range"]["high"]
        lead = cells.index(f'<span class="big">{f["impact"]:+.2f}</span> impact')
        assert f"tag-{f['label']}" in cells[lead:]
        assert f"Range {low:+.2f} to {high:+.2f}" in cells
        assert f'aria-label="Impact {f["impact"]:+.2f} on a scale' in cells
        for said in (f["centrality"], f"{f['effect']} effect", f["certainty"]):
            assert said in cells
        secondary = cells.index('class="muted secondary"')
        assert lead < secondary < cells.index(f"alignment {f['alignment']:+.2f}")
        assert f"robust alignment {f['robust_alignment']:+.2f}" in cells[secondary:]


def test_score_page_says_why_each_impact_has_its_size_factor_by_factor(client):
    path = "/controls/oct-2022-rule/score"
    answer = client.get(path).get_json()
    text = page(client, path)
    for fid, f in answer["framings"].items():
        for factor in f["impact_factors"]:
            cells = row(text, f"factor-{fid}-{factor['factor']}")
            assert f"{factor['value']:.2f}".rstrip("0").rstrip(".") in cells
            assert esc(factor["reason"]) in cells


def test_score_page_of_a_measure_of_china_s_shows_the_evidence_and_no_framing_reading(client):
    answer = client.post("/score", json=CHINA_GUIDANCE).get_json()
    response = client.post("/score", json=CHINA_GUIDANCE, headers=BROWSER)
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "A measure China imposes" in text and "Favoured: <strong>neither</strong>" in text
    for b in answer["countermeasure"]["bears_on"]:
        assert f'href="/assumptions/{b["assumption"]}"' in text and esc(b["reason"]) in text
    assert esc(answer["countermeasure"]["classification"]["reasons"][0]) in text
    for fid in answer["framings"]:
        cells = card(text, fid)
        assert "tag-not_applicable" in cells and '<span class="big">—</span>' in cells
        assert "impact-bar" not in cells and "Range" not in cells
    assert "Criteria of" not in text
