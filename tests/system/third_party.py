"""The third-party checkers the suite runs, found (or installed by tests/tool-deps.sh) or skipped.

`make test` installs them before pytest starts; run alone, a test installs what is missing the
same way, once per session. Where a tool cannot be installed, its test skips and names it.
"""

import functools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from service import store
from tests.conftest import ROOT, Server, make_token

TOOLS = ROOT / "tests" / "tools"
BIN = TOOLS / "node_modules" / ".bin"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
OPENAPI_PYTHON_CLIENT = TOOLS / "venv" / "bin" / "openapi-python-client"
TOOL_DEPS = ROOT / "tests" / "tool-deps.sh"
SYSTEM_DEPS = ROOT / "tests" / "system-deps.sh"


@functools.cache
def install() -> None:
    """Run the install scripts once per session (each does nothing when all is there)."""
    subprocess.run(["bash", str(SYSTEM_DEPS)], check=False, timeout=900)
    subprocess.run(["bash", str(TOOL_DEPS)], check=False, timeout=900)


def tool_or_skip(path: Path, what: str) -> Path:
    if not path.exists():
        install()
    if not path.exists():
        pytest.skip(f"{what} is not installed and tests/tool-deps.sh could not install it")
    return path


def node_tool(name: str) -> list[str]:
    if shutil.which("node") is None:
        install()
    if shutil.which("node") is None:
        pytest.skip(f"{name} needs Node.js, which tests/system-deps.sh could not install")
    return [str(tool_or_skip(BIN / name, name))]


def vnu() -> list[str]:
    jar = tool_or_skip(VNU_JAR, "The Nu HTML checker (vnu-jar)")
    if shutil.which("java") is None:
        install()
    java = shutil.which("java")
    if java is None:
        pytest.skip("The Nu HTML checker needs Java: no Java runtime could be installed")
    return [java, "-jar", str(jar)]


def openapi_python_client() -> Path:
    return tool_or_skip(OPENAPI_PYTHON_CLIENT, "openapi-python-client")


def write_document(app_client, folder: Path) -> Path:
    """The app's /openapi.json, as a file the command-line tools can read."""
    path = folder / "openapi.json"
    path.write_text(json.dumps(app_client.get("/openapi.json").get_json(), indent=1))
    return path


class WritableServer(Server):
    """A live gunicorn server on a fresh database, with an editor's token and no write limit."""

    def __init__(self, db_path: Path, workers: int = 2):
        import os

        os.environ["FRAMINGS_WRITE_RATE_LIMIT"] = "off"
        try:
            super().__init__(db_path, workers)
        finally:
            del os.environ["FRAMINGS_WRITE_RATE_LIMIT"]
        db = store.open_db(str(db_path))
        try:
            self.editor = make_token(db, "tools", "admin")
        finally:
            db.conn.close()
