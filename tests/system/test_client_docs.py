"""The client's documentation page (clients/python/README.md): every Python example runs as it
stands, in order, against a live server, with an admin's token in FRAMINGS_TOKEN."""

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.system.third_party import WritableServer

pytestmark = pytest.mark.slow  # a live server
PAGE = (ROOT / "clients" / "python" / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = WritableServer(tmp_path_factory.mktemp("client-docs") / "framings.db")
    yield running
    running.stop()


def test_the_page_has_an_example_for_reads_scores_writes_and_errors():
    assert len(EXAMPLES) == 4


def test_every_example_runs_in_order(server, tmp_path):
    env = {**os.environ, "FRAMINGS_URL": server.url, "FRAMINGS_TOKEN": server.editor}
    for example in EXAMPLES:
        result = subprocess.run(
            [sys.executable, "-c", example],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=tmp_path,
        )
        assert result.returncode == 0 and result.stdout, example + result.stderr
