"""Sending one request: the token, retries with backoff, and error answers as exceptions."""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urljoin

import requests

from framings_client.errors import FramingsError, Unavailable, error_class

DEFAULT_URL = "http://localhost:8080"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.25
MAX_WAIT = 30.0  # seconds: the longest Retry-After or backoff the client sleeps through
RETRY_STATUSES = frozenset({429, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NOTE_HEADER = "X-Change-Note"


def note_headers(note: str) -> dict[str, str]:
    """The change note as a header: as is when it is printable ASCII, else in RFC 8187's
    `UTF-8''<percent-encoded UTF-8>` form, which the server decodes (any language)."""
    printable = note.isascii() and note.isprintable()
    if printable and not note.lower().startswith("utf-8''"):
        return {NOTE_HEADER: note}
    return {NOTE_HEADER: "UTF-8''" + quote(note.encode("utf-8"), safe="")}


def retry_after(response: requests.Response) -> float | None:
    """Seconds to wait from a Retry-After header (delay seconds or an HTTP-date)."""
    value = (response.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def failure(response: requests.Response) -> FramingsError:
    """The exception for an error answer; tolerant of bodies that are not problem+json."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    etag = response.headers.get("ETag")
    if not isinstance(problem, dict):  # a proxy's HTML page, say: keep a short piece of it
        detail = " ".join(response.text.split())[:200]
        cls = error_class(response.status_code, "about:blank")
        return cls(response.status_code, response.reason or "Error", detail, etag=etag)
    errors = problem.get("errors")
    type_uri = str(problem.get("type") or "about:blank")
    return error_class(response.status_code, type_uri)(
        response.status_code,
        str(problem.get("title") or response.reason or "Error"),
        str(problem.get("detail") or ""),
        errors=errors if isinstance(errors, dict) else None,
        type=type_uri,
        instance=problem.get("instance"),
        etag=etag,
        problem=problem,
    )


class Transport:
    """The base URL, the bearer token and a `requests.Session`, with retries.

    Retried, with exponential backoff (`backoff` * 2**n seconds, or the server's Retry-After):
    connection errors, timeouts and 429/502/503/504 answers, for safe methods (GET, HEAD,
    OPTIONS) and for requests the caller marks `retryable` (a score, which writes nothing; a
    create carrying an Idempotency-Key, which the server answers once). Other writes are sent
    once: a retried PATCH whose first try landed would fail as stale.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        session: requests.Session | None = None,
    ):
        self.base_url = (url or os.environ.get("FRAMINGS_URL") or DEFAULT_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get("FRAMINGS_TOKEN") or None
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.session = session or requests.Session()

    def url(self, path: str) -> str:
        """An absolute URL for a path, or for a `next` link (the API gives them as paths)."""
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retryable: bool = False,
    ) -> requests.Response:
        """One request, retried as the class says; the answer when < 400, else the exception
        its problem calls for (`Unavailable` when there was no answer)."""
        query = {k: v for k, v in (params or {}).items() if v is not None}
        may_retry = retryable or method in SAFE_METHODS
        attempt = 0
        while True:
            try:
                response = self.session.request(
                    method,
                    self.url(path),
                    params=query,
                    json=json,
                    data=data,
                    headers=self.headers(headers),
                    timeout=self.timeout,
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                if may_retry and attempt < self.retries:
                    self.pause(attempt)
                    attempt += 1
                    continue
                tries = f" (after {attempt} {'retry' if attempt == 1 else 'retries'})" * bool(
                    attempt
                )
                raise Unavailable(f"{self.base_url}: {reason_of(error)}{tries}") from error
            if response.status_code in RETRY_STATUSES and may_retry and attempt < self.retries:
                self.pause(attempt, retry_after(response))
                attempt += 1
                continue
            if response.status_code >= 400:
                raise failure(response)
            return response

    def pause(self, attempt: int, wait: float | None = None) -> None:
        time.sleep(min(MAX_WAIT, wait if wait is not None else self.backoff * 2**attempt))


def reason_of(error: requests.RequestException) -> str:
    """The root cause in a few words ("Connection refused", "timed out"), not requests'
    nested wrappers."""
    if isinstance(error, requests.Timeout):
        return "timed out"
    reason = getattr(error.args[0], "reason", None) if error.args else None
    cause = (reason.__cause__ or reason.__context__) if reason is not None else None
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    if reason is not None and "timed out" in str(reason).lower():
        return "timed out"
    return str(reason or error)
