"""One exception per problem type of the API (RFC 9457), each carrying the problem's fields.

Every 4xx and 5xx answer raises a subclass of `FramingsError`: the class is chosen by the
problem's `type` (`/problems/stale-version` -> `StaleVersion`), else by the status
(`about:blank` 404 -> `NotFound`). No answer at all raises `Unavailable` (status None).
"""

from __future__ import annotations

from typing import Any


class FramingsError(Exception):
    """An error answer: `status` (int, None when there was no answer), `title`, `detail`,
    `errors` ({field path: [message, ...]}, for validation), `type` (the problem type URI),
    `instance` (the request path), `etag` (the current ETag a 410 or 412 carries) and
    `problem` (the whole problem object as sent)."""

    status: int | None = None

    def __init__(
        self,
        status: int | None,
        title: str,
        detail: str = "",
        *,
        errors: dict[str, list[str]] | None = None,
        type: str = "about:blank",
        instance: str | None = None,
        etag: str | None = None,
        problem: dict[str, Any] | None = None,
    ):
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or {}
        self.type = type
        self.instance = instance
        self.etag = etag
        self.problem = problem or {}
        super().__init__(self.message())

    def message(self) -> str:
        """`<status> <title>: <detail>`, the detail left out when it only repeats the title."""
        head = f"{self.status} {self.title}" if self.status else self.title
        return f"{head}: {self.detail}" if self.detail and self.detail != self.title else head

    def field_lines(self) -> list[str]:
        """One `field: message` line per field error."""
        return [f"{field}: {text}" for field, texts in self.errors.items() for text in texts]


class Unavailable(FramingsError):
    """No answer: connection refused, reset or timed out, after the retries."""

    def __init__(self, detail: str):
        super().__init__(None, "No answer", detail)


# --- by problem type (the server's /problems/<slug>) ---------------------------------------
class ValidationFailed(FramingsError):
    """422 (or 400): fields, query arguments or headers failed validation; see `errors`."""


class StaleVersion(FramingsError):
    """412: If-Match named a version that is no longer the latest; `etag` is the current one."""


class PreconditionFailed(FramingsError):
    """412: `If-Match: *`, `If-None-Match` or If-Unmodified-Since did not hold."""


class PreconditionRequired(FramingsError):
    """428: a write without If-Match (the client always sends one; a server may still ask)."""


class Gone(FramingsError):
    """410: the resource is deleted; `etag` is the tombstone's, to revive it with."""


class NotAcceptable(FramingsError):
    """406: no representation in the requested format."""


class UnsupportedMediaType(FramingsError):
    """415: the body was not in the type the operation takes."""


class MalformedBody(FramingsError):
    """400: the body could not be read as its Content-Type says."""


# --- by status, for problems of type about:blank -------------------------------------------
class BadRequest(FramingsError):
    """400."""


class Unauthorized(FramingsError):
    """401: no token, or one the server does not know (or revoked)."""


class Forbidden(FramingsError):
    """403: the token's role may not do this (writes need `editor`, releases `admin`)."""


class NotFound(FramingsError):
    """404: no such resource, version or release."""


class Conflict(FramingsError):
    """409: the resource or release already exists."""


class PayloadTooLarge(FramingsError):
    """413: the body is over the server's documented limit."""


class TooManyRequests(FramingsError):
    """429: over a rate limit, after the retries; the server's Retry-After was honoured."""


class ServerError(FramingsError):
    """5xx: the server failed (or is read-only, full, or unavailable after the retries)."""


BY_TYPE: dict[str, type[FramingsError]] = {
    "validation": ValidationFailed,
    "stale-version": StaleVersion,
    "precondition-failed": PreconditionFailed,
    "precondition-required": PreconditionRequired,
    "gone": Gone,
    "not-acceptable": NotAcceptable,
    "unsupported-media-type": UnsupportedMediaType,
    "malformed-body": MalformedBody,
}
BY_STATUS: dict[int, type[FramingsError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    406: NotAcceptable,
    409: Conflict,
    410: Gone,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: ValidationFailed,
    428: PreconditionRequired,
    429: TooManyRequests,
}


def error_class(status: int, type_uri: str) -> type[FramingsError]:
    """The exception for a problem: by its type's last path segment, else by its status."""
    slug = type_uri.rstrip("/").rsplit("/", 1)[-1] if type_uri != "about:blank" else ""
    if slug in BY_TYPE:
        return BY_TYPE[slug]
    if status >= 500:
        return ServerError
    return BY_STATUS.get(status, FramingsError)
