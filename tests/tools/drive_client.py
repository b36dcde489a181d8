"""Drives the client openapi-python-client generated from /openapi.json (run by
tests/test_generated_client.py, under the tools' own Python, where httpx and attrs are).

Only the generated functions and their parameters are used, as a newcomer would: a list, a
read, a version read, a stored and a proposed score, a batch, a create, and a full write cycle
(read, PATCH with If-Match and X-Change-Note, then conditional reads). Prints what it saw as
JSON for the test to check.
"""

import json
import sys
from urllib.parse import quote

from framings_api_client import AuthenticatedClient, Client
from framings_api_client.api.assumptions import (
    get_assumption,
    get_assumption_version,
    list_assumptions,
    update_assumption,
)
from framings_api_client.api.chips import create_chip, get_chip
from framings_api_client.api.controls import list_controls
from framings_api_client.api.score import get_control_score, score_batch, score_control
from framings_api_client.models import (
    BatchRequest,
    Chip,
    ListAssumptionsStatusItem,
    MergePatch,
    ScoreRequest,
)


def status_of(response) -> int:
    return int(response.status_code)


def main(base_url: str, token: str) -> None:
    reader = Client(base_url=base_url, raise_on_unexpected_status=True)
    editor = AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
    seen = {}

    page = list_assumptions.sync(client=reader, limit=3)
    seen["list"] = [item.id for item in page.items]
    holding = list_assumptions.sync(client=reader, status=[ListAssumptionsStatusItem.HOLDING])
    seen["list_filtered"] = sorted(
        {item.body.additional_properties["assessment"]["status"] for item in holding.items}
    )

    first = page.items[0].id
    read = get_assumption.sync_detailed(id=first, client=reader)
    seen["read"] = {"status": status_of(read), "id": read.parsed.id, "etag": read.headers["ETag"]}

    old = get_assumption_version.sync(id=first, number=1, client=reader)
    seen["version"] = {"id": old.id, "version": old.version}

    controls = list_controls.sync(client=reader, limit=1)
    stored = get_control_score.sync(id=controls.items[0].id, client=reader)
    seen["stored_score"] = {
        "source": stored.source.to_dict(),
        "framings": sorted(stored.framings.additional_properties),
    }
    control = stored.control.to_dict()
    proposed = score_control.sync(client=reader, body=ScoreRequest.from_dict(control))
    seen["score"] = {"input_hash": proposed.input_hash, "stored_hash": stored.input_hash}

    batch = score_batch.sync(
        client=reader,
        body=BatchRequest.from_dict({"controls": {"same": control, "broken": {"name": 1}}}),
    )
    results = batch.results.additional_properties
    seen["batch"] = {key: sorted(value.additional_properties) for key, value in results.items()}

    chip = get_chip.sync(id="nvidia-h20", client=reader)
    created = create_chip.sync_detailed(
        client=editor,
        body=Chip.from_dict(chip.body.to_dict()),
        x_change_note="A copy made by the generated client",
        slug="generated-client-chip",
        idempotency_key="generated-client-1",
    )
    seen["create"] = {"status": status_of(created), "location": created.headers.get("Location")}

    # The write cycle: read, change with If-Match and X-Change-Note, revalidate.
    etag = read.headers["ETag"]
    patched = update_assumption.sync_detailed(
        id=first,
        client=editor,
        body=MergePatch.from_dict({"title": "Retitled through the generated client"}),
        x_change_note="Retitle, through the generated client",
        if_match=etag,
    )
    new_etag = patched.headers["ETag"]
    seen["patch"] = {
        "status": status_of(patched),
        "version": patched.parsed.version,
        "change_note": patched.parsed.change_note,
        "etag_changed": new_etag != etag,
    }
    stale = update_assumption.sync_detailed(
        id=first,
        client=editor,
        body=MergePatch.from_dict({"title": "A lost update"}),
        x_change_note="Based on an old version",
        if_match=etag,
    )
    seen["stale_patch"] = {"status": status_of(stale), "type": stale.parsed.type_}
    current = get_assumption.sync_detailed(id=first, client=reader, if_none_match=new_etag)
    outdated = get_assumption.sync_detailed(id=first, client=reader, if_none_match=etag)
    seen["conditional_read"] = {
        "current": status_of(current),
        "outdated": status_of(outdated),
        "title": outdated.parsed.body.additional_properties["title"],
    }
    # httpx sends header values as ASCII: a note in any language goes as RFC 8187's form.
    noted = update_assumption.sync(
        id=first,
        client=editor,
        body=MergePatch.from_dict({"title": "Noted in Spanish and Chinese"}),
        x_change_note="UTF-8''" + quote("Revisión — 中文"),
        if_match=new_etag,
    )
    seen["rfc8187_note"] = noted.change_note
    # The generated functions decode JSON: other formats are fetched as text with its httpx.
    markdown = reader.get_httpx_client().get(f"/assumptions/{first}", params={"format": "md"})
    seen["markdown"] = markdown.text
    json.dump(seen, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
