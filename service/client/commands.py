"""The `framings` subcommands that talk to a running server: get, score, diff and watch.

Exit codes: 0 ok; 1 the server answered 4xx; 2 usage error; 3 no answer (connection refused or
timed out, after retries); 4 the server answered 5xx.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from service.client import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    FramingsClient,
    FramingsError,
    FramingsUnavailable,
)

KINDS = ("framings", "assumptions", "watchlist", "chips", "controls")
FORMATS = ("json", "md", "csv", "html")
EXIT_CLIENT_ERROR, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_SERVER_ERROR = 1, 2, 3, 4


def client_of(args) -> FramingsClient:
    return FramingsClient(args.url, timeout=args.timeout, retries=args.retries)


def emit(answer) -> None:
    """Print an answer: JSON pretty-printed, text (Markdown, CSV, HTML) as it came."""
    if isinstance(answer, str):
        sys.stdout.write(answer if answer.endswith("\n") else answer + "\n")
    else:
        print(json.dumps(answer, indent=2, ensure_ascii=False))


def report(error: FramingsError) -> int:
    """Print an error answer to stderr, and the exit code it calls for."""
    print(f"framings: {error.message()}", file=sys.stderr)
    for line in error.field_lines():
        print(f"  {line}", file=sys.stderr)
    if isinstance(error, FramingsUnavailable):
        return EXIT_UNAVAILABLE
    return EXIT_CLIENT_ERROR if error.status < 500 else EXIT_SERVER_ERROR


def guarded(command):
    """Run a command, turning API errors into a message on stderr and an exit code."""

    def run(args) -> int:
        try:
            return command(args)
        except FramingsError as error:
            return report(error)
        except KeyboardInterrupt:
            # Ctrl-C is how one stops `watch`: a normal end, not a failure.
            return 0
        except BrokenPipeError:
            # The reader (`| head`) has had enough; point stdout at nothing so the interpreter's
            # final flush does not complain, and end quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0

    run.__doc__ = command.__doc__
    return run


def cmd_get(args) -> int:
    """Print one resource, one version, or the first page of a list."""
    query = {**dict(args.query), "as_of": args.as_of, "release": args.release}
    emit(client_of(args).get(args.kind, args.id, args.version, args.format, **query))
    return 0


def read_json(source: str):
    """The JSON document in a file, or on stdin for `-`; None (after a message) when unusable."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as error:
        print(f"framings: cannot read a JSON control from {source}: {error}", file=sys.stderr)
        return None


def cmd_score(args) -> int:
    """Score a control, or a {"controls": {...}} batch, read from a file or stdin."""
    document = read_json(args.file)
    if not isinstance(document, dict):
        if document is not None:
            print("framings: a control must be a JSON object", file=sys.stderr)
        return EXIT_USAGE
    client, point = client_of(args), {"as_of": args.as_of, "release": args.release}
    if isinstance(document.get("controls"), dict):
        emit(
            client.score_batch(
                document["controls"],
                assumptions=document.get("assumptions"),
                fmt=args.format,
                **point,
            )
        )
    else:
        emit(client.score(document, fmt=args.format, **point))
    return 0


def cmd_diff(args) -> int:
    """Print the JSON Patch that turns version M into version N."""
    emit(client_of(args).diff(args.kind, args.id, args.n, args.m)["patch"])
    return 0


def change_line(change: dict) -> str:
    """`seq kind/id vN author: change note`, marking tombstones."""
    deleted = " (deleted)" if change.get("deleted") else ""
    return (
        f"{change['seq']} {change['kind']}/{change['id']} v{change['version']}{deleted} "
        f"{change.get('author') or 'unknown'}: {change.get('change_note') or ''}"
    )


def cmd_watch(args) -> int:
    """Print each change as it is recorded, polling /changes; --once drains and exits."""
    client, since = client_of(args), args.since
    while True:
        for change in client.changes(since):
            print(change_line(change), flush=True)
            since = change["seq"]
        if args.once:
            return 0
        time.sleep(args.interval)


def common_options() -> argparse.ArgumentParser:
    """--url, --timeout and --retries, shared by every subcommand that talks to a server."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--url", help="the server (default $FRAMINGS_URL or http://localhost:8080)"
    )
    options.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for each answer (default {DEFAULT_TIMEOUT:g})",
    )
    options.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RETRIES,
        help=f"retries on 502/503/504 and connection errors (default {DEFAULT_RETRIES})",
    )
    return options


def query_pair(text: str) -> tuple[str, str]:
    """KEY=VALUE from the command line, as a query argument."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def point_options(parser: argparse.ArgumentParser, formats=FORMATS) -> None:
    parser.add_argument("--format", choices=formats, help="representation (default json)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--as-of", help="read the model as it stood then (ISO 8601)")
    when.add_argument("--release", help="read the model as frozen in this release")


def add_client_commands(subparsers) -> None:
    """Add get, score, diff and watch to the `framings` command's subparsers."""
    common = [common_options()]
    get = subparsers.add_parser("get", parents=common, help="print a resource or a list")
    get.add_argument("kind", choices=KINDS)
    get.add_argument("id", nargs="?")
    get.add_argument("--version", type=int, help="this version, not the latest")
    point_options(get)
    get.add_argument(
        "-q",
        "--query",
        type=query_pair,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a filter or paging argument (repeatable), e.g. -q status=pending -q limit=10",
    )
    get.set_defaults(func=guarded(cmd_get))
    score = subparsers.add_parser("score", parents=common, help="score a control from a file")
    score.add_argument("file", help='a JSON control, or {"controls": {...}}; - for stdin')
    point_options(score, ("json", "md"))
    score.set_defaults(func=guarded(cmd_score))
    diff = subparsers.add_parser("diff", parents=common, help="JSON Patch from version M to N")
    diff.add_argument("kind", choices=KINDS)
    diff.add_argument("id")
    diff.add_argument("n", type=int)
    diff.add_argument("m", type=int, nargs="?", help="default N-1")
    diff.set_defaults(func=guarded(cmd_diff))
    watch = subparsers.add_parser("watch", parents=common, help="follow the change feed")
    watch.add_argument("--since", type=int, default=0, help="start after this seq (default 0)")
    watch.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    watch.add_argument("--once", action="store_true", help="print what exists, then exit")
    watch.set_defaults(func=guarded(cmd_watch))
