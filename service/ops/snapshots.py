"""Release snapshots: each release as one immutable SQLite file, which read replicas download."""

import logging
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, Response, send_file

from schemas.common import SLUG_PATTERN
from schemas.release import RESERVED_NAMES
from service import config, store

log = logging.getLogger(__name__)
MIMETYPE = "application/vnd.sqlite3"
SUFFIX = ".sqlite3"
ONE_YEAR = 31536000


def directory(app: Flask) -> Path:
    """Where this node keeps snapshots: FRAMINGS_SNAPSHOT_DIR, or `snapshots/` beside the DB."""
    configured = app.config.get("SNAPSHOT_DIR") or config.snapshot_dir()
    if configured:
        return Path(configured)
    return Path(app.config["DATABASE"]).resolve().parent / "snapshots"


def valid_name(name: object) -> bool:
    """A release name that may become a file name and a URL path segment: a slug
    (schemas/release.py), and none of the names a replica keeps for itself."""
    return (
        isinstance(name, str)
        and re.fullmatch(SLUG_PATTERN, name) is not None
        and name not in RESERVED_NAMES
    )


def path_in(folder: Path, name: str) -> Path:
    """The snapshot file of release `name` in `folder`; a ValueError for any other name."""
    if not valid_name(name):
        raise ValueError(f"not a release name: {name!r}")
    return folder / f"{name}{SUFFIX}"


def temporary_in(folder: Path) -> Path:
    """An empty file in `folder`, so the final rename is atomic (same file system)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".partial")
    os.close(handle)
    return Path(name)


def publish(temporary: Path, target: Path) -> Path:
    """Move a complete file into place; readers see the old state or the new, never half."""
    os.replace(temporary, target)
    return target


def write(db: store.Database, target: Path) -> Path:
    """A consistent copy of the whole database at `target`, made through a temporary file."""
    temporary = temporary_in(target.parent)
    try:
        store.backup(db, str(temporary))
        # Snapshots are public: no token hashes or remembered answers leave the writer.
        store.scrub_secrets(str(temporary))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return publish(temporary, target)


def exact(db: store.Database, release: store.Release) -> bool:
    """True when the model's newest change is the release's: its latest view is the release."""
    return store.max_seq(db) == release.seq


def take(db: store.Database, folder: Path, release: store.Release) -> None:
    """Snapshot a release just created; a failure is logged, the release itself stands."""
    try:
        target = write(db, path_in(folder, release.name))
    except (OSError, store.DatabaseError):
        log.exception("could not snapshot release %s; GET .../snapshot will retry", release.name)
        return
    snapshot = store.open_db(str(target), immutable=True)
    try:
        if not exact(snapshot, release):
            # A write committed between the release and its copy: history and ?release= reads
            # stay exact, but a replica's "latest" will include that write.
            log.warning("snapshot of release %s holds changes after it", release.name)
    finally:
        snapshot.conn.close()


def find_or_take(db: store.Database, folder: Path, name: str) -> Path | None:
    """The release's snapshot file; made now only if the model has not moved since the release."""
    target = path_in(folder, name)
    if target.exists():
        return target
    release = store.get_release(db, name)
    if release is None or not exact(db, release):
        return None
    return write(db, target)


def send(path: Path, name: str) -> Response:
    """The file with ETag = release name; it never changes, so caches may keep it for good."""
    response = send_file(
        path,
        mimetype=MIMETYPE,
        etag=name,
        conditional=True,
        download_name=path.name,
        max_age=ONE_YEAR,
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
