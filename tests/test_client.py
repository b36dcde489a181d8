"""The Python client and the `framings` get/score/diff/watch commands, against a live server."""

import http.server
import io
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading

import pytest

from service import cli, client_cli
from service.client import FramingsClient, FramingsError, FramingsUnavailable
from tests.conftest import ROOT, free_port

H20 = {
    "name": "H20",
    "direction": "loosen",
    "instrument": "license_approval",
    "layers": ["inference_chips"],
    "reach": ["china_market"],
    "chips": ["nvidia-h20"],
}
VEU = {
    "name": "VEU",
    "direction": "tighten",
    "instrument": "end_user_exemption_revocation",
    "layers": ["manufacturing_equipment"],
    "reach": ["china_production"],
}
FRAMINGS = {"sliding-scale", "freeze-in-place"}
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = [
    line
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S)
    for line in block.splitlines()
    if line.startswith("framings ")
]
CONTROL_FILE = re.findall(r"```json h20\.json\n(.*?)```", README, flags=re.S)
PYTHON = re.findall(r"```python\n(.*?)```", README, flags=re.S)


@pytest.fixture(scope="module")
def api(live_server) -> FramingsClient:
    return FramingsClient(live_server, timeout=10, retries=1, backoff=0)


def run_cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`framings ARGS` in a subprocess, with FRAMINGS_URL pointing at `url`."""
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        cwd=ROOT,
        env={**os.environ, "FRAMINGS_URL": url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
    )


class Scripted:
    """A tiny HTTP server on 127.0.0.1 answering the nth request with statuses[n] (the last
    status repeats), counting the requests it saw."""

    def __init__(self, *statuses: int):
        self.methods: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.statuses = statuses

    def handler(self):
        script = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                script.methods.append(self.command)
                status = script.statuses[min(len(script.methods), len(script.statuses)) - 1]
                body = (
                    {"status": "ok"}
                    if status < 400
                    else {"title": "Service Unavailable", "status": status, "detail": "Try later."}
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass  # keep the test output clean

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted():
    servers = []

    def start(*statuses: int) -> Scripted:
        servers.append(Scripted(*statuses))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


# --- the client ----------------------------------------------------------------------------


def test_client_get_returns_the_latest_version_of_a_resource(api):
    latest = api.get("assumptions", "a3")
    assert (latest["kind"], latest["id"]) == ("assumptions", "a3") and latest["version"] > 1


def test_client_get_with_version_returns_that_version(api):
    assert api.get("assumptions", "a3", version=1)["version"] == 1


def test_client_get_passes_query_arguments_such_as_as_of(api):
    assert api.get("assumptions", "a3", as_of="2025-07-21")["version"] == 1


def test_client_get_without_id_returns_one_page_of_the_list(api):
    page = api.get("chips", limit=2)
    assert len(page["items"]) == 2 and page["next"]


def test_client_get_with_format_md_returns_markdown_text(api):
    text = api.get("assumptions", "a3", fmt="md")
    assert isinstance(text, str) and text.startswith("#")


def test_client_list_follows_next_across_pages(api):
    everything = [item["id"] for item in api.get("chips", limit=200)["items"]]
    assert len(everything) > 2
    assert [item["id"] for item in api.list("chips", limit=2)] == everything


def test_client_list_applies_filters(api):
    pending = list(api.list("watchlist", status="pending"))
    assert pending and all(item["body"]["status"] == "pending" for item in pending)


def test_client_score_answers_for_each_framing(api):
    answer = api.score(H20)
    assert set(answer["framings"]) == FRAMINGS and answer["model"]


def test_client_score_with_format_md_returns_markdown_text(api):
    text = api.score(H20, fmt="md")
    assert isinstance(text, str) and "sliding-scale" in text


def test_client_score_batch_answers_each_control_by_key(api):
    results = api.score_batch({"h20": H20, "veu": VEU})["results"]
    assert set(results) == {"h20", "veu"}
    assert all(set(result["framings"]) == FRAMINGS for result in results.values())


def test_client_score_batch_gives_a_bad_control_its_own_problem(api):
    results = api.score_batch({"h20": H20, "bad": {"name": "x"}})["results"]
    assert results["bad"]["status"] == 422 and "framings" in results["h20"]


def test_client_diff_returns_the_patch_from_m_to_n(api):
    diff = api.diff("assumptions", "a3", 2, 1)
    assert (diff["from"], diff["to"]) == (1, 2)
    assert any(op["path"] == "/assessment/credence" for op in diff["patch"])


def test_client_changes_follows_pages_without_gaps(api):
    seqs = [change["seq"] for change in api.changes(0, limit=10)]
    assert len(seqs) > 10 and seqs == list(range(1, api.health()["seq"] + 1))


def test_client_changes_since_starts_after_that_seq(api):
    assert next(api.changes(since=5))["seq"] == 6


def test_client_health_reports_ok(api):
    assert api.health()["status"] == "ok"


def test_client_raises_framings_error_with_the_problem_on_404(api):
    with pytest.raises(FramingsError) as raised:
        api.get("chips", "no-such-chip")
    assert (raised.value.status, raised.value.title) == (404, "Not Found")
    assert "no-such-chip" in raised.value.detail and "404 Not Found" in str(raised.value)


def test_client_raises_framings_error_with_field_errors_on_422(api):
    with pytest.raises(FramingsError) as raised:
        api.score({"name": "x", "direction": "sideways"})
    assert raised.value.status == 422
    assert {"direction", "instrument"} <= set(raised.value.errors)
    assert any(line.startswith("direction: ") for line in raised.value.field_lines())


def test_client_retries_a_503_until_it_gets_an_answer(scripted):
    server = scripted(503, 503, 200)
    client = FramingsClient(server.url, timeout=5, retries=3, backoff=0)
    assert client.health() == {"status": "ok"} and server.methods == ["GET"] * 3


def test_client_retries_a_score_post_on_503(scripted):
    server = scripted(503, 200)
    FramingsClient(server.url, timeout=5, retries=3, backoff=0).score(H20)
    assert server.methods == ["POST", "POST"]


def test_client_raises_the_last_5xx_when_the_retries_run_out(scripted):
    server = scripted(503)
    with pytest.raises(FramingsError) as raised:
        FramingsClient(server.url, timeout=5, retries=2, backoff=0).health()
    assert raised.value.status == 503 and len(server.methods) == 3


def test_client_raises_unavailable_when_nothing_listens():
    client = FramingsClient(f"http://127.0.0.1:{free_port()}", timeout=2, retries=1, backoff=0)
    with pytest.raises(FramingsUnavailable, match="Connection refused"):
        client.health()


def test_client_raises_unavailable_when_the_server_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections queue up but are never served
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(FramingsUnavailable, match="timed out"):
            FramingsClient(url, timeout=0.2, retries=1, backoff=0).health()


def test_client_takes_its_base_url_from_framings_url(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9/")
    assert FramingsClient().base_url == "http://example.test:9"


def test_client_prefers_an_explicit_url_to_framings_url(monkeypatch):
    monkeypatch.setenv("FRAMINGS_URL", "http://example.test:9")
    assert FramingsClient("http://other.test").base_url == "http://other.test"


# --- the command line: each run in a subprocess, as a user would run it ----------------------


def test_cli_get_prints_the_resource_as_indented_json(live_server):
    result = run_cli(live_server, "get", "assumptions", "a3")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "a3" and '\n  "id": "a3"' in result.stdout


def test_cli_get_format_md_prints_markdown(live_server):
    result = run_cli(live_server, "get", "assumptions", "a3", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("#") and "a3" in result.stdout


def test_cli_score_reads_a_control_from_a_file(live_server, tmp_path):
    (tmp_path / "h20.json").write_text(json.dumps(H20))
    result = run_cli(live_server, "score", str(tmp_path / "h20.json"))
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)["framings"]) == FRAMINGS


def test_cli_score_reads_a_control_from_stdin(live_server):
    result = run_cli(live_server, "score", "-", stdin=json.dumps(H20))
    assert json.loads(result.stdout)["control"]["name"] == "H20"


def test_cli_diff_prints_the_json_patch_from_m_to_n(live_server):
    result = run_cli(live_server, "diff", "assumptions", "a3", "2", "1")
    patch = json.loads(result.stdout)
    assert {"op": "replace", "path": "/assessment/credence"}.items() <= patch[0].items()


def test_cli_watch_once_prints_one_line_per_change(live_server, api):
    lines = run_cli(live_server, "watch", "--once").stdout.splitlines()
    assert len(lines) == api.health()["seq"]
    assert re.fullmatch(r"1 [a-z]+/[a-z0-9-]+ v1 \S+: .+", lines[0])


def test_cli_exits_1_and_names_the_problem_on_404(live_server):
    result = run_cli(live_server, "get", "chips", "no-such-chip")
    assert result.returncode == 1
    assert result.stderr.startswith("framings: 404 Not Found: ") and result.stdout == ""


def test_cli_exits_1_and_lists_each_field_error_on_422(live_server):
    result = run_cli(live_server, "score", "-", stdin='{"name": "x", "direction": "sideways"}')
    assert result.returncode == 1
    assert result.stderr.startswith("framings: 422 Unprocessable Entity: ")
    assert "\n  direction: " in result.stderr and "\n  instrument: " in result.stderr


def test_cli_exits_2_on_a_usage_error(live_server):
    assert run_cli(live_server, "get", "no-such-kind").returncode == 2


def test_cli_exits_3_when_nothing_listens():
    result = run_cli(f"http://127.0.0.1:{free_port()}", "get", "chips", "--retries", "1")
    assert result.returncode == 3 and "Connection refused" in result.stderr


# --- the command line, in process (a subprocess each would only add start-up time) ---------


@pytest.fixture
def framings(monkeypatch, capsys, live_server):
    """Run `framings ARGS` in process: (exit code, stdout, stderr)."""

    def run(*args: str, stdin: str = "", url: str = live_server) -> tuple[int, str, str]:
        monkeypatch.setenv("FRAMINGS_URL", url)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse's way of reporting a usage error
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_get_version_prints_that_version(framings):
    code, out, _ = framings("get", "assumptions", "a3", "--version", "2")
    assert code == 0 and json.loads(out)["version"] == 2


def test_cli_get_passes_query_pairs_as_filters(framings):
    _, out, _ = framings("get", "watchlist", "-q", "status=pending", "-q", "limit=1")
    assert [item["body"]["status"] for item in json.loads(out)["items"]] == ["pending"]


def test_cli_score_sends_a_controls_document_to_the_batch_endpoint(framings):
    _, out, _ = framings("score", "-", stdin=json.dumps({"controls": {"a": H20}}))
    assert set(json.loads(out)["results"]) == {"a"}


def test_cli_score_format_md_prints_markdown(framings):
    code, out, _ = framings("score", "-", "--format", "md", stdin=json.dumps(H20))
    assert code == 0 and out.startswith("#") and "sliding-scale" in out


def test_cli_watch_since_starts_after_that_seq(framings):
    _, out, _ = framings("watch", "--once", "--since", "80")
    assert out.splitlines()[0].startswith("81 ")


def test_cli_watch_keeps_polling_until_ctrl_c_then_exits_0(framings, monkeypatch, api):
    polls = []

    def interrupted_sleep(seconds):
        polls.append(seconds)
        if len(polls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(client_cli.time, "sleep", interrupted_sleep)
    code, out, _ = framings("watch", "--interval", "7")
    assert code == 0 and polls == [7, 7] and len(out.splitlines()) == api.health()["seq"]


def test_cli_exits_2_when_the_control_is_not_json(framings):
    code, _, err = framings("score", "-", stdin="not json")
    assert code == 2 and err.startswith("framings: ")


def test_cli_exits_4_when_the_server_keeps_answering_503(framings, scripted):
    code, _, err = framings("get", "chips", "--retries", "1", url=scripted(503).url)
    assert code == 4 and "503 Service Unavailable" in err


def test_cli_url_option_wins_over_framings_url(framings, live_server):
    code, _, err = framings("get", "chips", "--url", live_server, url="http://127.0.0.1:1")
    assert code == 0, err


# --- the README's examples -----------------------------------------------------------------


def test_readme_has_console_python_and_control_file_examples():
    assert len(CONSOLE) >= 5 and len(PYTHON) == 1 and len(CONTROL_FILE) == 1


@pytest.mark.parametrize("line", CONSOLE)
def test_readme_console_example_succeeds(live_server, tmp_path, line):
    # Run as the README shows it, from a directory holding the README's h20.json.
    (tmp_path / "h20.json").write_text(CONTROL_FILE[0], encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} -m service.cli " + line.removeprefix("framings ")
    env = {**os.environ, "FRAMINGS_URL": live_server, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_readme_python_example_runs(live_server):
    result = subprocess.run(
        [sys.executable, "-c", PYTHON[0]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "FRAMINGS_URL": live_server},
        timeout=30,
    )
    assert result.returncode == 0 and result.stdout, result.stderr
