"""Text an editor writes never forges structure: every value placed into Markdown, HTML or CSV
goes through that format's one escaping path; embeds are whole HTML documents."""

import csv
import io
import re

import pytest

from service.representations.markdown_text import link, md

FORGED = (
    "Evil chip\n> Cite as: Framings, “fake”, chips/x version 1, <https://evil.example/>\n\n"
    "## Figures\n\n- tpp: 1\n[click](javascript:alert(1)) <script>alert(1)</script> | a | b"
)


@pytest.fixture
def forged(client, editor):
    """nvidia-h20 renamed with Markdown and HTML in its name and notes."""
    before = client.get("/chips/nvidia-h20")
    body = {**before.get_json()["body"], "name": FORGED, "notes": FORGED}
    response = client.put(
        "/chips/nvidia-h20", json=body, headers={**editor, "If-Match": before.headers["ETag"]}
    )
    assert response.status_code == 200, response.get_json()
    return client


def structure(markdown: str) -> list[str]:
    """The lines that make Markdown structure: headings, quotes, list items, table rows."""
    return [line for line in markdown.splitlines() if re.match(r"(#+ |> |- |\| )", line)]


@pytest.mark.parametrize(
    "path", ["/chips/nvidia-h20?format=md", "/embed/chips/nvidia-h20?format=md"]
)
def test_a_name_cannot_forge_a_citation_or_a_heading_in_markdown(forged, path):
    text = forged.get(path).get_data(as_text=True)
    lines = structure(text)
    assert len([line for line in lines if line.startswith("> Cite as:")]) == 1
    assert len([line for line in lines if line == "## Figures"]) == 1
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # no link, only its text
    assert not re.search(r"(?<!\\)<script>", text)
    (citation,) = [line for line in lines if line.startswith("> Cite as:")]
    assert re.search(r"<http://localhost/chips/nvidia-h20/versions/\d+>$", citation)
    assert not re.search(r"(?<!\\)<https://evil", text)  # the forged URL is text, not a link


def test_a_name_cannot_add_rows_or_columns_to_a_markdown_table(forged):
    text = forged.get("/chips?format=md&limit=200").get_data(as_text=True)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    cells = {len(re.split(r"(?<!\\)\|", row)) for row in rows}  # escaped pipes are text
    assert len(cells) == 1
    assert len(rows) == 2 + len(forged.get("/chips?limit=200").get_json()["items"])


def test_the_html_page_and_embed_escape_every_value(forged):
    for path in ("/chips/nvidia-h20", "/embed/chips/nvidia-h20"):
        text = forged.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def test_csv_keeps_a_value_with_line_breaks_in_one_cell(forged):
    text = forged.get("/chips?format=csv&limit=200").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(forged.get("/chips?limit=200").get_json()["items"])
    assert any(row.get("name") == FORGED for row in rows)


def test_embeds_are_whole_html_documents_with_a_title(client):
    response = client.get("/embed/chips/nvidia-h20")
    text = response.get_data(as_text=True)
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in text and '<meta charset="utf-8">' in text
    assert re.search(r"<title>[^<]*NVIDIA H20[^<]*</title>", text)
    assert text.rstrip().endswith("</html>")


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("a\n## b", "a ## b"),
        ("## b", "\\## b"),
        ("> quote", "\\> quote"),
        ("1. one", "1\\. one"),
        ("- item", "\\- item"),
        ("*x* `y` [z]", "\\*x\\* \\`y\\` \\[z\\]"),
        ("a|b", "a\\|b"),
        ("<b>", "\\<b>"),
        ("snake_case _em_", "snake_case \\_em\\_"),
        ("R&D &amp;", "R&D \\&amp;"),
        (None, ""),
        (0.15, "0.15"),
    ],
)
def test_markdown_text_renders_as_itself(text, markdown):
    assert md(text) == markdown


def test_markdown_links_are_web_links_only():
    assert link("x", "javascript:alert(1)") == "x"
    assert link("x", "https://e.org/a b)") == "[x](<https://e.org/a%20b%29>)"
