"""FRAMINGS_PUBLIC_URL: absolute links name the configured origin, never a forged Host."""

import pytest

from service import create_app

PUBLIC = "https://framings.example.org"
FORGED = {"Host": "evil.example"}
# Answers that write absolute links: the Atom feed, Markdown, an HTML page, an embed.
LINKED = [
    ("/changes.atom", {}),
    ("/assumptions", {"Accept": "text/markdown"}),
    ("/assumptions/a3", {"Accept": "text/markdown"}),
    ("/assumptions/a3", {"Accept": "text/html"}),
    ("/embed/assumptions/a3", {}),
]


@pytest.fixture
def public_client(db_path, monkeypatch):
    monkeypatch.setenv("FRAMINGS_PUBLIC_URL", PUBLIC + "/")
    return create_app({"DATABASE": str(db_path), "TESTING": True}).test_client()


@pytest.mark.parametrize(("path", "headers"), LINKED)
def test_links_name_the_public_url_whatever_the_host(public_client, path, headers):
    answer = public_client.get(path, headers={**headers, **FORGED})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    text = answer.get_data(as_text=True)
    assert "evil.example" not in text
    assert PUBLIC + "/" in text


def test_without_a_public_url_links_follow_the_request_host(client):
    answer = client.get("/changes.atom", headers=FORGED)
    assert "http://evil.example/" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("path", "headers"), LINKED)
def test_an_answer_for_one_host_is_never_given_to_another(client, path, headers):
    client.get(path, headers={**headers, **FORGED})
    answer = client.get(path, headers={**headers, "Host": "framings.example.org"})
    assert "evil.example" not in answer.get_data(as_text=True)
