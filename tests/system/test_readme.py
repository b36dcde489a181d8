"""Every curl example in the README, and the worked example, work against a real server."""

import json
import os
import re
import shlex
import subprocess

import pytest

from tests.conftest import ROOT, Server

pytestmark = pytest.mark.slow  # a live server

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
EXAMPLES = [line for block in BLOCKS for line in block.splitlines() if line.startswith("curl ")]
WORKED = re.findall(r"```bash\n(.*?)```", README, flags=re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("readme") / "framings.db")
    yield running
    running.stop()


def test_readme_has_curl_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_curl_example_succeeds(server, example):
    command = example.replace("http://localhost:8080", server.url)
    expects_error = "limit=0" in command
    args = shlex.split(command) + ["-w", "\n%{http_code}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    status = int(result.stdout.rsplit("\n", 1)[-1])
    assert (400 <= status < 500) if expects_error else status in (200, 304), result.stdout[:500]


def test_worked_example_revises_a4_diffs_it_and_rescores(server):
    script = "set -euo pipefail\n" + WORKED[0].replace("http://localhost:8080", server.url)
    env = {**os.environ, "FRAMINGS_DB": str(server.db_path)}
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    before, diff, after = (json.loads(line) for line in result.stdout.splitlines() if line)
    change = next(op for op in diff["patch"] if op["path"] == "/assessment/credence")
    assert change["op"] == "replace" and change["value"] == 0.01 and "old" in change
    assert after["model"]["assumptions"]["a4"] == before["model"]["assumptions"]["a4"] + 1
    ss_before = before["framings"]["sliding-scale"]["robust_alignment"]
    assert after["framings"]["sliding-scale"]["robust_alignment"] != ss_before
