"""The `framings` command: admin work on $FRAMINGS_DB (init, load, export, backup, token), and
every remote command of the client (framings_client.cli: get, list, edit, release, score, ...).

A new subcommand is one `add_<name>_command(commands)` call in build_parser.
"""

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from framings_client.cli import add_commands as add_remote_commands

from service import config, store
from service.fixtures import FixtureError, export_fixtures, load_fixtures
from service.publish.cli import add_publish_command
from service.web.auth import ROLES, hash_token, new_token

DEFAULT_DB = config.DEFAULT_DB
DEFAULT_FIXTURES = config.FIXTURES


def database_path(args) -> str:
    return args.db or config.database()


def open_store(path: str):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = store.open_db(path)
    store.migrate(db)
    return db


def cmd_init(args) -> int:
    """Create the database and load the fixtures, unless it already holds a model."""
    db = open_store(database_path(args))
    if store.max_seq(db):
        print(f"{database_path(args)}: already initialised (seq {store.max_seq(db)})")
        return 0
    count = load_fixtures(db, Path(args.fixtures))
    print(f"{database_path(args)}: loaded {count} versions from {args.fixtures}")
    return 0


def cmd_load(args) -> int:
    count = load_fixtures(open_store(database_path(args)), Path(args.fixtures))
    print(f"loaded {count} versions")
    return 0


def cmd_export(args) -> int:
    count = export_fixtures(open_store(database_path(args)), Path(args.directory))
    print(f"exported {count} resources to {args.directory}")
    return 0


def expiry(text: str) -> str:
    """--expires: a lifetime (`90m`, `12h`, `30d`) or an RFC 3339 instant, as stored (UTC)."""
    match = re.fullmatch(r"(\d+)([mhd])", text.strip())
    if match:
        unit = {"m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
        moment = datetime.now(UTC) + timedelta(**{unit: int(match.group(1))})
    else:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"give a lifetime such as 90m, 12h or 30d, or an RFC 3339 instant, not {text!r}"
            ) from None
        if moment.tzinfo is None:
            raise argparse.ArgumentTypeError("an instant needs its offset, e.g. Z")
    return store.stored_time(moment)


def cmd_token_create(args) -> int:
    """Create a token; it is printed once, as the last line, and stored only as a hash."""
    db = open_store(database_path(args))
    token = new_token()
    try:
        store.add_token(db, args.name, args.role, hash_token(token), args.expires)
    except store.IntegrityError:
        print(f"framings: a token named '{args.name}' exists", file=sys.stderr)
        return 1
    until = f", valid until {args.expires}" if args.expires else ""
    print(f"created {args.role} token '{args.name}'{until}; it will not be shown again:")
    print(token)
    return 0


def cmd_token_list(args) -> int:
    for token in store.list_tokens(open_store(database_path(args))):
        state = f"revoked {token.revoked_at}" if token.revoked_at else "active"
        if token.expires_at and not token.revoked_at:
            state += f" until {token.expires_at}"
        print(f"{token.name}\t{token.role}\tcreated {token.created_at}\t{state}")
    return 0


def cmd_token_revoke(args) -> int:
    if store.revoke_token(open_store(database_path(args)), args.name):
        print(f"revoked '{args.name}'")
        return 0
    print(f"framings: no active token named '{args.name}'", file=sys.stderr)
    return 1


def cmd_backup(args) -> int:
    store.backup(open_store(database_path(args)), args.path)
    print(f"backed up {database_path(args)} to {args.path}")
    return 0


def add_token_commands(commands) -> None:
    token = commands.add_parser("token", help="create, list and revoke API tokens")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="create a token (printed once)")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument(
        "--expires",
        type=expiry,
        help="when the token stops working: a lifetime (90m, 12h, 30d) or an RFC 3339 instant",
    )
    create.set_defaults(func=cmd_token_create)
    actions.add_parser("list", help="list tokens").set_defaults(func=cmd_token_list)
    revoke = actions.add_parser("revoke", help="revoke a token by name")
    revoke.add_argument("name")
    revoke.set_defaults(func=cmd_token_revoke)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framings", description=__doc__)
    parser.add_argument("--db", help="SQLite database (default $FRAMINGS_DB or var/framings.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create the database from fixtures if absent")
    init.add_argument("--fixtures", default=str(DEFAULT_FIXTURES))
    init.set_defaults(func=cmd_init)
    load = commands.add_parser("load", help="load fixtures into an empty database")
    load.add_argument("fixtures", nargs="?", default=str(DEFAULT_FIXTURES))
    load.set_defaults(func=cmd_load)
    export = commands.add_parser("export", help="write the whole model back as fixture files")
    export.add_argument("directory")
    export.set_defaults(func=cmd_export)
    backup = commands.add_parser("backup", help="copy a consistent snapshot while serving")
    backup.add_argument("path")
    backup.set_defaults(func=cmd_backup)
    add_token_commands(commands)
    add_remote_commands(commands)
    add_publish_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FixtureError as error:
        print(f"framings: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
