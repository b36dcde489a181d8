"""Typed results: dataclasses for versions, changes and releases; TypedDicts for the rest.

Field names and meanings are the API's (see /openapi.json); times are RFC 3339 strings in UTC.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, TypedDict


class Text(str):
    """A representation that is not JSON (Markdown, CSV, HTML, wikitext, Atom, SVG): the text
    itself, with the answer's `etag` and `content_type`."""

    etag: str | None
    content_type: str

    def __new__(cls, text: str, etag: str | None = None, content_type: str = "text/plain"):
        value = super().__new__(cls, text)
        value.etag, value.content_type = etag, content_type
        return value


def known(cls, data: dict[str, Any]) -> dict[str, Any]:
    """The members of `data` that `cls` has fields for (a newer server may send more)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}


@dataclasses.dataclass(frozen=True)
class Version:
    """One version of a resource (`GET /<kind>/<id>`, a write's answer).

    `body` is the resource itself (None for a tombstone, `deleted` True); `seq` the global,
    gap-free change number; `etag` the strong tag `"<version>"` of this version's JSON, which a
    write sends back in If-Match; `last_modified` the HTTP date of a read's answer.
    """

    kind: str
    id: str
    version: int
    seq: int
    recorded_at: str
    author: str | None
    change_note: str | None
    deleted: bool
    body: dict[str, Any] | None
    links: dict[str, str] = dataclasses.field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any], etag: str | None = None, last_modified=None):
        tag = etag or f'"{data["version"]}"'
        return cls(**known(cls, data), etag=tag, last_modified=last_modified)


@dataclasses.dataclass(frozen=True)
class Change:
    """One entry of the change feed (`GET /changes`): which version of what, by whom, why."""

    seq: int
    kind: str
    id: str
    version: int
    recorded_at: str
    author: str | None
    change_note: str | None
    deleted: bool
    links: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(**known(cls, data))


@dataclasses.dataclass(frozen=True)
class Release:
    """A named, frozen snapshot of the model; `manifest` maps "kind/id" to a version (read
    one release to have it; lists leave it None)."""

    name: str
    created_at: str
    author: str | None
    description: str
    seq: int
    links: dict[str, str] = dataclasses.field(default_factory=dict)
    manifest: dict[str, int] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Release:
        return cls(**known(cls, data))


class PatchOperation(TypedDict, total=False):
    """An RFC 6902 operation, with `old`: the value removed or replaced."""

    op: Literal["add", "remove", "replace"]
    path: str
    value: Any
    old: Any


Diff = TypedDict(
    "Diff",
    {"kind": str, "id": str, "from": int, "to": int, "patch": list[PatchOperation]},
)
Diff.__doc__ = "`GET …/versions/<n>/diff?from=<m>`: the JSON Patch from version m to n."


class FramingScore(TypedDict, total=False):
    """A control's score under one framing: alignment in [-1, 1], its label, the robust
    alignment (the worst case over doubtful assumptions), and criterion rows."""

    version: int
    alignment: float
    score: int
    label: str
    robust_alignment: float
    robust_label: str
    criteria: list[dict[str, Any]]
    sensitivity: list[dict[str, Any]]


class Score(TypedDict, total=False):
    """`POST /score`: the normalised control, derived features, per-framing scores (by framing
    id), the verdict, the model versions used and `input_hash`; `source` for stored scores."""

    control: dict[str, Any]
    derived: dict[str, Any]
    framings: dict[str, FramingScore]
    verdict: dict[str, Any]
    model: dict[str, Any]
    input_hash: str
    source: dict[str, Any]


class Batch(TypedDict):
    """`POST /score/batch`: client key -> a Score, or a problem object (with `status`,
    `detail` and `errors`) for a control that failed."""

    results: dict[str, dict[str, Any]]


class Comparison(TypedDict):
    """`POST /score/compare`: one Score per control in order, and per framing the controls
    ranked by alignment and by robust alignment (highest first)."""

    results: list[Score]
    rankings: dict[str, dict[str, list[dict[str, Any]]]]


class ReviewItem(TypedDict, total=False):
    kind: str
    id: str
    title: str
    version: int
    last_reviewed: str
    days_since_review: int
    overdue_by_days: int
    url: str


class Review(TypedDict):
    """`GET /review`: what is due for review on `as_of` (oldest first)."""

    as_of: str
    review_days: int
    items: list[ReviewItem]


class Health(TypedDict, total=False):
    status: str
    seq: int
    scorer: str
