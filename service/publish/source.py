"""The API side of the publisher: the change feed and the wikitext of each page, over HTTP.

Reads only, with `requests`: `GET /changes?since=` (followed to its end), and a page's
`?format=wiki` text with If-None-Match, so an unchanged page costs a 304.
"""

from dataclasses import dataclass
from urllib.parse import urljoin

import requests

TIMEOUT = 30.0


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, 304, or the error status (404, 410, 422...)
    body: bytes = b""
    etag: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class Api:
    def __init__(self, url: str, timeout: float = TIMEOUT):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def changes(self, since: int) -> list[dict]:
        """Every change after `since`, oldest first."""
        items, url = [], f"{self.url}/changes?since={since}&limit=200"
        while url:
            answer = self.session.get(url, timeout=self.timeout)
            answer.raise_for_status()
            page = answer.json()
            items += page["items"]
            url = urljoin(self.url + "/", page["next"]) if page.get("next") else None
        return items

    def fetch(self, path: str, etag: str | None = None) -> Fetched:
        """GET `path`; a 304 when its ETag is still `etag`; 4xx answers returned, not raised."""
        headers = {"If-None-Match": etag} if etag else {}
        answer = self.session.get(self.url + path, headers=headers, timeout=self.timeout)
        if answer.status_code >= 500:
            answer.raise_for_status()
        return Fetched(answer.status_code, answer.content, answer.headers.get("ETag"))
