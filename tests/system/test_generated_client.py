"""A newcomer generates a client from /openapi.json with openapi-python-client and, through its
generated functions and parameters alone, reads, scores and writes against a live server.

openapi-python-client runs in its own virtual environment (tests/tool-deps.sh), and so does the
generated client (tests/tools/drive_client.py): httpx and attrs are its dependencies, not ours.
"""

import json
import os
import subprocess

import pytest

from tests.conftest import ROOT
from tests.system.third_party import TOOLS, WritableServer, openapi_python_client

pytestmark = pytest.mark.slow
CONFIG = ROOT / "clients" / "openapi-python-client.yaml"  # shipped, and documented


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = WritableServer(tmp_path_factory.mktemp("generated-client") / "framings.db")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """The client package, generated from the live server's document."""
    generator = openapi_python_client()
    folder = tmp_path_factory.mktemp("generated")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--url",
            f"{server.url}/openapi.json",
            "--output-path",
            str(folder / "framings_api_client"),
            "--meta",
            "none",
            "--config",
            str(CONFIG),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder,
        # Its post-generation hook formats the code with ruff, which the app's venv has.
        env={**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, result.stdout + result.stderr


def test_the_generator_reads_every_operation_without_a_warning(generated):
    folder, output = generated
    assert "WARNING" not in output, output
    names = {path.stem for path in (folder / "framings_api_client" / "api").rglob("*.py")}
    assert {"list_assumptions", "get_assumption", "get_control_score", "update_assumption"} <= names


def test_a_generated_client_reads_scores_and_writes(server, generated):
    folder, _ = generated
    result = subprocess.run(
        [
            str(TOOLS / "venv" / "bin" / "python"),
            str(TOOLS / "drive_client.py"),
            server.url,
            server.editor,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(folder)},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert len(seen["list"]) == 3 and seen["list_filtered"] == ["holding"]
    assert seen["read"]["status"] == 200 and seen["read"]["etag"]
    assert seen["version"] == {"id": seen["list"][0], "version": 1}
    assert seen["stored_score"]["source"]["kind"] == "controls"
    assert seen["stored_score"]["framings"]
    assert seen["score"]["input_hash"] == seen["score"]["stored_hash"]
    assert "framings" in seen["batch"]["same"] and "errors" in seen["batch"]["broken"]
    assert seen["create"] == {"status": 201, "location": "/chips/generated-client-chip"}
    assert seen["patch"]["status"] == 200 and seen["patch"]["etag_changed"]
    assert seen["patch"]["change_note"] == "Retitle, through the generated client"
    assert seen["stale_patch"] == {"status": 412, "type": "/problems/stale-version"}
    assert seen["rfc8187_note"] == "Revisión — 中文"
    assert seen["markdown"].startswith("#")
    assert seen["conditional_read"] == {
        "current": 304,
        "outdated": 200,
        "title": "Retitled through the generated client",
    }
