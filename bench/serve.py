"""Servers for the HTTP bench: a temp database, and gunicorn started with gunicorn.conf.py."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import store  # noqa: E402

HISTORY = 10_000
# Two copies of one stored control: same body, one with 1 version, one with HISTORY versions.
ONE, MANY = "bench-one-version", f"bench-{HISTORY}-versions"


def make_db(directory: Path) -> Path:
    """A database built the way `make run` builds it, plus the two history resources."""
    path = directory / "framings.db"
    env = {**os.environ, "FRAMINGS_DB": str(path)}
    subprocess.run(
        [sys.executable, "-m", "service.client.cli", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    db = store.open_db(str(path))
    body = store.get_current(db, "controls", "oct-2022-rule").body
    with db.atomic():  # one transaction: 10,000 appends in a second, not a minute
        store.append(db, "controls", ONE, body, author="bench", change_note="v1", expected=None)
        for n in range(HISTORY):
            store.append(
                db,
                "controls",
                MANY,
                body,
                author="bench",
                change_note=f"v{n + 1}",
                expected=n or None,
            )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {timeout}s")


def cpu_seconds(master: int) -> float:
    """User + system CPU used so far by a gunicorn master's workers (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that just exited
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


@contextmanager
def gunicorn(app: str, db_path: Path, probe: str = "/", root: Path = ROOT):
    """Serve `app` with the repository's gunicorn.conf.py on loopback; yield (URL, master pid).

    Only the app differs between the servers compared: the config file (worker count,
    timeouts, access log) is the one `make run` uses. Logs are discarded for both alike.
    `root` is the source tree served (bench/ab.py serves another copy next to this one).
    """
    port = free_port()
    env = {**os.environ, "FRAMINGS_DB": str(db_path), "PORT": str(port), "HOST": "127.0.0.1"}
    # One client scoring as fast as it can is the measurement, not an abuse to refuse.
    env["FRAMINGS_SCORE_RATE_LIMIT"] = "off"
    command = [sys.executable, "-m", "gunicorn", "-c", str(root / "gunicorn.conf.py"), app]
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + probe)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, method: str = "GET", body: dict | None = None, headers=None):
    """(status, headers) of one request, to check a scenario answers what it should."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian when missing (root, as on this machine)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it with apt-get", file=sys.stderr)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")
