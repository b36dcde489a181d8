"""Read replicas: the same app serving the writer's latest release from an immutable snapshot.

Set FRAMINGS_REPLICA_OF to the writer's URL. The replica downloads the newest release's snapshot
into `releases/` under FRAMINGS_SNAPSHOT_DIR (default: `replica/` beside FRAMINGS_DB) at start,
and a thread in each worker checks GET /releases on the writer every FRAMINGS_REPLICA_INTERVAL
seconds (default 10). `current.sqlite3` in FRAMINGS_SNAPSHOT_DIR is a symlink to the snapshot
being served; switching it is one atomic rename, so every worker's next request sees the new
release and no request sees half of one.

A replica trusts nothing the writer sends (docs/deploy.md): a release name is used only if it
is a slug and not reserved (snapshots.valid_name), before any path or URL is made from it; the
link and the snapshots live in separate folders; the writer's links are resolved against the
writer's URL and followed only to the writer's own origin, never redirected; a download stops
at FRAMINGS_REPLICA_MAX_BYTES or after DOWNLOAD_SECONDS, and leaves no `.partial` file behind.
"""

import fcntl
import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import requests
from flask import Flask, current_app, request

from service import config, store
from service.ops import snapshots
from service.web.errors import problem, request_target

log = logging.getLogger(__name__)
CURRENT = "current" + snapshots.SUFFIX
RELEASES = "releases"  # the snapshots' own folder, beside (never holding) the serving link
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# POSTs under /score compute an answer and write nothing: replicas serve them (nginx agrees).
SCORING_PREFIX = "/score"
# Pages that need no model, so they answer even before the first snapshot arrives.
MODEL_FREE = {"api-docs.openapi_json", "api-docs.openapi_swagger_ui", "docs_asset"}
TIMEOUT = (5, 60)
DOWNLOAD_SECONDS = 600  # a snapshot arriving slower than this is dropped (and tried again)
MAX_PAGES = 1000  # pages of GET /releases followed at most (200 releases each)


class Untrusted(ValueError):
    """The writer sent something this replica will not act on."""


def release_order(item: dict) -> tuple:
    """Newest release last: the most changes frozen, then the latest creation time."""
    return item["seq"], item["created_at"], item["name"]


def usable(item) -> bool:
    """A listed release this replica may act on: a valid name, and the fields it orders by."""
    return (
        isinstance(item, dict)
        and snapshots.valid_name(item.get("name"))
        and isinstance(item.get("seq"), int)
        and isinstance(item.get("created_at"), str)
    )


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def hold(lock) -> None:
    """Take the folder's lock, waiting by sleeps (cooperative under gevent) rather than
    blocking the whole worker in flock."""
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(0.05)


class Replica:
    """Which snapshot this node serves, and how it keeps up with the writer."""

    def __init__(self, writer: str, folder: Path, interval: float, max_bytes: int):
        self.writer = writer.rstrip("/")
        self.folder = folder
        self.releases = folder / RELEASES
        self.interval = interval
        self.max_bytes = max_bytes
        self.poller_pid: int | None = None

    @property
    def current(self) -> Path:
        return self.folder / CURRENT

    def serving(self) -> str | None:
        """The release served now; None before the first snapshot or if its file is gone."""
        try:
            name = Path(os.readlink(self.current)).name.removesuffix(snapshots.SUFFIX)
        except OSError:
            return None
        return name if snapshots.valid_name(name) and self.current.exists() else None

    def resolve(self, link: str) -> str:
        """A link the writer gave (or one of ours), as a URL on the writer's own origin."""
        url = urljoin(self.writer + "/", link)
        if origin(url) != origin(self.writer):
            raise Untrusted(f"the writer linked to another origin: {link!r}")
        return url

    def get(self, url: str, **kwargs) -> requests.Response:
        """GET on the writer; redirects are not followed (they could lead anywhere)."""
        answer = requests.get(url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        if answer.status_code != 200:
            answer.close()
            raise Untrusted(f"GET {url} answered {answer.status_code}")
        return answer

    def latest_release(self) -> dict | None:
        """The writer's newest usable release, reading every page of GET /releases."""
        releases, url, seen = [], self.resolve("releases?limit=200"), set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise Untrusted(f"the writer's release pages do not end ({len(seen)} read)")
            seen.add(url)
            page = self.get(url).json()
            items = page["items"]
            releases += [item for item in items if usable(item)]
            if len(releases) < len(items):
                log.warning("ignored releases with unusable names or fields from %s", url)
            url = self.resolve(page["next"]) if page.get("next") else None
        return max(releases, key=release_order, default=None)

    def fetch(self, name: str, out_path: Path) -> None:
        """Stream a snapshot into `out_path`, stopping past max_bytes or DOWNLOAD_SECONDS."""
        url = self.resolve(f"{RELEASES}/{quote(name)}/snapshot")
        deadline = time.monotonic() + DOWNLOAD_SECONDS
        with self.get(url, stream=True) as answer, out_path.open("wb") as out:
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise Untrusted(f"the snapshot of {name} is {declared} bytes, over the limit")
            written = 0
            for chunk in answer.iter_content(1 << 16):
                written += len(chunk)
                if written > self.max_bytes:
                    raise Untrusted(f"the snapshot of {name} is over {self.max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise Untrusted(f"the snapshot of {name} took over {DOWNLOAD_SECONDS} s")
                out.write(chunk)

    def download(self, name: str) -> Path:
        """Fetch a release's snapshot, check it is one, and move it into place atomically."""
        target = snapshots.path_in(self.releases, name)  # refuses any name but a release's
        if target.exists():
            return target
        temporary = snapshots.temporary_in(self.releases)
        try:
            self.fetch(name, temporary)
            check = store.open_db(str(temporary), immutable=True)
            try:
                if not store.release_exists(check, name):
                    raise Untrusted(f"the snapshot of {name} does not hold that release")
            finally:
                check.conn.close()
            return snapshots.publish(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)  # gone already once published

    def switch_to(self, name: str) -> None:
        """Point current.sqlite3 at a downloaded snapshot with one atomic rename."""
        link = self.folder / f".{CURRENT}.{os.getpid()}"
        link.unlink(missing_ok=True)
        link.symlink_to(Path(RELEASES) / snapshots.path_in(self.releases, name).name)
        os.replace(link, self.current)
        log.info("replica now serves release %s from %s", name, self.writer)

    def sweep(self) -> None:
        """Remove what a download killed midway left (run under the lock: none is running)."""
        for folder in (self.folder, self.releases):
            for leftover in folder.glob(".*.partial"):
                leftover.unlink(missing_ok=True)

    def prune(self) -> None:
        """Keep the served snapshot and the newest other; open connections keep deleted files."""
        served = self.current.resolve()
        kept = [*self.releases.glob("*" + snapshots.SUFFIX), *self.folder.glob("*.sqlite3")]
        others = [f for f in kept if f.name != CURRENT and f.resolve() != served]
        for old in sorted(others, key=lambda f: f.stat().st_mtime)[:-1]:
            old.unlink(missing_ok=True)

    def sync(self) -> bool:
        """Serve the writer's newest release if it is not served already; True on a switch."""
        self.releases.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".sync.lock").open("w") as lock:
            # Workers share the folder: one syncs at a time, the others find the work done.
            hold(lock)
            self.sweep()
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


def settings(app: Flask) -> tuple[str | None, Path, float, int]:
    writer = app.config.get("REPLICA_OF", config.replica_of())
    default_folder = Path(app.config["DATABASE"]).resolve().parent / "replica"
    folder = app.config.get("SNAPSHOT_DIR") or config.snapshot_dir()
    interval = app.config.get("REPLICA_INTERVAL", config.replica_interval())
    max_bytes = app.config.get("REPLICA_MAX_BYTES", config.replica_max_bytes())
    return writer, Path(folder or default_folder), float(interval), int(max_bytes)


def init_app(app: Flask) -> None:
    """In replica mode, serve reads from current.sqlite3 and send writes to the writer."""
    writer, folder, interval, max_bytes = settings(app)
    if not writer:
        return
    replica = Replica(writer, folder, interval, max_bytes)
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
            f"the writer: {replica.writer}{request_target()}",
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
