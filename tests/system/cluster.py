"""Processes for tests/system/test_replicas.py: gunicorn as writer or replica, and nginx."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
SYSTEM_DEPS = ROOT / "tests" / "system-deps.sh"


def find_nginx() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def nginx_or_skip() -> str:
    """nginx from Debian, installed by the shared system-deps script when it is missing."""
    if find_nginx() is None and SYSTEM_DEPS.exists():
        subprocess.run(["bash", str(SYSTEM_DEPS)], check=False, timeout=900)
    found = find_nginx()
    if found is None:
        pytest.skip("nginx is not installed and tests/system-deps.sh could not install it")
    return found


def admin_token(db_path: Path) -> str:
    """An admin token made with the CLI, the way an operator makes one (the last line)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.client.cli",
            "token",
            "create",
            "--name",
            "ops",
            "--role",
            "admin",
        ],
        cwd=ROOT,
        env={**os.environ, "FRAMINGS_DB": str(db_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def start_gunicorn(folder: Path, **settings: str) -> tuple[subprocess.Popen, str]:
    """The app under gunicorn as `make run` starts it, its database and log in `folder`."""
    folder.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "FRAMINGS_DB": str(folder / "framings.db"),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        **settings,
    }
    process = subprocess.Popen(
        # No control socket: by default every gunicorn on the machine shares one path.
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "gunicorn.log").open("w"),
    )
    return process, f"http://127.0.0.1:{port}"


def start_replica(folder: Path, writer: str) -> tuple[subprocess.Popen, str]:
    """The same app in read-only replica mode, checking the writer every half second."""
    return start_gunicorn(
        folder,
        FRAMINGS_REPLICA_OF=writer,
        FRAMINGS_SNAPSHOT_DIR=str(folder / "snapshots"),
        FRAMINGS_REPLICA_INTERVAL="0.5",
    )


def render(listen: str, writer: str, replicas: list[str]) -> str:
    """What envsubst would make of the template, for just our three variables."""
    values = {
        "FRAMINGS_LISTEN": listen,
        "FRAMINGS_WRITER": writer,
        "FRAMINGS_REPLICA_SERVERS": " ".join(f"server {r};" for r in replicas),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def start_nginx(binary: str, prefix: Path, writer: str, replicas: list[str]):
    port = free_port()
    hostports = [url.removeprefix("http://") for url in replicas]
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(
        render(f"127.0.0.1:{port}", writer.removeprefix("http://"), hostports)
    )
    # As root, nginx's workers would otherwise drop to `nobody`, who cannot enter pytest's
    # private temporary directory.
    extra = ["-g", "user root;"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [binary, "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf"), "-e", "stderr", *extra],
        stdout=subprocess.DEVNULL,
        stderr=(prefix / "stderr.log").open("w"),
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def healthy(url: str) -> bool:
    """200 from /health: a replica answers 503 until it has a snapshot, and is slow to boot."""
    try:
        return requests.get(f"{url}/health", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)
