"""Read replicas: the same app serving the writer's latest release from an immutable snapshot.

Set FRAMINGS_REPLICA_OF to the writer's URL. The replica downloads the newest release's snapshot
into FRAMINGS_SNAPSHOT_DIR (default: `replica/` beside FRAMINGS_DB) at start, and a thread in each
worker checks GET /releases on the writer every FRAMINGS_REPLICA_INTERVAL seconds (default 10).
`current.sqlite3` there is a symlink to the snapshot being served; switching it is one atomic
rename, so every worker's next request sees the new release and no request sees half of one.
"""

import fcntl
import logging
import os
import threading
import time
from pathlib import Path

import requests
from flask import Flask, current_app, request

from service import config, store
from service.ops import snapshots
from service.web.errors import problem

log = logging.getLogger(__name__)
CURRENT = "current" + snapshots.SUFFIX
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# POSTs under /score compute an answer and write nothing: replicas serve them (nginx agrees).
SCORING_PREFIX = "/score"
# Pages that need no model, so they answer even before the first snapshot arrives.
MODEL_FREE = {"api-docs.openapi_json", "api-docs.openapi_swagger_ui", "docs_asset"}
TIMEOUT = (5, 60)


def release_order(item: dict) -> tuple:
    """Newest release last: the most changes frozen, then the latest creation time."""
    return item["seq"], item["created_at"], item["name"]


class Replica:
    """Which snapshot this node serves, and how it keeps up with the writer."""

    def __init__(self, writer: str, folder: Path, interval: float):
        self.writer = writer.rstrip("/")
        self.folder = folder
        self.interval = interval
        self.poller_pid: int | None = None

    @property
    def current(self) -> Path:
        return self.folder / CURRENT

    def serving(self) -> str | None:
        """The name of the release served now, or None before the first snapshot."""
        try:
            return os.readlink(self.current).removesuffix(snapshots.SUFFIX)
        except FileNotFoundError:
            return None

    def latest_release(self) -> dict | None:
        """The writer's newest release, reading every page of GET /releases."""
        releases, url = [], "/releases?limit=200"
        while url:
            page = requests.get(self.writer + url, timeout=TIMEOUT)
            page.raise_for_status()
            releases += page.json()["items"]
            url = page.json()["next"]
        return max(releases, key=release_order, default=None)

    def download(self, name: str) -> Path:
        """Fetch a release's snapshot, check it is one, and move it into place atomically."""
        target = snapshots.path_in(self.folder, name)
        if target.exists():
            return target
        temporary = snapshots.temporary_in(self.folder)
        try:
            with requests.get(
                f"{self.writer}/releases/{name}/snapshot", stream=True, timeout=TIMEOUT
            ) as answer:
                answer.raise_for_status()
                with temporary.open("wb") as out:
                    for chunk in answer.iter_content(1 << 16):
                        out.write(chunk)
            check = store.open_db(str(temporary), immutable=True)
            try:
                if not store.release_exists(check, name):
                    raise ValueError(f"the snapshot of {name} does not hold that release")
            finally:
                check.conn.close()
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return snapshots.publish(temporary, target)

    def switch_to(self, name: str) -> None:
        """Point current.sqlite3 at a downloaded snapshot with one atomic rename."""
        link = self.folder / f".{CURRENT}.{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(snapshots.path_in(self.folder, name).name)
        os.replace(link, self.current)
        log.info("replica now serves release %s from %s", name, self.writer)

    def prune(self) -> None:
        """Keep the served snapshot and the newest other; open connections keep deleted files."""
        served = self.current.resolve()
        others = [
            f for f in self.folder.glob("*" + snapshots.SUFFIX) if f.name != CURRENT and f != served
        ]
        for old in sorted(others, key=lambda f: f.stat().st_mtime)[:-1]:
            old.unlink(missing_ok=True)

    def sync(self) -> bool:
        """Serve the writer's newest release if it is not served already; True on a switch."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".sync.lock").open("w") as lock:
            # Workers share the folder: one syncs at a time, the others find the work done.
            fcntl.flock(lock, fcntl.LOCK_EX)
            latest = self.latest_release()
            if latest is None or latest["name"] == self.serving():
                return False
            self.download(latest["name"])
            self.switch_to(latest["name"])
            self.prune()
            return True

    def sync_quietly(self) -> None:
        try:
            self.sync()
        except Exception:  # noqa: BLE001 - whatever the writer sends, keep serving what we have
            log.warning(
                "replica could not sync with %s; serving %s",
                self.writer,
                self.serving(),
                exc_info=True,
            )

    def poll(self) -> None:
        while True:
            time.sleep(self.interval)
            self.sync_quietly()

    def ensure_poller(self) -> None:
        """One polling thread per worker process, started after gunicorn forks it."""
        if self.interval > 0 and self.poller_pid != os.getpid():
            self.poller_pid = os.getpid()
            threading.Thread(target=self.poll, name="replica-sync", daemon=True).start()


def settings(app: Flask) -> tuple[str | None, Path, float]:
    writer = app.config.get("REPLICA_OF", config.replica_of())
    default_folder = Path(app.config["DATABASE"]).resolve().parent / "replica"
    folder = app.config.get("SNAPSHOT_DIR") or config.snapshot_dir()
    interval = app.config.get("REPLICA_INTERVAL", config.replica_interval())
    return writer, Path(folder or default_folder), float(interval)


def init_app(app: Flask) -> None:
    """In replica mode, serve reads from current.sqlite3 and send writes to the writer."""
    writer, folder, interval = settings(app)
    if not writer:
        return
    replica = Replica(writer, folder, interval)
    app.extensions["framings_replica"] = replica
    app.config.update(
        REPLICA_OF=replica.writer,
        SNAPSHOT_DIR=str(folder),
        READ_ONLY=True,
        IMMUTABLE=True,
        DATABASE=str(replica.current),
    )
    replica.sync_quietly()
    replica.ensure_poller()
    app.before_request(before_request)
    app.after_request(name_the_release)


def before_request():
    """Refuse writes (naming the writer) and reads before the first snapshot arrives."""
    replica: Replica = current_app.extensions["framings_replica"]
    replica.ensure_poller()
    if request.url_rule is None or request.endpoint in MODEL_FREE:
        return None
    scoring = request.url_rule.rule.startswith(SCORING_PREFIX)
    if request.method not in SAFE_METHODS and not scoring:
        return problem(
            405,
            "Method Not Allowed",
            f"This is a read-only replica. Send writes to "
            f"the writer: {replica.writer}{request.full_path.rstrip('?')}",
            headers={"Allow": "GET, HEAD, OPTIONS"},
        )
    if replica.serving() is None:
        return problem(
            503,
            "Service Unavailable",
            "This replica has no snapshot of the model "
            f"yet; it is fetching the latest release from {replica.writer}.",
            headers={"Retry-After": str(max(1, round(replica.interval)))},
        )
    return None


def name_the_release(response):
    """Say which release answered, so operators and caches can tell replicas apart."""
    name = current_app.extensions["framings_replica"].serving()
    if name:
        response.headers["X-Framings-Release"] = name
    return response


def serving_release() -> str | None:
    """On a replica, the release it serves; None on the writer.

    Reads with no as_of or release are pinned to it, so a write that reached the snapshot file
    after the release was taken is never served as part of that release.
    """
    replica = current_app.extensions.get("framings_replica")
    return replica.serving() if replica else None
