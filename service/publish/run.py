"""One run of `framings publish`: read the feed, then bring each page and chart up to date.

A page is written only when its text changed (the API's ETag, then the wiki's text) and only
when it is still the bot's: its latest revision made by the bot (or adopted with --adopt).
A page a person edited is held and reported, never overwritten; so is a page whose save
MediaWiki merged with someone's edit, or that someone saved between our read and our save.
The state is saved every few pages (a run that dies half-way loses little: the next one finds
the pages it wrote already in place) and at the end, with the feed's new position.
"""

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field

from service.publish import pages as plan
from service.publish.source import Api
from service.publish.state import State, StatePage
from service.publish.wiki import Conflict, Wiki, sha1

CHECKPOINT = 10  # pages between saves of the state


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)  # created, edited, unchanged, uploaded
    held: dict = field(default_factory=dict)  # title -> why

    def summary(self, before: int, after: int) -> str:
        parts = [f"{self.counts[k]} {k}" for k in ("created", "edited", "uploaded", "unchanged")]
        text = f"published changes {before}→{after}: " + ", ".join(parts)
        text += f", {len(self.held)} held"
        return text + "".join(f"\n  held: {t} ({why})" for t, why in sorted(self.held.items()))


class Publisher:
    def __init__(self, api: Api, wiki: Wiki, page: StatePage, adopt=(), report=print):
        self.api, self.wiki, self.page = api, wiki, page
        self.adopt, self.report = set(adopt), report
        self.tally, self.since_checkpoint = Tally(), 0

    def run(self, state: State) -> Tally:
        """Publish, then save the state and release the lock, also when a request fails (the
        pages written so far are recorded; every run looks at every page again)."""
        before = state.seq
        try:
            self.publish_all(state)
        except Exception:  # re-raised: the caller reports it
            with suppress(Exception):  # the wiki may be what failed; the lock then expires
                self.page.release(state, "framings publish: stopped by an error")
            raise
        self.page.release(state, f"framings publish: changes up to {state.seq}")
        self.tally.held = dict(state.held)  # every page still held, this run's and earlier ones
        self.report(self.tally.summary(before, state.seq))
        return self.tally

    def publish_all(self, state: State) -> None:
        for change in self.api.changes(state.seq):
            if change["kind"] in plan.KINDS:
                key = f"{change['kind']}/{change['id']}"
                state.resources[key] = {
                    "version": change["version"],
                    "deleted": change["deleted"],
                    "note": change.get("change_note") or "",
                }
            state.seq = max(state.seq, change["seq"])
        state.api = self.api.url
        for page in plan.templates():
            self.publish(state, page)
        for key, seen in sorted(state.resources.items()):
            if key.startswith("assumptions/") and not seen["deleted"]:  # before the page shows it
                self.upload(state, plan.credence_chart(key.split("/", 1)[1]))
            for page in plan.resource_pages(key, seen):
                self.publish(state, page)
        for page in plan.list_pages():
            self.publish(state, page)
        self.upload(state, plan.TRAJECTORY)

    def publish(self, state: State, page: plan.Page) -> None:
        """Bring one page up to date, unless it is held."""
        known = state.pages.get(page.title) or {}
        if page.source is None:
            text, etag = page.text, sha1(page.text.encode())
            if known.get("etag") == etag and page.title not in self.adopt:
                return self.count("unchanged")
        else:
            same_source = known.get("source") == page.source and page.title not in self.adopt
            fetched = self.api.fetch(page.source, known.get("etag") if same_source else None)
            if fetched.status == 304:
                return self.count("unchanged")
            if fetched.status != 200:
                return  # not there to publish (a watch item with no control to score)
            text, etag = plan.with_chart(fetched.text, page.chart), fetched.etag
        revision = self.write(state, page, text)
        if revision is not None:
            state.pages[page.title] = {"revision": revision, "etag": etag, "source": page.source}
        self.checkpoint(state)

    def write(self, state: State, page: plan.Page, text: str) -> int | None:
        """Save `text` if the page is still the bot's; its revision, or None when held."""
        latest = self.wiki.latest(page.title)
        why = self.held_because(state, page.title, latest)
        if why:
            return self.hold(state, page.title, why)
        if latest is not None and latest.text.rstrip() == text.rstrip():
            self.count("unchanged")
            return latest.id
        try:
            saved = self.wiki.save(page.title, text, page.summary, latest.id if latest else None)
        except Conflict:
            return self.hold(state, page.title, "saved by someone while this run wrote it")
        revision = saved.revision or (latest.id if latest else None)
        if saved.merged:
            return self.hold(state, page.title, f"merged with someone's edit in {revision}")
        state.held.pop(page.title, None)
        kind = "created" if latest is None else "edited"
        self.count(kind)
        self.report(f"{kind:>9} {page.title} (revision {revision})")
        return revision

    def held_because(self, state: State, title: str, latest) -> str | None:
        if title in self.adopt:
            return None
        if title in state.held:
            return state.held[title]
        if latest is not None and latest.user != self.wiki.user:
            return f"revision {latest.id} is {latest.user}'s"
        return None

    def hold(self, state: State, title: str, why: str) -> None:
        state.held[title] = why
        self.tally.held[title] = why
        self.report(f"     held {title}: {why}; `framings publish --adopt '{title}'` hands it back")
        return None

    def upload(self, state: State, chart: plan.Chart) -> None:
        known = state.files.get(chart.name) or {}
        fetched = self.api.fetch(chart.source, known.get("etag"))
        if fetched.status != 200:
            return self.count("unchanged") if fetched.status == 304 else None
        digest, current = sha1(fetched.body), self.wiki.file_info(chart.name)
        title = f"File:{chart.name}"
        if current and current[1] != self.wiki.user and title not in self.adopt:
            return self.hold(state, title, f"uploaded by {current[1]}")
        if current is None or current[0] != digest:
            self.wiki.upload(chart.name, fetched.body, chart.description, "framings publish")
            self.count("uploaded")
            self.report(f" uploaded {title}")
        else:
            self.count("unchanged")
        state.files[chart.name] = {"sha1": digest, "etag": fetched.etag}

    def count(self, what: str) -> None:
        self.tally.counts[what] += 1

    def checkpoint(self, state: State) -> None:
        self.since_checkpoint += 1
        if self.since_checkpoint >= CHECKPOINT:
            self.since_checkpoint = 0
            self.page.save(state, "framings publish: progress")
