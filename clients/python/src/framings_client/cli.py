"""The `framings` command's remote subcommands: everything it asks of a running server.

    framings get assumptions/a3 --as-of 2025-07-21
    framings edit assumptions/a4 --set assessment.credence=0.2 --note "New evidence"

The server (`--url`, else $FRAMINGS_URL, else http://localhost:8080) and the token (`--token`,
else $FRAMINGS_TOKEN) are options of every subcommand. Exit codes: 0 ok; 1 the server answered
4xx, or a control of a batch failed; 2 usage error; 3 no answer (after retries); 4 the server
answered 5xx.

Any other subcommand (the admin commands on the database: init, load, export, token) is handed
to the program a distribution registers under the `framings.cli` entry point group: the
server's `service.client.cli:main`, which builds the whole parser (its own commands, then these
through `add_commands`). So a remote command never imports the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from framings_client import commands as run
from framings_client import score_commands as scoring
from framings_client import write_commands as write
from framings_client._transport import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from framings_client.errors import FramingsError, Unavailable
from framings_client.reads import KINDS

FORMATS = ("json", "md", "csv", "html", "wiki", "confluence")
EXIT_UNAVAILABLE, EXIT_SERVER_ERROR = 3, 4
PROGRAM_GROUP = "framings.cli"


def report(error: FramingsError) -> int:
    """Print an error answer to stderr, one line per field error; the exit code it calls for."""
    print(f"framings: {error.message()}", file=sys.stderr)
    for line in error.field_lines():
        print(f"  {line}", file=sys.stderr)
    if isinstance(error, Unavailable):
        return EXIT_UNAVAILABLE
    return run.EXIT_FAILED if error.status < 500 else EXIT_SERVER_ERROR


def guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run a command, turning API and usage errors into a message on stderr and an exit code."""

    def guard(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except FramingsError as error:
            return report(error)
        except run.Usage as error:
            print(f"framings: {error}", file=sys.stderr)
            return run.EXIT_USAGE
        except KeyboardInterrupt:  # Ctrl-C is how one stops `watch`: a normal end
            return run.EXIT_OK
        except BrokenPipeError:  # `| head` has had enough: end quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return run.EXIT_OK

    guard.__doc__ = command.__doc__
    return guard


def remote_options() -> argparse.ArgumentParser:
    """--url, --token, --timeout and --retries, on every remote subcommand."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--url", help="the server (default $FRAMINGS_URL or http://localhost:8080)"
    )
    options.add_argument("--token", help="a bearer token for writes (default $FRAMINGS_TOKEN)")
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
        help=f"retries of reads and scores on 429/502/503/504 and connection "
        f"errors (default {DEFAULT_RETRIES})",
    )
    return options


def point_options(parser: argparse.ArgumentParser, formats=FORMATS) -> None:
    parser.add_argument("--format", choices=formats, help="representation (default json)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--as-of", help="the model as it stood then (ISO 8601 date or time)")
    when.add_argument("--release", help="the model as frozen in this release")


def query_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def query_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q",
        "--query",
        type=query_pair,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a filter or paging argument (repeatable), e.g. -q status=pending",
    )


def note_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--note",
        required=True,
        help="the change note, one line, any language (sent as RFC 8187 if not ASCII)",
    )


def command(subparsers, name: str, func, help: str, **kwargs) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, parents=[remote_options()], help=help, **kwargs)
    parser.set_defaults(func=guarded(func))
    return parser


def add_reads(subparsers) -> None:
    get = command(subparsers, "get", run.cmd_get, "print a resource, a version or a list page")
    get.add_argument("target", nargs="+", metavar="KIND[/ID]", help="e.g. assumptions/a3")
    get.add_argument("--version", type=int, help="this version, not the latest")
    point_options(get)
    query_option(get)
    listing = command(subparsers, "list", run.cmd_list, "print every item of a list")
    listing.add_argument("kind", choices=KINDS)
    listing.add_argument("--limit", type=int, help="items per page (text formats: one page)")
    point_options(listing)
    query_option(listing)
    history = command(subparsers, "history", run.cmd_history, "one line per version")
    history.add_argument("target", nargs="+", metavar="KIND/ID")
    diff = command(subparsers, "diff", run.cmd_diff, "JSON Patch from version M to N")
    diff.add_argument("target", nargs="+", metavar="KIND/ID N [M]")
    review = command(subparsers, "review", run.cmd_review, "what is due for review")
    point_options(review, ("json", "md", "html"))
    watch = command(subparsers, "watch", run.cmd_watch, "follow the change feed")
    watch.add_argument("--since", type=int, default=0, help="start after this seq (default 0)")
    watch.add_argument("--interval", type=float, default=5.0, help="seconds between polls")
    watch.add_argument("--once", action="store_true", help="print what exists, then exit")


def add_writes(subparsers) -> None:
    edit = command(
        subparsers, "edit", write.cmd_edit, "merge-patch a resource from its latest version"
    )
    edit.add_argument("target", nargs="+", metavar="KIND/ID")
    edit.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="a field by dotted path; VALUE is JSON if it parses, else a string",
    )
    edit.add_argument("--patch", metavar="FILE", help="a JSON merge patch (RFC 7396); - for stdin")
    edit.add_argument(
        "--retry",
        type=int,
        default=0,
        metavar="N",
        help="re-read and re-apply up to N times if someone wrote in between",
    )
    note_option(edit)
    create = command(subparsers, "create", write.cmd_create, "create a resource from a JSON body")
    create.add_argument("kind", choices=KINDS)
    create.add_argument("file", help="the body as JSON; - for stdin")
    create.add_argument("--slug", help="the new id (default: made from the title)")
    create.add_argument("--idempotency-key", help="default: a new UUID")
    note_option(create)
    delete = command(subparsers, "delete", write.cmd_delete, "delete a resource (a tombstone)")
    delete.add_argument("target", nargs="+", metavar="KIND/ID")
    note_option(delete)
    release = subparsers.add_parser("release", help="create, list and show releases")
    actions = release.add_subparsers(dest="action", required=True)
    made = command(actions, "create", write.cmd_release_create, "freeze the model (admin)")
    made.add_argument("name")
    made.add_argument("--description", required=True)
    command(actions, "list", write.cmd_release_list, "list releases")
    show = command(actions, "show", write.cmd_release_show, "a release and its manifest")
    show.add_argument("name")
    show.add_argument("--format", choices=("json", "md", "html"))


def add_scores(subparsers) -> None:
    score = command(subparsers, "score", scoring.cmd_score, "score a control from a file")
    score.add_argument("file", help='a JSON control, or {"controls": {...}}; - for stdin')
    point_options(score, ("json", "md"))
    batch = command(
        subparsers, "batch", scoring.cmd_batch, "score several controls (exit 1 if any fails)"
    )
    batch.add_argument("file", help='{"controls": {"key": control, ...}}; - for stdin')
    point_options(batch, ("json", "md"))
    compare = command(subparsers, "compare", scoring.cmd_compare, "rank 2-20 controls per framing")
    compare.add_argument("file", help='a JSON list of controls, or {"controls": [...]}')
    point_options(compare, ("json", "md"))


def add_commands(subparsers) -> None:
    """Add every remote subcommand to a `framings` parser's subparsers."""
    add_reads(subparsers)
    add_writes(subparsers)
    add_scores(subparsers)


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The remote commands' parser, and their names."""
    parser = argparse.ArgumentParser(
        prog="framings", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_commands(subparsers)
    return parser, set(subparsers.choices)


def installed_program() -> Callable[[list[str]], int] | None:
    """The `main` registered under the `framings.cli` entry point group (the server's), if any."""
    from importlib.metadata import entry_points

    found = list(entry_points(group=PROGRAM_GROUP))
    return found[0].load() if found else None


def main(argv: list[str] | None = None) -> int:
    """Run a remote subcommand here; hand anything else to the installed server's program."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser, names = build_parser()
    program = None if argv[:1] and argv[0] in names else installed_program()
    if program is not None:
        return program(argv)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
