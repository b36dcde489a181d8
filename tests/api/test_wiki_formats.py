"""?format=wiki (MediaWiki wikitext) and ?format=confluence (storage format) through the API:
every shape answers, each with its own validator, and no content can add markup: a body whose
every string is an injection parses (mwparserfromhell; md2conf's lxml checker) to the same
structure as the same body with plain words."""

import itertools

import mwparserfromhell
import pytest
from md2conf.csf import elements_from_string

from tests.conftest import H20_APPROVAL, append_version

INJECTIONS = (
    "{{Delete|now}}",
    "[[Category:Spam]]",
    "~~~~",
    "<ref>fake</ref><references/>",
    "a | b || c",
    "'''bold''' and ''italic''",
    "__NOTOC__ __FORCETOC__",
    "<script>alert(1)</script>",
    "== Heading ==",
    "* list\n# numbered\n: indent\n; term\n----\n pre",
    "{| class=wikitable\n|-\n| cell\n|}",
    "[http://evil.example click] http://evil.example/free mailto:x@evil.example",
    "&lt;b&gt;not bold&lt;/b&gt; &amp; &#91;",
    "<nowiki>x</nowiki><!-- comment -->",
    "{{{1}}} {{#if:x|y}} {{!}}",
    "[[File:Evil.png|thumb]]",
    "]]>&<![CDATA[x]]><ac:structured-macro ac:name='html'/>\x00\x0b",
    "'tick' '",
    "-{ zh }- ~~~ ==",
)
WIKI_TEMPLATES = {"Framings infobox", "Framings citation", "Framings link", "Framings withdrawn"}
RESOURCES = (
    ("assumptions", "a3"),
    ("framings", "sliding-scale"),
    ("watchlist", "uae-ai-annex"),
    ("chips", "nvidia-h20"),
    ("controls", "h20-licence-reversal-2025-07"),
)
SHAPES = (
    "/assumptions/a3",
    "/assumptions/a3/versions/2",
    "/assumptions",
    "/watchlist?status=active",
    "/assumptions/a3/versions",
    "/assumptions/a3/versions/4/diff?from=3",
    "/changes?limit=20",
    "/",
    "/review",
    "/controls/h20-licence-reversal-2025-07/score",
)


def replaced(value, words):
    """`value` with every string in it (not keys) replaced by the next of `words`."""
    if isinstance(value, str):
        return next(words)
    if isinstance(value, list):
        return [replaced(v, words) for v in value]
    if isinstance(value, dict):
        return {k: replaced(v, words) for k, v in value.items()}
    return value


def wiki_structure(text: str) -> list:
    """The markup of wikitext, its text left out: templates, links, tags, headings."""
    shape = []
    for node in mwparserfromhell.parse(text).filter(recursive=True):
        kind = type(node).__name__
        if kind == "Template":
            shape.append((kind, str(node.name).strip(), [str(p.name) for p in node.params]))
        elif kind == "Tag":
            shape.append((kind, str(node.tag), node.wiki_markup))
        elif kind == "Heading":
            shape.append((kind, node.level))
        elif kind not in ("Text", "HTMLEntity"):
            shape.append((kind,))
    return shape


def confluence_structure(text: str) -> list:
    return [(element.tag, sorted(element.attrib)) for element in elements_from_string(text).iter()]


def written(client, db, kind, id_, words):
    body = client.get(f"/{kind}/{id_}").get_json()["body"]
    append_version(db, kind, id_, replaced(body, words))


@pytest.mark.parametrize("kind,id_", RESOURCES)
def test_injected_content_adds_no_wikitext_markup(client, db, kind, id_):
    written(client, db, kind, id_, itertools.repeat("plain words"))
    plain = client.get(f"/{kind}/{id_}?format=wiki").text
    written(client, db, kind, id_, itertools.cycle(INJECTIONS))
    injected = client.get(f"/{kind}/{id_}?format=wiki").text
    assert wiki_structure(injected) == wiki_structure(plain)
    names = {str(t.name).strip() for t in mwparserfromhell.parse(injected).filter_templates()}
    assert names <= WIKI_TEMPLATES
    assert "~~~" not in injected and "__NOTOC__" not in injected and "[[" not in injected


@pytest.mark.parametrize("kind,id_", RESOURCES)
def test_injected_content_adds_no_confluence_elements(client, db, kind, id_):
    written(client, db, kind, id_, itertools.repeat("plain words"))
    plain = client.get(f"/{kind}/{id_}?format=confluence").text
    written(client, db, kind, id_, itertools.cycle(INJECTIONS))
    injected = client.get(f"/{kind}/{id_}?format=confluence").text
    assert confluence_structure(injected) == confluence_structure(plain)


def test_a_posted_controls_score_escapes_its_name(client):
    control = {**H20_APPROVAL, "name": "{{Delete}} [[Category:Spam]] ~~~~ | ''x''"}
    wiki = client.post("/score?format=wiki", json=control)
    assert wiki.status_code == 200 and wiki.mimetype == "text/x-wiki"
    names = {str(t.name).strip() for t in mwparserfromhell.parse(wiki.text).filter_templates()}
    assert names <= WIKI_TEMPLATES and "[[" not in wiki.text and "~~~" not in wiki.text
    confluence = client.post("/score?format=confluence", json=control)
    assert confluence_structure(confluence.text)


@pytest.mark.parametrize("path", SHAPES)
@pytest.mark.parametrize(
    "fmt,media_type",
    [("wiki", "text/x-wiki"), ("confluence", "application/vnd.atlassian.confluence.storage+xml")],
)
def test_every_shape_answers_in_the_wiki_formats_with_its_own_validator(
    client, path, fmt, media_type
):
    url = f"{path}{'&' if '?' in path else '?'}format={fmt}"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == media_type
    assert first.headers["ETag"].startswith(f'"{fmt}-')
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    if fmt == "confluence":
        assert confluence_structure(first.text)  # well-formed, its namespaces known
    else:
        names = {t[1] for t in wiki_structure(first.text) if t[0] == "Template"}
        assert names <= WIKI_TEMPLATES and first.text.startswith(("{{Framings", "'''"))


def test_a_resource_page_carries_the_infobox_and_cites_its_permanent_version(client):
    text = client.get("/assumptions/a3?format=wiki").text
    infobox = mwparserfromhell.parse(text).filter_templates(matches="Framings infobox")[0]
    version = client.get("/assumptions/a3").get_json()["version"]
    for name in ("status", "credence", "last_reviewed", "version"):
        assert infobox.has(name)
    assert str(infobox.get("version").value) == str(version)
    (ref,) = [t for t in mwparserfromhell.parse(text).filter_tags() if t.tag == "ref"]
    assert f"/assumptions/a3/versions/{version}" in str(ref.contents)
    assert '{| class="wikitable sortable"' in text and "<references />" in text


def test_a_withdrawn_resource_is_a_withdrawn_page(client, db):
    append_version(db, "assumptions", "a6", None, note="withdrawn")
    version = client.get("/assumptions/a6/versions").get_json()["items"][-1]["version"]
    text = client.get(f"/assumptions/a6/versions/{version}?format=wiki").text
    assert "{{Framings withdrawn}}" in text and "status=withdrawn" in text


def test_web_urls_in_wikitext_cannot_break_out_of_their_link():
    from service.representations.wikitext_escape import web_url

    assert web_url("javascript:alert(1)") is None
    url = web_url("https://example.org/a]b|c{{x}}''~~~~ d?e=1&f=__x")
    assert not set("[]{}|' ~") & set(url) and "__" not in url and "&amp;" in url


@pytest.mark.parametrize("fmt", ["wiki", "confluence", "md"])
def test_citations_use_the_public_url_when_it_is_set(client, monkeypatch, fmt):
    monkeypatch.setenv("FRAMINGS_PUBLIC_URL", "https://framings.example/")
    version = client.get("/assumptions/a3").get_json()["version"]
    text = client.get(f"/assumptions/a3?format={fmt}", base_url="http://127.0.0.1:9").text
    assert f"https://framings.example/assumptions/a3/versions/{version}" in text
    assert "127.0.0.1" not in text


def test_the_atom_feed_links_to_the_public_url_when_it_is_set(client, monkeypatch):
    monkeypatch.setenv("FRAMINGS_PUBLIC_URL", "https://framings.example")
    feed = client.get("/changes.atom?limit=2", base_url="http://127.0.0.1:9").text
    assert 'href="https://framings.example/changes.atom?' in feed and "127.0.0.1" not in feed


def test_a_score_in_wikitext_leads_each_framing_with_its_impact_and_range(client):
    path = "/controls/oct-2022-rule/score"
    answer = client.get(path).get_json()
    text = client.get(f"{path}?format=wiki").get_data(as_text=True)
    for fid, f in answer["framings"].items():
        low, high = f["impact_range"]["low"], f["impact_range"]["high"]
        heading = f"== {fid} (version {f['version']}): "
        section = text[text.index(heading) :]
        assert section.split("\n", 1)[0].endswith(f"impact {f['impact']:+.2f} ==")
        said = f"Impact {f['impact']:+.2f} (range {low:+.2f} to {high:+.2f}): {f['centrality']}"
        assert said in section and section.index(said) < section.index("robust alignment")


def test_a_comparison_in_wikitext_ranks_by_impact(client):
    controls = [
        {
            "name": n,
            "direction": d,
            "instrument": "license_requirement",
            "layers": ["hbm"],
            "reach": ["china_production"],
        }
        for n, d in (("Tighten HBM", "tighten"), ("Loosen HBM", "loosen"))
    ]
    data = client.post("/score/compare", json={"controls": controls}).get_json()
    text = client.post("/score/compare?format=wiki", json={"controls": controls}).text
    for fid, ranking in data["rankings"].items():
        first = ranking["impact"][0]
        f = data["results"][first["index"]]["framings"][fid]
        assert f"{f['impact']:+.2f} {f['label'].replace('_', ' ')} (#1)" in text
    assert "(#?)" not in text
