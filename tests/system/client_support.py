"""What the client tests share: a live server's client, a scripted server, the CLI runner
and the README's client examples."""

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from framings_client import Client

from tests.conftest import ROOT

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
def api(live_server) -> Client:
    return Client(live_server, timeout=10, retries=1, backoff=0)


COMMAND = Path(sys.executable).parent / "framings"  # the command as installed


def run_cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`framings ARGS` in a subprocess, with FRAMINGS_URL pointing at `url`."""
    return subprocess.run(
        [str(COMMAND), *args],
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

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = answer

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
