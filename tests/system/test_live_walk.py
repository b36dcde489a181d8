"""A walk over the API of a live gunicorn server (tests/system/walk.py): every answer is one the
OpenAPI document lists, for its status and media type, and validates against the document's schema;
and the Nu HTML checker finds no error in any HTML page of the walk."""

import json
import subprocess

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

from tests.system.third_party import WritableServer, vnu
from tests.system.walk import Walker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    server = WritableServer(tmp_path_factory.mktemp("walk") / "framings.db")
    try:
        walker = Walker(server.url, server.editor)
        steps = walker.run()
        yield walker.document, steps, walker.extra_pages
    finally:
        server.stop()


def resolved(document: dict, item: dict) -> dict:
    while "$ref" in item:
        *_, section, name = item["$ref"].split("/")
        item = document["components"][section][name]
    return item


def documented_answer(document: dict, step) -> dict | None:
    operation = document["paths"][step.path][step.method.lower()]
    responses = operation["responses"]
    answer = responses.get(str(step.status))
    if answer is None and step.status >= 500:
        answer = responses.get("default")
    return resolved(document, answer) if answer is not None else None


def problems_of(document: dict, step) -> list[str]:
    """What the document gets wrong about this answer (nothing, one hopes)."""
    if step.status >= 500:
        return [f"a server error: {step.body[:300]!r}"]
    answer = documented_answer(document, step)
    if answer is None:
        return ["this status is not in the document"]
    problems = [
        f"header {name} is documented as always sent but is missing"
        for name, header in answer.get("headers", {}).items()
        if resolved(document, header).get("required") and name not in step.headers
    ]
    content = answer.get("content")
    if step.status == 304 or step.method == "HEAD":
        return problems + (["a 304 with a body"] if step.body else [])
    if not content:
        return problems + [f"the document lists no media type for {step.status}"]
    if step.mimetype not in content:
        return problems + [f"{step.mimetype} is not listed (only {', '.join(content)})"]
    schema = content[step.mimetype].get("schema", {})
    if step.mimetype.endswith("json"):
        try:
            instance = json.loads(step.body)
            # The components travel with the schema, so its #/components/... refs resolve.
            OAS30Validator({**schema, "components": document["components"]}).validate(instance)
        except (ValueError, ValidationError) as error:
            problems.append(f"the body does not match its schema: {str(error)[:500]}")
    return problems


def test_every_answer_of_the_walk_is_the_one_the_document_describes(walk):
    document, steps, _ = walk
    assert len(steps) > 500
    wrong = {step.label: problems_of(document, step) for step in steps}
    wrong = {label: problems for label, problems in wrong.items() if problems}
    assert not wrong, json.dumps(wrong, indent=1)


def test_the_walk_reaches_every_status_the_writes_document(walk):
    _, steps, _ = walk
    seen = {step.status for step in steps}
    assert {200, 201, 304, 400, 401, 404, 406, 409, 410, 412, 415, 422, 428} <= seen


def test_the_nu_html_checker_finds_no_error_in_any_page(walk, tmp_path):
    _, steps, extra = walk
    html = {step.label: step.body for step in steps if step.mimetype == "text/html"}
    pages = {}
    for label, body in {**html, **extra}.items():
        name = f"page-{len(pages):03d}.html"
        pages[name] = label
        (tmp_path / name).write_bytes(body)
    assert len(pages) > 40
    result = subprocess.run(
        [*vnu(), "--errors-only", "--format", "json", *sorted(str(tmp_path / n) for n in pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{pages[m['url'].rsplit('/', 1)[-1]]}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
