"""The remote subcommands that write: edit, create, delete and release (cli.py parses them)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from framings_client.commands import EXIT_OK, Usage, client_of, emit, envelope, read_json, resource


def assignment(text: str) -> tuple[list[str], Any]:
    """`a.b.c=VALUE`: the path and the value, read as JSON when it is JSON (0.4, null, true,
    ["x"], {"k": 1}), else as the string itself."""
    path, sep, raw = text.partition("=")
    if not sep or not path:
        raise Usage(f"--set takes PATH=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return path.split("."), value


def merge_patch_of(args) -> dict[str, Any]:
    """The merge patch an edit sends: --patch FILE, then each --set on top of it."""
    patch = read_json(args.patch) if args.patch else {}
    if not isinstance(patch, dict):
        raise Usage("a merge patch is a JSON object")
    for path, value in map(assignment, args.set):
        node = patch
        for name in path[:-1]:
            node = node.setdefault(name, {})
            if not isinstance(node, dict):
                raise Usage(f"--set {'.'.join(path)}: {name} is set to a value already")
        node[path[-1]] = value
    if not patch:
        raise Usage("say what to change: --set PATH=VALUE or --patch FILE")
    return patch


def cmd_edit(args) -> int:
    """Merge-patch a resource from its latest version (If-Match its ETag); print the new one."""
    kind, id_ = resource(args.target)
    patch = merge_patch_of(args)
    emit(envelope(client_of(args).edit(kind, id_, patch, args.note, retries=args.retry)))
    return EXIT_OK


def cmd_create(args) -> int:
    """Create a resource from a JSON body (a file, or - for stdin); print version 1."""
    body = read_json(args.file)
    made = client_of(args).create(
        args.kind, body, args.note, slug=args.slug, idempotency_key=args.idempotency_key
    )
    emit(envelope(made))
    return EXIT_OK


def cmd_delete(args) -> int:
    """Delete a resource (a tombstone version); print the tombstone."""
    emit(envelope(client_of(args).delete(*resource(args.target), args.note)))
    return EXIT_OK


def cmd_release_create(args) -> int:
    release = client_of(args).create_release(args.name, args.description)
    emit(dataclasses.asdict(release))
    return EXIT_OK


def cmd_release_list(args) -> int:
    for release in client_of(args).releases():
        print(f"{release.name}\tseq {release.seq}\t{release.created_at}\t{release.description}")
    return EXIT_OK


def cmd_release_show(args) -> int:
    emit(client_of(args).read(f"/releases/{args.name}", args.format))
    return EXIT_OK
