"""The client distribution (clients/python) installs alone into a fresh virtual environment,
without Flask or anything of the server, and works there."""

import subprocess
import sys
import venv

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds a virtual environment and installs into it
PACKAGE = ROOT / "clients" / "python"
SERVER_MODULES = ("flask", "werkzeug", "marshmallow", "flask_smorest", "service", "schemas")


@pytest.fixture(scope="module")
def python(tmp_path_factory):
    """The Python of a fresh virtual environment holding only framings-client."""
    folder = tmp_path_factory.mktemp("client-venv")
    venv.create(folder, with_pip=True)
    bin_ = folder / "bin"
    subprocess.run(
        [str(bin_ / "python"), "-m", "pip", "install", "--quiet", str(PACKAGE)],
        check=True,
        capture_output=True,
        timeout=600,
        cwd=folder,  # not the repository: nothing of the server on the path
    )
    return bin_ / "python"


def run(python, code: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_the_fresh_environment_has_no_flask(python):
    assert run(python, "import flask").returncode != 0


def test_the_client_imports_and_reads_in_the_fresh_environment(python, live_server, tmp_path):
    code = (
        "import sys; from framings_client import Client; "
        "print(Client(sys.argv[1]).get('assumptions', 'a3').etag)"
    )
    result = subprocess.run(
        [str(python), "-c", code, live_server],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and result.stdout.strip().startswith('"'), result.stderr


def test_the_framings_command_is_installed_with_the_client(python, live_server, tmp_path):
    framings = python.parent / "framings"
    result = subprocess.run(
        [str(framings), "get", "assumptions/a3", "--url", live_server],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and '"id": "a3"' in result.stdout, result.stderr


def test_without_the_server_an_admin_command_is_a_usage_error(python, tmp_path):
    result = subprocess.run(
        [str(python.parent / "framings"), "init"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "invalid choice: 'init'" in result.stderr


def test_importing_the_client_loads_nothing_of_the_server():
    """What made the old client slow was importing the server (Flask, the store): the
    client's import loads requests and the standard library only."""
    code = "import sys, framings_client, framings_client.cli; print(' '.join(sys.modules))"
    loaded = set(run(sys.executable, code, cwd=PACKAGE).stdout.split())
    assert "framings_client" in loaded and "requests" in loaded
    assert not loaded & set(SERVER_MODULES)
