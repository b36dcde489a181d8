"""Load the model from fixtures/ into the store, and export it back, losslessly."""

import json
from pathlib import Path

from marshmallow import ValidationError

from service import store
from service.kinds import KINDS
from service.validation import validate_body


class FixtureError(Exception):
    """A fixture file that does not describe a valid history."""


def read_histories(directory: Path) -> list[dict]:
    """Every fixture file under directory/<kind>/<id>.json, checked for shape."""
    histories = []
    for kind in KINDS:
        for path in sorted((directory / kind).glob("*.json")):
            history = json.loads(path.read_text(encoding="utf-8"))
            if history.get("kind") != kind or history.get("id") != path.stem:
                raise FixtureError(f"{path}: kind/id do not match the file's place")
            numbers = [v.get("version") for v in history.get("versions", [])]
            if numbers != list(range(1, len(numbers) + 1)):
                raise FixtureError(f"{path}: versions must be numbered 1..n without gaps")
            histories.append(history)
    return histories


def replay_order(histories: list[dict]) -> list[tuple[str, str, dict]]:
    """All versions in recorded_at order (ties by kind, id, version): that order is `seq`."""
    entries = [(h["kind"], h["id"], v) for h in histories for v in h["versions"]]
    return sorted(entries, key=lambda e: (e[2]["recorded_at"], e[0], e[1], e[2]["version"]))


def check_version(kind: str, id_: str, entry: dict, known) -> dict | None:
    """Validate one fixture version; ids it names may be anywhere in the fixture set."""
    if entry.get("deleted"):
        return None
    try:
        return validate_body(KINDS[kind], entry["body"], known)
    except ValidationError as error:
        raise FixtureError(f"{kind}/{id_} v{entry['version']}: {error.messages}") from error


def load_fixtures(db: store.Database, directory: Path) -> int:
    """Replay every fixture version into an empty store in one transaction; returns the count."""
    if store.max_seq(db):
        raise FixtureError("the database already holds a model; load into an empty one")
    histories = read_histories(directory)
    entries = replay_order(histories)
    ids = {kind: {h["id"] for h in histories if h["kind"] == kind} for kind in KINDS}
    with db.atomic():
        for kind, id_, entry in entries:
            body = check_version(kind, id_, entry, ids.__getitem__)
            expected = entry["version"] - 1 or None
            store.append(
                db,
                kind,
                id_,
                body,
                author=entry["author"],
                change_note=entry["change_note"],
                expected=expected,
                recorded_at=entry["recorded_at"],
            )
    return len(entries)


def history_document(kind: str, id_: str, versions: list[store.Version]) -> dict:
    rows = []
    for v in versions:
        row = {
            "version": v.version,
            "recorded_at": v.recorded_at,
            "author": v.author,
            "change_note": v.change_note,
        }
        if v.deleted:
            row["deleted"] = True
        row["body"] = v.body
        rows.append(row)
    return {"kind": kind, "id": id_, "versions": rows}


def export_fixtures(db: store.Database, directory: Path) -> int:
    """Write every resource's whole history back as fixture files; returns the file count."""
    grouped: dict[tuple[str, str], list[store.Version]] = {}
    for version in store.all_versions(db):
        grouped.setdefault((version.kind, version.id), []).append(version)
    for (kind, id_), versions in grouped.items():
        path = directory / kind / f"{id_}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        document = history_document(kind, id_, sorted(versions, key=lambda v: v.version))
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(grouped)
