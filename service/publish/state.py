"""The publisher's state, kept on the wiki itself in `User:<bot>/framings.json`.

A JSON page in the bot's own user space: only the bot (and administrators) may edit it, and its
history shows every run. It holds the last change of the feed published (`seq`), the resources
seen in the feed, and per page and file what the bot last wrote (revision, the API's ETag of the
text, its source). Its revision is also the lock against a second publisher: a run takes the
lock with a save based on the revision it read (`baserevid`), so of two runs that read the same
revision only one succeeds; the other waits for the lock to be released or to expire.
"""

import json
import os
import socket
import time
from dataclasses import asdict, dataclass, field

from service.publish.wiki import Conflict, Wiki

LOCK_SECONDS = 600  # a run that dies holding the lock frees it after this long at most


class Busy(Exception):
    """Another publisher holds the lock."""


@dataclass
class State:
    api: str = ""
    seq: int = 0
    resources: dict = field(default_factory=dict)  # "kind/id" -> {"version", "deleted"}
    pages: dict = field(default_factory=dict)  # title -> {"revision", "etag", "source"}
    files: dict = field(default_factory=dict)  # file name -> {"sha1"}
    held: dict = field(default_factory=dict)  # title -> why it is held
    lock: dict | None = None  # {"run", "host", "pid", "until"}

    @classmethod
    def parse(cls, text: str | None) -> "State":
        data = json.loads(text) if text else {}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True, ensure_ascii=False)


def state_title(bot: str) -> str:
    return f"User:{bot}/framings.json"


def lock_is_live(lock: dict | None, run: str) -> bool:
    """Whether `lock` belongs to another run that may still be going."""
    if not lock or lock.get("run") == run or lock.get("until", 0) < time.time():
        return False
    if lock.get("host") == socket.gethostname():
        try:
            os.kill(int(lock["pid"]), 0)
        except ProcessLookupError:
            return False  # its process died on this machine: the lock is stale
        except (PermissionError, ValueError, TypeError):
            pass
    return True


class StatePage:
    """The state page of one bot: read, locked, saved, always on top of the revision read."""

    def __init__(self, wiki: Wiki, run: str, lock_seconds: int = LOCK_SECONDS):
        self.wiki, self.run, self.lock_seconds = wiki, run, lock_seconds
        self.title = state_title(wiki.user)
        self.revision: int | None = None

    def acquire(self, wait: float, report=print) -> State:
        """Take the lock (waiting up to `wait` seconds for another run's) and the state."""
        deadline, told = time.monotonic() + wait, False
        while True:
            latest = self.wiki.latest(self.title)
            state = State.parse(latest.text if latest else None)
            self.revision = latest.id if latest else None
            if lock_is_live(state.lock, self.run):
                if time.monotonic() > deadline:
                    raise Busy(f"another publisher holds the lock on {self.title}")
                if not told:
                    report(f"waiting for another publisher ({state.lock.get('run')})…")
                    told = True
                time.sleep(1)
                continue
            state.lock = {
                "run": self.run,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "until": time.time() + self.lock_seconds,
            }
            try:
                self.save(state, "framings publish: lock")
            except Conflict:
                continue  # someone saved the state meanwhile: read it again
            return state

    def save(self, state: State, summary: str) -> None:
        """Save `state` on top of the revision this run last read or wrote; Conflict if the
        lock was lost (another run saved since). Saving while locked extends the lock."""
        if state.lock and state.lock.get("run") == self.run:
            state.lock["until"] = time.time() + self.lock_seconds
        saved = self.wiki.save(
            self.title, state.dumps(), summary, self.revision, contentmodel="json"
        )
        if saved.revision is not None:
            self.revision = saved.revision

    def release(self, state: State, summary: str) -> None:
        state.lock = None
        self.save(state, summary)
