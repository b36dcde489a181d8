"""The `publish` subcommand of `framings`: its options, and one run with progress and a summary."""

import argparse
import sys
import uuid

from mwclient.errors import APIError, LoginError
from requests import RequestException

from service import config
from service.publish.run import Publisher
from service.publish.source import Api
from service.publish.state import LOCK_SECONDS, Busy, StatePage
from service.publish.wiki import Conflict, Wiki


def add_publish_command(commands) -> None:
    publish = commands.add_parser(
        "publish",
        help="keep a MediaWiki current from the change feed",
        description="Publish the model to a MediaWiki through its Action API, as a bot whose "
        "name and bot password are in $FRAMINGS_WIKI_USER and $FRAMINGS_WIKI_PASSWORD. Pages "
        "a person edited are held and reported, never overwritten.",
    )
    publish.add_argument("--wiki", required=True, help="the wiki's api.php URL")
    publish.add_argument(
        "--url", help="the API to publish from (default $FRAMINGS_URL or http://localhost:8080)"
    )
    publish.add_argument(
        "--adopt",
        action="append",
        default=[],
        metavar="TITLE",
        help="hand a held page back to the publisher (its text is replaced); repeatable",
    )
    publish.add_argument(
        "--wait", type=float, default=300, help="seconds to wait for another publisher (300)"
    )
    publish.add_argument("--lock-seconds", type=int, default=LOCK_SECONDS, help=argparse.SUPPRESS)
    publish.set_defaults(func=cmd_publish)


def cmd_publish(args) -> int:
    """One run: 0 when done (held pages are reported), 1 on an error, 3 when another
    publisher kept the lock for longer than --wait."""
    user, password = config.wiki_login()
    if not user or not password:
        print("framings: set FRAMINGS_WIKI_USER and FRAMINGS_WIKI_PASSWORD", file=sys.stderr)
        return 1
    url = args.url or config.client_url() or config.DEFAULT_URL

    def report(line: str) -> None:
        print(line, flush=True)

    try:
        wiki = Wiki(args.wiki, user, password)
        page = StatePage(wiki, uuid.uuid4().hex[:12], args.lock_seconds)
        state = page.acquire(args.wait, report)
        report(f"publishing {url} to {args.wiki} as {wiki.user} from change {state.seq}")
        Publisher(Api(url), wiki, page, args.adopt, report).run(state)
    except Busy as error:
        print(f"framings: {error}", file=sys.stderr)
        return 3
    except Conflict:
        print(
            "framings: the state page changed under this run (its lock expired?)", file=sys.stderr
        )
        return 1
    except (APIError, LoginError, RequestException, ValueError) as error:
        print(f"framings: {error}", file=sys.stderr)
        return 1
    return 0
