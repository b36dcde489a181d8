"""Gunicorn settings for Framings (make run, the Dockerfile, the end-to-end tests and bench/)."""

# gevent workers (below) need the standard library patched before anything imports it (ssl
# above all, which the app's HTTP client loads): here, first, in the master, so every worker
# forks from a patched process. gunicorn patches again in each worker, harmlessly.
from gevent import monkey

monkey.patch_all()

import os  # noqa: E402 - after the patch, as gevent requires

from service import config as framings_config  # noqa: E402


def cpu_count() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = framings_config.bind()
# gevent workers: each connection is a greenlet, so a client that sends its request slowly
# (or never finishes it) waits on its socket without holding a worker, and the others are
# answered meanwhile (docs/deploy.md, "Slow clients"; tests/system/test_slow_clients.py).
# Sync workers served one connection each: three slow clients took the service down.
# Requests are short and CPU-bound (SQLite reads, scoring), so one worker per CPU plus one.
worker_class = "gevent"
worker_connections = 1000  # open connections per worker, slow ones included
workers = framings_config.workers(cpu_count() + 1)
timeout = 30  # a worker silent this long is killed and replaced (no request takes near it)
graceful_timeout = 20  # on SIGTERM, requests in flight get this long to finish
# Also the longest a request's line and headers may take to arrive: gevent workers drop a
# connection that has not sent a whole request head within it.
keepalive = 5
# Logs: JSON lines, the access log on stdout, gunicorn's and the application's on stderr,
# each access line with the request id that the answer carries as X-Request-Id.
accesslog = "-"
errorlog = "-"
loglevel = framings_config.log_level()
logger_class = "service.ops.logs.GunicornLogger"
wsgi_app = "service.wsgi:app"
# gunicorn 27 opens a control socket at one fixed path per user: several servers on one
# machine (tests, bench/) would fight over it, and nothing here uses it.
control_socket_disable = True


def on_starting(server):
    """Create the database from fixtures once, in the master, before any worker serves."""
    from service.client.cli import main

    if framings_config.replica_of():
        return  # a replica serves downloaded release snapshots and keeps no database of its own
    if main(["init"]) != 0:
        raise SystemExit("framings init failed; not serving a model that did not load")
