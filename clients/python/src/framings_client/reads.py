"""Reads: resources, lists (paged), history, diffs, releases, review, trajectory, the feed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import requests

from framings_client._transport import Transport
from framings_client.types import Change, Diff, Health, Release, Review, Text, Version

KINDS = ("framings", "assumptions", "watchlist", "chips", "controls")


def decoded(response: requests.Response) -> Any:
    """JSON answers parsed; any other representation as `Text` with its ETag and type."""
    kind = response.headers.get("Content-Type", "")
    if "json" in kind:
        return response.json()
    response.encoding = response.encoding or "utf-8"
    return Text(response.text, response.headers.get("ETag"), kind.split(";")[0].strip())


def version_of(response: requests.Response) -> Version:
    return Version.from_json(
        response.json(), response.headers.get("ETag"), response.headers.get("Last-Modified")
    )


class Reads:
    """The read operations. Every read of the model takes `as_of` (an ISO 8601 date or time:
    the latest version recorded at or before it) or `release` (a release's name); `format`
    ("md", "csv", "html", "wiki", ...) gives `Text` instead of parsed JSON."""

    transport: Transport

    def read(self, path: str, format: str | None = None, **query: Any) -> Any:
        """GET any path of the API: parsed JSON, or `Text` for other representations.

        Raises a `FramingsError` subclass for an error answer (`NotFound`, `Gone`, ...).
        """
        query["format"] = format
        return decoded(self.transport.send("GET", path, params=query))

    def get(
        self,
        kind: str,
        id: str,
        *,
        version: int | None = None,
        as_of: str | None = None,
        release: str | None = None,
        format: str | None = None,
    ) -> Version | Text:
        """One resource: its latest version (or `version`, or as it stood at `as_of` or in
        `release`) as a `Version` whose `etag` a write sends back. Raises `NotFound`, or `Gone`
        (its `etag` is the tombstone's) for a deleted one."""
        path = f"/{kind}/{id}" + (f"/versions/{version}" if version is not None else "")
        params = {"as_of": as_of, "release": release, "format": format}
        response = self.transport.send("GET", path, params=params)
        if format not in (None, "json"):
            return decoded(response)
        return version_of(response)

    def pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Each JSON page of a paged answer, following its `next` link until there is none."""
        page = self.transport.send("GET", path, params=params).json()
        while True:
            yield page
            if not page.get("next"):
                return
            page = self.transport.send("GET", page["next"]).json()

    def list(
        self,
        kind: str,
        *,
        as_of: str | None = None,
        release: str | None = None,
        limit: int | None = None,
        **filters: Any,
    ) -> Iterator[Version]:
        """Every item of a collection, across its pages (`limit` per page). Filters are the
        API's: `status=["holding", "weakening"]`, `assumption="a6"`, `category=...`."""
        params = {"as_of": as_of, "release": release, "limit": limit, **filters}
        for page in self.pages(f"/{kind}", params):
            yield from (Version.from_json(item) for item in page["items"])

    def history(self, kind: str, id: str, *, limit: int | None = None) -> Iterator[Version]:
        """Every version of a resource, tombstones included, across pages."""
        for page in self.pages(f"/{kind}/{id}/versions", {"limit": limit}):
            yield from (Version.from_json(item) for item in page["items"])

    def diff(self, kind: str, id: str, to: int, since: int | None = None) -> Diff:
        """The RFC 6902 JSON Patch from version `since` (default to - 1; 0: the empty
        document) to version `to`, each operation with the `old` value. Raises `NotFound`."""
        path = f"/{kind}/{id}/versions/{to}/diff"
        return self.transport.send("GET", path, params={"from": since}).json()

    def releases(self) -> Iterator[Release]:
        """Every release, by name (without manifests)."""
        for page in self.pages("/releases", {}):
            yield from (Release.from_json(item) for item in page["items"])

    def release(self, name: str) -> Release:
        """One release with its manifest ("kind/id" -> version). Raises `NotFound`."""
        return Release.from_json(self.transport.send("GET", f"/releases/{name}").json())

    def release_snapshot(self, name: str) -> bytes:
        """The whole model as of a release, as one SQLite file's bytes."""
        return self.transport.send("GET", f"/releases/{name}/snapshot").content

    def review(self, *, as_of: str | None = None, release: str | None = None) -> Review:
        """What is due for review on `as_of` (default today), oldest first."""
        return self.read("/review", as_of=as_of, release=release)

    def trajectory(self, *, as_of=None, release=None, **filters: Any) -> dict[str, Any]:
        """Every stored control scored as the model stood on its date (filters: status)."""
        return self.read("/trajectory", as_of=as_of, release=release, **filters)

    def credence(self, id: str, *, as_of=None, release=None) -> dict[str, Any]:
        """An assumption's credence history with its evidence."""
        return self.read(f"/assumptions/{id}/credence", as_of=as_of, release=release)

    def changes(
        self,
        since: int = 0,
        *,
        limit: int | None = None,
        follow: bool = False,
        interval: float = 5.0,
    ) -> Iterator[Change]:
        """Every change with `seq` greater than `since`, oldest first, across pages. With
        `follow`, never ends: when the feed is drained it polls every `interval` seconds."""
        while True:
            for page in self.pages("/changes", {"since": since, "limit": limit}):
                for item in page["items"]:
                    since = item["seq"]
                    yield Change.from_json(item)
            if not follow:
                return
            time.sleep(interval)

    def health(self) -> Health:
        """Liveness and the model's latest `seq`."""
        return self.transport.send("GET", "/health").json()

    def index(self) -> dict[str, Any]:
        """The API's index: its collections and links."""
        return self.transport.send("GET", "/").json()
