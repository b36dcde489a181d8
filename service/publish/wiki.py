"""The wiki side of the publisher: MediaWiki's Action API through mwclient, as a bot.

Only what the publisher needs: the latest revision of a page (id, user, text), a guarded save,
file uploads compared by SHA-1, and the rules of ../shared/reference/wiki.md. A save names the
revision it was decided from (`baserevid`, without `basetimestamp`), so MediaWiki refuses it
with `editconflict` when anyone, the bot included, saved since; and the answer's `oldrevid`
tells a silent three-way merge with someone's edit apart from a clean save.
"""

import hashlib
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

import mwclient
from mwclient.errors import APIError

SUMMARY_LIMIT = 500  # MediaWiki cuts edit summaries here


class Conflict(Exception):
    """Someone saved the page after the revision the save was decided from."""


@dataclass(frozen=True)
class Revision:
    id: int
    user: str
    text: str


@dataclass(frozen=True)
class Saved:
    revision: int | None  # the new revision; None when the text was already there (nochange)
    merged: bool  # MediaWiki merged the save with an edit made since the base revision


def site_of(api_url: str) -> mwclient.Site:
    """A client of the wiki whose api.php is `api_url` (http or https)."""
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.path.endswith("api.php"):
        raise ValueError(f"--wiki must be the wiki's api.php URL, not {api_url!r}")
    path = parts.path[: -len("api.php")]
    return mwclient.Site(
        parts.netloc, path=path, scheme=parts.scheme, clients_useragent="framings-publish"
    )


class Wiki:
    """One logged-in bot on one wiki."""

    def __init__(self, api_url: str, user: str, password: str):
        self.site = site_of(api_url)
        self.site.login(user, password)
        info = self.site.api("query", "GET", meta="userinfo")["query"]["userinfo"]
        self.user = info["name"]  # "Bot", whatever the bot password's "Bot@app" login

    def latest(self, title: str) -> Revision | None:
        """The page's latest revision, or None when the page does not exist."""
        answer = self.site.api(
            "query",
            "GET",
            prop="revisions",
            titles=title,
            rvprop="ids|user|content",
            rvslots="main",
            formatversion=2,
        )
        page = answer["query"]["pages"][0]
        if page.get("missing") or not page.get("revisions"):
            return None
        revision = page["revisions"][0]
        return Revision(revision["revid"], revision["user"], revision["slots"]["main"]["content"])

    def save(self, title: str, text: str, summary: str, base: int | None, **extra) -> Saved:
        """Save `text` on top of revision `base` (None: create the page, never overwrite one).

        Raises Conflict when someone saved since `base` (or created the page meanwhile)."""
        guard = {"baserevid": base, "nocreate": 1} if base else {"createonly": 1}
        try:
            answer = self.site.api(
                "edit",
                title=title,
                text=text,
                summary=summary[:SUMMARY_LIMIT],
                bot=1,
                token=self.site.get_token("csrf"),
                **{"assert": "bot"},
                **guard,
                **extra,
            )["edit"]
        except APIError as error:
            if error.code in ("editconflict", "articleexists", "missingtitle"):
                raise Conflict(error.code) from error
            raise
        if "nochange" in answer:
            return Saved(None, False)
        merged = bool(base) and answer.get("oldrevid") not in (None, base)
        return Saved(answer["newrevid"], merged)

    def file_info(self, name: str) -> tuple[str, str] | None:
        """(SHA-1, uploader) of a file's current version, or None when there is none."""
        answer = self.site.api(
            "query",
            "GET",
            prop="imageinfo",
            titles=f"File:{name}",
            iiprop="sha1|user",
            formatversion=2,
        )
        page = answer["query"]["pages"][0]
        info = page.get("imageinfo")
        return (info[0]["sha1"], info[0]["user"]) if info else None

    def upload(self, name: str, data: bytes, description: str, comment: str) -> None:
        self.site.upload(
            io.BytesIO(data), filename=name, description=description, comment=comment, ignore=True
        )


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()
