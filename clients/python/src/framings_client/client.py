"""`Client`: the whole API over one `requests.Session`."""

from __future__ import annotations

import requests

from framings_client._transport import (
    DEFAULT_BACKOFF,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    Transport,
)
from framings_client.reads import Reads
from framings_client.scores import Scores
from framings_client.writes import Writes


class Client(Reads, Writes, Scores):
    """A client of one Framings server.

    `url`: the server (default `$FRAMINGS_URL`, else http://localhost:8080); `token`: a bearer
    token for writes (default `$FRAMINGS_TOKEN`; reads need none). `timeout` in seconds per
    request; `retries` and `backoff` (seconds, doubled each retry) for connection errors and
    429/502/503/504 answers on reads and scores. Every error answer raises a subclass of
    `framings_client.FramingsError`.
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
        self.transport = Transport(
            url, token, timeout=timeout, retries=retries, backoff=backoff, session=session
        )

    @property
    def url(self) -> str:
        return self.transport.base_url

    def __repr__(self) -> str:
        return f"Client({self.url!r})"
