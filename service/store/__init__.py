"""The only package that speaks SQL: an append-only version store on SQLite via sqlite-utils.

Callers use `from service import store` and the names below; the modules split it by concern.
Every value reaches SQL as a parameter; table and column names are constants.
The only package that imports sqlite3 or sqlite_utils (others use the names re-exported
here); may import schemas.timeutil, nothing else of the project, and never Flask.
"""

from sqlite3 import Error as DatabaseError
from sqlite3 import IntegrityError

from sqlite_utils import Database

from service.store.access import (
    IDEMPOTENCY_HOURS,
    Token,
    add_token,
    count_write,
    list_tokens,
    open_counters,
    remember_answer,
    remembered_answer,
    revoke_token,
    stored_time,
    token_by_hash,
)
from service.store.releases import (
    SECRET_TABLES,
    Release,
    backup,
    create_release,
    get_release,
    list_releases,
    release_manifest,
    scrub_secrets,
)
from service.store.schema import migrate, migrations, open_db, out_of_space
from service.store.versions import (
    COLUMNS,
    SQLITE_MAX_INT,
    Conflict,
    Point,
    Undecoded,
    Version,
    all_versions,
    append,
    change_mark,
    changes_since,
    get_current,
    get_version,
    head_version,
    latest_changes,
    list_current,
    list_versions,
    live_ids,
    max_seq,
    release_exists,
)

__all__ = [
    "Database",
    "DatabaseError",
    "out_of_space",
    "IntegrityError",
    "COLUMNS",
    "SECRET_TABLES",
    "SQLITE_MAX_INT",
    "Conflict",
    "Point",
    "Release",
    "Token",
    "Undecoded",
    "Version",
    "add_token",
    "all_versions",
    "append",
    "backup",
    "changes_since",
    "count_write",
    "create_release",
    "get_current",
    "get_release",
    "get_version",
    "head_version",
    "latest_changes",
    "list_current",
    "list_releases",
    "list_tokens",
    "open_counters",
    "stored_time",
    "IDEMPOTENCY_HOURS",
    "list_versions",
    "live_ids",
    "change_mark",
    "max_seq",
    "migrate",
    "migrations",
    "open_db",
    "release_exists",
    "release_manifest",
    "remember_answer",
    "remembered_answer",
    "revoke_token",
    "scrub_secrets",
    "token_by_hash",
]
