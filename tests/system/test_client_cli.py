"""The `framings` remote commands (framings_client.cli) against a live server."""

import io
import json
import re
import subprocess
import sys

import pytest
from framings_client import cli
from framings_client import commands as client_cli

from tests.conftest import free_port
from tests.system.client_support import (
    COMMAND,
    FRAMINGS,
    H20,
    run_cli,
)

pytestmark = pytest.mark.slow  # a live server


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
    result = run_cli(live_server, "diff", "assumptions", "a4", "2", "1")
    patch = json.loads(result.stdout)
    wanted = {"op": "replace", "path": "/assessment/credence"}.items()
    assert any(wanted <= op.items() for op in patch), patch


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


def test_the_command_hands_admin_commands_to_the_server_s_program(tmp_path):
    db = tmp_path / "framings.db"
    result = subprocess.run(
        [str(COMMAND), "--db", str(db), "init"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and "loaded" in result.stdout and db.exists(), result.stderr


def test_the_command_s_help_lists_admin_and_remote_commands():
    result = subprocess.run([str(COMMAND), "--help"], capture_output=True, text=True, timeout=60)
    assert all(name in result.stdout for name in ("token", "export", "edit", "release", "batch"))
