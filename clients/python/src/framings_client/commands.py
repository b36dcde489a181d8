"""The remote `framings` subcommands that read, and what every subcommand shares (cli.py parses
them; write_commands and score_commands hold the others). Each takes the parsed
arguments and returns the exit code; API errors are reported by cli.guarded."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from framings_client.client import Client
from framings_client.reads import KINDS
from framings_client.types import Change, Version

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Usage(Exception):
    """A usage error found after parsing (exit 2)."""


def client_of(args) -> Client:
    return Client(args.url, args.token, timeout=args.timeout, retries=args.retries)


def emit(answer: Any) -> None:
    """Print an answer: text (Markdown, CSV, HTML) as it came, anything else as indented JSON."""
    if isinstance(answer, str):
        sys.stdout.write(answer if answer.endswith("\n") else answer + "\n")
        return
    print(json.dumps(answer, indent=2, ensure_ascii=False))


def envelope(version: Version) -> dict[str, Any]:
    """A version as the API sends it (without the client's etag and last_modified)."""
    fields = dataclasses.asdict(version)
    return {k: v for k, v in fields.items() if k not in ("etag", "last_modified")}


def read_json(source: str) -> Any:
    """The JSON document in a file, or on stdin for `-`."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as error:
        raise Usage(f"cannot read JSON from {source}: {error}") from error


def split(words: list[str]) -> tuple[str, str | None, list[str]]:
    """KIND/ID or KIND ID (the older form) at the front of `words`, and the words after."""
    kind, _, id_ = words[0].partition("/")
    rest = words[1:]
    if kind not in KINDS:
        raise Usage(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if not id_ and rest and not rest[0].isdigit():
        id_, rest = rest[0], rest[1:]
    return kind, id_ or None, rest


def resource(words: list[str]) -> tuple[str, str]:
    kind, id_, rest = split(words)
    if not id_ or rest:
        raise Usage(f"give one resource as {kind}/ID")
    return kind, id_


def point(args) -> dict[str, Any]:
    return {"as_of": args.as_of, "release": args.release}


def cmd_get(args) -> int:
    """Print one resource (or one --version), or the first page of a list."""
    kind, id_, rest = split(args.target)
    if rest:
        raise Usage(f"unexpected {' '.join(rest)!r}")
    path = f"/{kind}" + (f"/{id_}" if id_ else "")
    if args.version is not None:
        if not id_:
            raise Usage("--version needs a resource: KIND/ID")
        path += f"/versions/{args.version}"
    emit(client_of(args).read(path, args.format, **dict(args.query), **point(args)))
    return EXIT_OK


def cmd_list(args) -> int:
    """Print every item of a list across its pages (JSON), or one page as text (--format)."""
    client, query = client_of(args), {**dict(args.query), **point(args), "limit": args.limit}
    if args.format not in (None, "json"):
        emit(client.read(f"/{args.kind}", args.format, **query))
    else:
        emit([envelope(version) for version in client.list(args.kind, **query)])
    return EXIT_OK


def cmd_history(args) -> int:
    """One line per version, oldest first: `vN recorded_at author: change note`."""
    for v in client_of(args).history(*resource(args.target)):
        deleted = " (deleted)" if v.deleted else ""
        print(f"v{v.version}{deleted} {v.recorded_at} {v.author or 'unknown'}: {v.change_note}")
    return EXIT_OK


def cmd_diff(args) -> int:
    """Print the JSON Patch that turns version M (default N-1) into version N."""
    kind, id_, numbers = split(args.target)
    if not id_ or not 1 <= len(numbers) <= 2 or not all(n.isdigit() for n in numbers):
        raise Usage("diff KIND/ID N [M]")
    to, since = int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else None
    emit(client_of(args).diff(kind, id_, to, since)["patch"])
    return EXIT_OK


def cmd_review(args) -> int:
    """Print what is due for review (as of --as-of, default today)."""
    emit(client_of(args).read("/review", args.format, **point(args)))
    return EXIT_OK


def change_line(change: Change) -> str:
    """`seq kind/id vN author: change note`, marking tombstones."""
    deleted = " (deleted)" if change.deleted else ""
    return (
        f"{change.seq} {change.kind}/{change.id} v{change.version}{deleted} "
        f"{change.author or 'unknown'}: {change.change_note or ''}"
    )


def cmd_watch(args) -> int:
    """Print each change as it is recorded, polling /changes; --once drains and exits."""
    client, since = client_of(args), args.since
    while True:
        for change in client.changes(since):
            print(change_line(change), flush=True)
            since = change.seq
        if args.once:
            return EXIT_OK
        time.sleep(args.interval)
