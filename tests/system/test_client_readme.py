"""The README's client examples, run as they stand against a live server."""

import os
import shlex
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.system.client_support import (
    COMMAND,
    CONSOLE,
    CONTROL_FILE,
    PYTHON,
)

pytestmark = pytest.mark.slow  # a live server


def test_readme_has_console_python_and_control_file_examples():
    assert len(CONSOLE) >= 5 and len(PYTHON) == 1 and len(CONTROL_FILE) == 1


@pytest.mark.parametrize("line", CONSOLE)
def test_readme_console_example_succeeds(live_server, tmp_path, line):
    # Run as the README shows it, from a directory holding the README's h20.json.
    (tmp_path / "h20.json").write_text(CONTROL_FILE[0], encoding="utf-8")
    command = f"{shlex.quote(str(COMMAND))} " + line.removeprefix("framings ")
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
