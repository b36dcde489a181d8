"""The one module that reads the environment: each variable, its default and its meaning.

Read at call time, not import time, so a test or a process that sets a variable later is
heard. An app's own config (create_app's argument) overrides these where both exist.
Imports nothing from the project.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DEFAULT_DB = "var/framings.db"
DEFAULT_URL = "http://localhost:8080"


def get(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def database() -> str:
    """FRAMINGS_DB: the SQLite file the app and the `framings` command use."""
    return get("FRAMINGS_DB", DEFAULT_DB)


def read_only() -> bool:
    """FRAMINGS_READ_ONLY=1: refuse every write (a node that only serves reads)."""
    return get("FRAMINGS_READ_ONLY", "") == "1"


def client_url() -> str | None:
    """FRAMINGS_URL: the API that `framings publish` reads (the client commands read it too,
    in framings_client)."""
    return get("FRAMINGS_URL")


def public_url() -> str | None:
    """FRAMINGS_PUBLIC_URL: the address readers reach the API at (e.g.
    `https://framings.example`); every citation and absolute link uses it when set, rather
    than the Host the request came in on."""
    return (get("FRAMINGS_PUBLIC_URL") or "").rstrip("/") or None


def wiki_login() -> tuple[str | None, str | None]:
    """FRAMINGS_WIKI_USER and FRAMINGS_WIKI_PASSWORD: the bot (`Name@app`) and its bot
    password that `framings publish` logs in to the wiki with."""
    return get("FRAMINGS_WIKI_USER"), get("FRAMINGS_WIKI_PASSWORD")


def write_rate_limit(default: str) -> str:
    """FRAMINGS_WRITE_RATE_LIMIT: writes allowed per token, e.g. `60/minute`."""
    return get("FRAMINGS_WRITE_RATE_LIMIT", default)


def score_rate_limit(default: str) -> str:
    """FRAMINGS_SCORE_RATE_LIMIT: controls scored per client, e.g. `6000/minute` (a batch
    counts each of its controls), or `off`."""
    return get("FRAMINGS_SCORE_RATE_LIMIT", default)


def trusted_proxies() -> str:
    """FRAMINGS_TRUSTED_PROXIES: addresses of proxies (nginx) whose X-Forwarded-For names the
    client, comma-separated; from any other address, the connection's own address is the
    client."""
    return get("FRAMINGS_TRUSTED_PROXIES", "")


def review_days() -> str | None:
    """FRAMINGS_REVIEW_DAYS: days after which an unreviewed item is overdue."""
    return get("FRAMINGS_REVIEW_DAYS")


def cors_origins() -> str:
    """FRAMINGS_CORS_ORIGINS: origins allowed to read cross-origin (`*` for any)."""
    return get("FRAMINGS_CORS_ORIGINS", "*")


def replica_of() -> str | None:
    """FRAMINGS_REPLICA_OF: the writer's URL, when this node is a read replica."""
    return get("FRAMINGS_REPLICA_OF")


def snapshot_dir() -> str | None:
    """FRAMINGS_SNAPSHOT_DIR: where release snapshots are kept."""
    return get("FRAMINGS_SNAPSHOT_DIR")


def replica_interval() -> float:
    """FRAMINGS_REPLICA_INTERVAL: seconds between a replica's checks for a new release."""
    return float(get("FRAMINGS_REPLICA_INTERVAL", "10"))


def replica_max_bytes() -> int:
    """FRAMINGS_REPLICA_MAX_BYTES: the largest snapshot a replica downloads (default 256 MiB)."""
    return int(get("FRAMINGS_REPLICA_MAX_BYTES", str(256 * 1024 * 1024)))


# The server process (gunicorn.conf.py)


def bind() -> str:
    return f"{get('HOST', '0.0.0.0')}:{get('PORT', '8080')}"


def workers(default: int) -> int:
    return int(get("WEB_CONCURRENCY", default))


def log_level() -> str:
    return get("LOG_LEVEL", "info")
