"""Every curl example in the README works against a real gunicorn server."""

import re
import shlex
import subprocess

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
EXAMPLES = [line for block in BLOCKS for line in block.splitlines() if line.startswith("curl ")]


def test_readme_has_curl_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("example", EXAMPLES)
def test_readme_curl_example_succeeds(live_server, example):
    command = example.replace("http://localhost:8080", live_server)
    expects_error = "limit=0" in command
    args = shlex.split(command) + ["-w", "\n%{http_code}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    status = int(result.stdout.rsplit("\n", 1)[-1])
    assert (400 <= status < 500) if expects_error else status in (200, 304), result.stdout[:500]
