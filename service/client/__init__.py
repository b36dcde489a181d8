"""The Python client for the Framings API, over `requests`, and the `framings` command (cli:
admin commands on the database; commands: the client commands). The library imports only
service.config; cli may import the store and fixtures.

    from service.client import FramingsClient
    client = FramingsClient("http://localhost:8080")
    client.get("assumptions", "a3")["body"]["assessment"]
    client.score({"name": "...", "direction": "loosen", ...})["framings"]

Every 4xx or 5xx answer raises `FramingsError` with the problem+json `title`, `detail` and
per-field `errors`; a server that cannot be reached (after retries) raises `FramingsUnavailable`.
"""

from collections.abc import Iterator
from urllib.parse import urljoin

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from service import config

DEFAULT_URL = "http://localhost:8080"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.25
RETRY_STATUSES = (502, 503, 504)
# POST is retried too. The client only POSTs to /score and /score/batch, and a score is a pure
# function of (control, model versions): nothing is written, so sending it twice is harmless.
RETRY_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST"})


class FramingsError(Exception):
    """An error answer from the API, carrying its RFC 9457 problem details."""

    def __init__(self, status: int | None, title: str, detail: str = "", errors=None):
        self.status = status
        self.title = title
        self.detail = detail
        self.errors: dict[str, list[str]] = errors or {}
        super().__init__(self.message())

    def message(self) -> str:
        head = f"{self.status} {self.title}" if self.status else self.title
        return f"{head}: {self.detail}" if self.detail and self.detail != self.title else head

    def field_lines(self) -> list[str]:
        """One line per field error, as `field: message`."""
        return [f"{field}: {text}" for field, texts in self.errors.items() for text in texts]


class FramingsUnavailable(FramingsError):
    """No answer at all: connection refused, reset or timed out after the retries."""

    def __init__(self, detail: str):
        super().__init__(None, "No answer", detail)


def reason_of(error: requests.RequestException) -> str:
    """The root cause of a failed request in a few words ("Connection refused"), not the
    nested urllib3 wrappers that requests reports."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    cause = reason.__cause__ or reason.__context__ if reason is not None else None
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    # A read timeout that outlasts the retries reaches us as a ConnectionError around it.
    if isinstance(error, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
        return "timed out"
    return str(reason or error)


def error_from(response: requests.Response) -> FramingsError:
    """A FramingsError from an error answer; tolerant of bodies that are not problem+json."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        # A proxy's HTML page, say: keep its reason and a short piece of its text.
        return FramingsError(
            response.status_code, response.reason or "Error", " ".join(response.text.split())[:200]
        )
    errors = problem.get("errors")
    return FramingsError(
        response.status_code,
        str(problem.get("title") or response.reason or "Error"),
        str(problem.get("detail") or ""),
        errors if isinstance(errors, dict) else None,
    )


def retrying_session(retries: int, backoff: float) -> requests.Session:
    """A session that retries connection errors and 502/503/504, honouring Retry-After."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=RETRY_METHODS,
        backoff_factor=backoff,
        respect_retry_after_header=True,
        # Hand the last 5xx back instead of raising, so its problem details reach the caller.
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def clean(query: dict) -> dict:
    """Query arguments without the ones left unset."""
    return {key: value for key, value in query.items() if value is not None}


class FramingsClient:
    """The Framings API: reads, scores, diffs and the change feed."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
    ):
        self.base_url = (base_url or config.client_url() or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.session = retrying_session(retries, backoff)

    def url(self, path: str) -> str:
        """An absolute URL for a path or for a `next` link (which the API gives as a path)."""
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def request(self, method: str, path: str, *, params=None, json=None):
        """Send one request; parsed JSON for JSON answers, text for the others."""
        try:
            response = self.session.request(
                method, self.url(path), params=clean(params or {}), json=json, timeout=self.timeout
            )
        except requests.RequestException as error:
            tries = "retry" if self.retries == 1 else "retries"
            detail = f"{self.base_url}: {reason_of(error)} (after {self.retries} {tries})"
            raise FramingsUnavailable(detail) from error
        if response.status_code >= 400:
            raise error_from(response)
        if "json" in response.headers.get("Content-Type", ""):
            return response.json()
        response.encoding = response.encoding or "utf-8"
        return response.text

    def get(
        self,
        kind: str,
        id: str | None = None,
        version: int | None = None,
        fmt: str | None = None,
        **query,
    ):
        """One resource (latest, or `version`), or the first page of a list when id is None.

        `query` takes the API's query arguments: as_of, release, filters, limit, cursor.
        """
        path = f"/{kind}" if id is None else f"/{kind}/{id}"
        if version is not None:
            path += f"/versions/{version}"
        return self.request("GET", path, params={**query, "format": fmt})

    def list(self, kind: str, **filters) -> Iterator[dict]:
        """Every item of a list, across all its pages."""
        yield from self.follow(f"/{kind}", filters)

    def follow(self, path: str, params: dict) -> Iterator[dict]:
        """The items of a paged answer, following each `next` link until there is none."""
        page = self.request("GET", path, params=params)
        while True:
            yield from page["items"]
            if not page.get("next"):
                return
            page = self.request("GET", page["next"])

    def score(
        self,
        control: dict,
        *,
        as_of: str | None = None,
        release: str | None = None,
        fmt: str | None = None,
    ):
        """Score a control (it may carry `assumptions` credence overrides) against each framing."""
        params = {"as_of": as_of, "release": release, "format": fmt}
        return self.request("POST", "/score", params=params, json=control)

    def score_batch(
        self,
        controls: dict,
        *,
        assumptions: dict | None = None,
        as_of: str | None = None,
        release: str | None = None,
        fmt: str | None = None,
    ):
        """Score several controls, keyed by name; each answer or problem is under `results`."""
        body = {"controls": controls, **clean({"assumptions": assumptions})}
        params = {"as_of": as_of, "release": release, "format": fmt}
        return self.request("POST", "/score/batch", params=params, json=body)

    def score_stored(self, id: str, **query):
        """Score a stored control by id."""
        return self.request("GET", f"/controls/{id}/score", params=query)

    def diff(self, kind: str, id: str, n: int, m: int | None = None) -> dict:
        """The JSON Patch from version m (default n-1) to version n, as the API's diff answer."""
        return self.request("GET", f"/{kind}/{id}/versions/{n}/diff", params={"from": m})

    def changes(self, since: int = 0, limit: int | None = None) -> Iterator[dict]:
        """Every change with seq greater than `since`, oldest first, across all pages."""
        yield from self.follow("/changes", {"since": since, "limit": limit})

    def health(self) -> dict:
        return self.request("GET", "/health")
