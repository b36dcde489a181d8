"""The remote subcommands that score: score, batch and compare (cli.py parses them)."""

from __future__ import annotations

import sys
from typing import Any

from framings_client.commands import EXIT_FAILED, EXIT_OK, Usage, client_of, emit, point, read_json
from framings_client.scores import failed


def control_document(source: str) -> dict[str, Any]:
    document = read_json(source)
    if not isinstance(document, dict):
        raise Usage("a control is a JSON object")
    return document


def cmd_score(args) -> int:
    """Score a control, or a {"controls": {...}} document as a batch, from a file or stdin."""
    document = control_document(args.file)
    if isinstance(document.get("controls"), dict):
        return batch(args, document)
    emit(client_of(args).score(document, format=args.format, **point(args)))
    return EXIT_OK


def cmd_batch(args) -> int:
    """Score {"controls": {key: control}, "assumptions": {...}}; exit 1 if any control failed."""
    document = control_document(args.file)
    if not isinstance(document.get("controls"), dict):
        raise Usage('a batch is {"controls": {"key": control, ...}}')
    return batch(args, document)


def batch(args, document: dict[str, Any]) -> int:
    """Print the batch in the chosen format; name each failed control and its fields on
    stderr (whatever the format), and exit 1 when any failed."""
    client, what_if = client_of(args), document.get("assumptions")
    answer = client.batch(document["controls"], assumptions=what_if, **point(args))
    if args.format in (None, "json"):
        emit(answer)
    else:  # a score is pure: asking again in another format changes nothing
        emit(
            client.batch(
                document["controls"], assumptions=what_if, format=args.format, **point(args)
            )
        )
    problems = failed(answer)
    for key, problem in problems.items():
        print(
            f"framings: control {key!r} failed: {problem.get('status')} "
            f"{problem.get('title')}: {problem.get('detail')}",
            file=sys.stderr,
        )
        for field, messages in (problem.get("errors") or {}).items():
            for message in messages:
                print(f"  {field}: {message}", file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


def cmd_compare(args) -> int:
    """Compare two to twenty controls: a JSON list, or {"controls": [...], "assumptions"}."""
    document = read_json(args.file)
    if isinstance(document, list):
        document = {"controls": document}
    if not isinstance(document, dict) or not isinstance(document.get("controls"), list):
        raise Usage('compare takes a JSON list of controls, or {"controls": [...]}')
    client = client_of(args)
    emit(
        client.compare(
            document["controls"],
            assumptions=document.get("assumptions"),
            format=args.format,
            **point(args),
        )
    )
    return EXIT_OK
