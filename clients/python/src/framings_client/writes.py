"""Writes: create, put, patch (and `edit`, which reads first), delete, revive, releases.

Every write needs a token with the `editor` role (releases: `admin`) and a change note, in any
language. PUT, PATCH and DELETE carry If-Match with the ETag of the version they change; by
default the client reads the current version just before, so the write still fails (412,
`StaleVersion`) if someone wrote in between.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from framings_client._transport import Transport, note_headers
from framings_client.errors import Gone, StaleVersion
from framings_client.reads import version_of
from framings_client.types import Release, Version

MERGE_PATCH = "application/merge-patch+json"


class Writes:
    """The write operations; each answers the new `Version` (its `etag` is the next If-Match)."""

    transport: Transport

    def current_etag(self, kind: str, id: str) -> str:
        """The ETag of the latest version, live or a tombstone's (read from the 410)."""
        try:
            return self.transport.send("GET", f"/{kind}/{id}").headers["ETag"]
        except Gone as gone:
            return gone.etag or ""

    def create(
        self,
        kind: str,
        body: dict[str, Any],
        note: str,
        *,
        slug: str | None = None,
        idempotency_key: str | None = None,
    ) -> Version:
        """Create version 1 of a new resource, its id from `slug` (else made from its title).

        An Idempotency-Key (a new UUID unless given) makes a retried create safe: the server
        answers a repeat with the first answer. Raises `ValidationFailed` (422, `errors` per
        field), `Conflict` (409, the id exists), `Unauthorized`/`Forbidden`.
        """
        headers = {
            "Idempotency-Key": idempotency_key or str(uuid.uuid4()),
            **note_headers(note),
        }
        if slug:
            headers["Slug"] = slug
        response = self.transport.send(
            "POST", f"/{kind}", json=body, headers=headers, retryable=True
        )
        return version_of(response)

    def put(
        self, kind: str, id: str, body: dict[str, Any], note: str, *, etag: str | None = None
    ) -> Version:
        """Replace a resource with `body` as a new version, If-Match `etag` (default: the
        current version's, read now; a tombstone's revives it). Raises `StaleVersion`."""
        headers = {"If-Match": etag or self.current_etag(kind, id), **note_headers(note)}
        return version_of(self.transport.send("PUT", f"/{kind}/{id}", json=body, headers=headers))

    def create_at(self, kind: str, id: str, body: dict[str, Any], note: str) -> Version:
        """PUT a new resource under `id` (If-None-Match: *). Raises `PreconditionFailed` if it
        exists."""
        headers = {"If-None-Match": "*", **note_headers(note)}
        return version_of(self.transport.send("PUT", f"/{kind}/{id}", json=body, headers=headers))

    def patch(self, kind: str, id: str, patch: dict[str, Any], note: str, *, etag: str) -> Version:
        """Send a JSON Merge Patch (RFC 7396: null removes a member) If-Match `etag`.
        Raises `StaleVersion` (412) when `etag` is not the latest, `ValidationFailed` (422)."""
        headers = {"If-Match": etag, "Content-Type": MERGE_PATCH, **note_headers(note)}
        data = json.dumps(patch, ensure_ascii=False).encode("utf-8")
        return version_of(self.transport.send("PATCH", f"/{kind}/{id}", data=data, headers=headers))

    def edit(
        self, kind: str, id: str, patch: dict[str, Any], note: str, *, retries: int = 0
    ) -> Version:
        """Read the latest version, then merge-patch it If-Match its ETag.

        On a 412 (someone wrote in between) the patch is re-applied to the new latest version
        up to `retries` times, only when asked: by default `StaleVersion` is raised, since the
        patch was written against what the caller last saw.
        """
        for attempt in range(retries + 1):
            etag = self.transport.send("GET", f"/{kind}/{id}").headers["ETag"]
            try:
                return self.patch(kind, id, patch, note, etag=etag)
            except StaleVersion:
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")

    def delete(self, kind: str, id: str, note: str, *, etag: str | None = None) -> Version:
        """Delete: a tombstone version (the latest then answers 410; history stays). Raises
        `Gone` when already deleted, `StaleVersion`."""
        headers = {"If-Match": etag or self.current_etag(kind, id), **note_headers(note)}
        return version_of(self.transport.send("DELETE", f"/{kind}/{id}", headers=headers))

    def revive(
        self, kind: str, id: str, body: dict[str, Any], note: str, *, etag: str | None = None
    ) -> Version:
        """Bring a deleted resource back with `body`: PUT If-Match the tombstone's ETag
        (default: read from the 410). On a live resource it is a plain `put`."""
        return self.put(kind, id, body, note, etag=etag or self.current_etag(kind, id))

    def create_release(self, name: str, description: str) -> Release:
        """Freeze the live model under `name` (admin). Raises `Conflict` if the name is
        taken (releases never change), `Forbidden` without the admin role."""
        body = {"name": name, "description": description}
        return Release.from_json(self.transport.send("POST", "/releases", json=body).json())
