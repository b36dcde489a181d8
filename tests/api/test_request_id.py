"""X-Request-Id on every answer, in the access log, and on application log records."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
import requests

from service.ops.logs import JsonFormatter
from tests.conftest import ROOT, free_port, wait_until_responds

HEX_ID = r"[0-9a-f]{32}"


def test_an_answer_carries_a_new_request_id(client):
    response = client.get("/framings/sliding-scale")
    assert response.status_code == 200
    assert len(response.headers["X-Request-Id"]) == 32


def test_problem_answers_carry_one_too(client):
    for response in (
        client.get("/framings/nope"),
        client.get("/chips?limit=0"),
        client.post("/score", json={"name": "x"}),
    ):
        assert response.status_code >= 400
        assert response.mimetype == "application/problem+json"
        assert response.headers["X-Request-Id"]


def test_each_request_gets_its_own_id(client):
    first, second = (client.get("/health").headers["X-Request-Id"] for _ in range(2))
    assert first != second


def test_a_sane_incoming_id_is_echoed(client):
    sane = "client-7.trace_" + "a" * 100
    assert client.get("/health", headers={"X-Request-Id": sane}).headers["X-Request-Id"] == sane


@pytest.mark.parametrize("insane", ["", "a" * 129, "has space", "semi;colon", "<script>", "é"])
def test_an_insane_incoming_id_is_replaced(client, insane):
    answered = client.get("/health", headers={"X-Request-Id": insane}).headers["X-Request-Id"]
    assert answered != insane and len(answered) == 32


def test_a_304_carries_the_id(client):
    etag = client.get("/framings/sliding-scale").headers["ETag"]
    response = client.get(
        "/framings/sliding-scale", headers={"If-None-Match": etag, "X-Request-Id": "reval-1"}
    )
    assert response.status_code == 304 and response.headers["X-Request-Id"] == "reval-1"


def test_an_unexpected_error_is_a_problem_with_the_id_and_a_logged_record(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("service.web.errors")
    logger.addHandler(handler)

    def boom():
        raise RuntimeError("failed for Bearer fr_supersecrettokenvalue")

    app.add_url_rule("/boom", view_func=boom)
    try:
        response = app.test_client().get("/boom", headers={"X-Request-Id": "boom-1"})
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500 and response.headers["X-Request-Id"] == "boom-1"
    record = json.loads(stream.getvalue().splitlines()[0])
    assert record["request_id"] == "boom-1" and record["level"] == "error"
    assert "supersecret" not in stream.getvalue() and "[redacted]" in record["exception"]


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory):
    """gunicorn started as `make run` starts it, its stdout and stderr kept in files."""
    directory = tmp_path_factory.mktemp("logged")
    port = free_port()
    env = {
        **os.environ,
        "FRAMINGS_DB": str(directory / "framings.db"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
    }
    out, err = directory / "stdout", directory / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_responds(url + "/health")
        answers = [
            requests.get(
                url + "/framings/sliding-scale?as_of=2025-07-21",
                headers={"X-Request-Id": "e2e-42"},
                timeout=10,
            ),
            requests.get(url + '/nope"\\', timeout=10),
        ]
    finally:
        process.terminate()
        process.wait(timeout=30)
    yield answers, out.read_text(), err.read_text()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_access_log_line_is_json_with_the_request_id(logged_server):
    answers, stdout, _ = logged_server
    lines = {line["request_id"]: line for line in json_lines(stdout)}
    line = lines["e2e-42"]
    assert answers[0].headers["X-Request-Id"] == "e2e-42"
    assert line["method"] == "GET" and line["path"] == "/framings/sliding-scale"
    assert line["query"] == "as_of=2025-07-21" and line["status"] == 200
    assert line["bytes"] == len(answers[0].content) and line["duration_ms"] >= 0
    assert line["remote"] == "127.0.0.1" and line["time"].endswith("Z")


def test_a_path_with_quotes_and_backslashes_still_logs_valid_json(logged_server):
    answers, stdout, _ = logged_server
    rid = answers[1].headers["X-Request-Id"]
    line = next(line for line in json_lines(stdout) if line["request_id"] == rid)
    assert line["status"] == 404 and line["path"] == '/nope"\\'


def test_server_logs_on_stderr_are_json_lines(logged_server):
    _, _, stderr = logged_server
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and all(json.loads(line)["level"] for line in lines)
